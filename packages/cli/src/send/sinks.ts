/**
 * Where `send` puts each line, behind one interface:
 *
 *   raw      (default)      a JSON object line is one record of the stream as it is: the core's
 *                           client, `pushJson` of the line's text (no second serialization);
 *   --map pino              the pino transport's in-process stream: the line is mapped onto the
 *                           default record exactly as the transport maps pino's own lines;
 *   --map winston           the winston transport: the parsed line is the info it receives.
 *
 * All three batch, retry and account through the core; the adapters are loaded only when asked
 * for. Lines that are not JSON objects are refused here (raw, winston) with the reason; pino
 * sends them as their text, as its transport does.
 */
import { IngestionClient, type IngestionOptions, type IngestionStats } from 'azure-ingestion-core';
import { parseObject } from '../input.js';

export type MapMode = 'raw' | 'pino' | 'winston';

export interface Sink {
  /** Queues one line; resolves with why it is not a record, or undefined when queued. */
  line(text: string): Promise<string | undefined> | string | undefined;
  /** The core's counters (and, for pino, its line counters). */
  stats(): IngestionStats & { readonly nonJson?: number };
  /** Resolves once everything queued is delivered or finally failed. */
  flush(): Promise<unknown>;
  /** Flushes and releases the client; resolves with the final counters. */
  close(): Promise<IngestionStats & { readonly nonJson?: number }>;
}

function rawSink(
  options: IngestionOptions,
  env: Readonly<Record<string, string | undefined>>,
): Sink {
  const client = new IngestionClient(options, env);
  return {
    line(text) {
      const parsed = parseObject(text);
      if ('error' in parsed) return parsed.error;
      client.pushJson(text.trim());
      return undefined;
    },
    stats: () => client.stats(),
    flush: () => client.flush(),
    close: () => client.close(),
  };
}

async function pinoSink(options: IngestionOptions): Promise<Sink> {
  const { default: pinoAzureIngestion } = await import('pino-azure-ingestion');
  const stream = await pinoAzureIngestion(options);
  const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
  return {
    async line(text) {
      if (!stream.write(`${text}\n`)) await new Promise((resolve) => stream.once('drain', resolve));
      return undefined;
    },
    stats: () => stream.stats(),
    flush: () => new Promise((resolve) => stream.flush(() => resolve(undefined))),
    async close() {
      stream.end();
      await closed;
      return stream.stats();
    },
  };
}

async function winstonSink(
  options: IngestionOptions,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Sink> {
  const { AzureIngestionTransport } = await import('winston-transport-azure-ingestion');
  const transport = new AzureIngestionTransport(options, { ...env });
  const next = (): void => {};
  return {
    line(text) {
      const parsed = parseObject(text);
      if ('error' in parsed) return parsed.error;
      transport.log(parsed.value, next);
      return undefined;
    },
    stats: () => transport.stats(),
    flush: () => transport.flush(),
    close: () => transport.close(),
  };
}

/**
 * The sink of `mode`. `--map pino` reads the `AZURE_LOGS_INGESTION_*` variables of the process
 * (as the pino transport does); the others read `env`.
 * @throws ConfigurationError when the configuration is invalid
 */
export function createSink(
  mode: MapMode,
  options: IngestionOptions,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Sink> {
  if (mode === 'pino') return pinoSink(options);
  if (mode === 'winston') return winstonSink(options, env);
  return Promise.resolve(rawSink(options, env));
}
