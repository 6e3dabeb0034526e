/**
 * The two adapters behind one interface, so a test can feed the same logical logs to winston
 * and to pino and compare what each sent. Both are built as users build them, from the package
 * names (the built dist): winston with `createLogger`, pino in-process with the factory's
 * stream. pino gets `base: { hostname }` (no `pid`, which winston has no counterpart for) and a
 * `timestamp` function that writes the log's own time under the key `timestamp`, the key winston's
 * `format.timestamp()` uses, so an unreadable time stays in Properties under the same key.
 */
import { hostname } from 'node:os';
import pino from 'pino';
import pinoAzureIngestion, { flushAll } from 'pino-azure-ingestion';
import winston from 'winston';
import { AzureIngestionTransport } from 'winston-transport-azure-ingestion';

/** One log, as both loggers can write it. */
export interface LogicalLog {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  /** The log's own time (winston: `info.timestamp`; pino: the line's `timestamp`); absent: now. */
  readonly time?: unknown;
  /** The other fields (winston: the meta object; pino: the merging object). */
  readonly fields?: Readonly<Record<string, unknown>>;
  /** An error the log carries (winston: meta `error`; pino: `err`, through pino's serializer). */
  readonly error?: Error;
  /**
   * The level exactly as the logger writes it, e.g. with ANSI colour codes (winston: `info.level`
   * given to the transport without triple-beam's level symbol; pino: the line pino writes with
   * `formatters.level: () => ({ level: levelText })`, which pino computes once per logger, so the
   * line is written to the stream directly).
   */
  readonly levelText?: string;
}

export interface Adapter {
  readonly name: 'winston' | 'pino';
  log(entry: LogicalLog): void;
  /** Resolves when everything logged so far is delivered or finally failed. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Options for either adapter: the core's options and the shared ones (`columns`). */
export type AdapterOptions = Record<string, unknown>;

/** Builds an adapter; `env` is where it reads the `AZURE_LOGS_INGESTION_*` variables. */
export type MakeAdapter = (options: AdapterOptions, env?: NodeJS.ProcessEnv) => Promise<Adapter>;

export const makeWinston: MakeAdapter = async (options, env = {}) => {
  const transport = new AzureIngestionTransport(options, env);
  const logger = winston.createLogger({ level: 'debug', transports: [transport] });
  return {
    name: 'winston',
    log(e) {
      const meta: Record<string, unknown> = { ...e.fields };
      if (e.time !== undefined) meta.timestamp = e.time;
      if (e.error !== undefined) meta.error = e.error;
      if (e.levelText === undefined) logger.log(e.level, e.message, meta);
      else transport.log({ ...meta, level: e.levelText, message: e.message });
    },
    flush: async () => {
      await transport.flush();
    },
    close: async () => {
      await transport.close();
      logger.close();
    },
  };
};

export const makePino: MakeAdapter = async (options, env = {}) => {
  // The factory reads process.env (as in pino's worker); its synchronous part reads it all.
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const pending = pinoAzureIngestion({ ...options, timeKey: 'timestamp' });
  for (const key of Object.keys(env)) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  const stream = await pending;
  let time: unknown;
  const timestamp = () => (time === undefined ? '' : `,"timestamp":${JSON.stringify(time)}`);
  const base = { hostname: hostname() };
  const logger = pino({ level: 'debug', base, timestamp }, stream);
  return {
    name: 'pino',
    log(e) {
      time = e.time;
      const fields: Record<string, unknown> = { ...e.fields };
      if (e.error !== undefined) fields.err = e.error;
      if (e.levelText === undefined) logger[e.level](fields, e.message);
      else {
        const level = `{"level":${JSON.stringify(e.levelText)}${timestamp()}`;
        stream.write(
          `${level},${JSON.stringify({ ...base, ...fields, msg: e.message }).slice(1)}\n`,
        );
      }
      time = undefined;
    },
    flush: () => flushAll(logger),
    close: () =>
      new Promise((resolve) => {
        stream.once('close', () => resolve());
        stream.end();
      }),
  };
};

export const ADAPTERS: readonly (readonly [string, MakeAdapter])[] = [
  ['winston', makeWinston],
  ['pino', makePino],
];
