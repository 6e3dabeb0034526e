import { hostname } from 'node:os';
import { type FieldColumn, IngestionClient, type IngestionStats } from 'azure-ingestion-core';
import {
  createRecordWriter,
  pushJsonUnchecked,
  type RecordShapeOptions,
  type RecordWriter,
  toDefaultRecord,
  withProductToken,
} from 'azure-ingestion-core/adapter';
import TransportStream from 'winston-transport';
import { infoJson } from './info-json.js';
import { levelLabel, readableInfo, toLogEntry, unreadableInfo } from './mapping.js';
import { type AzureIngestionTransportOptions, splitOptions, type WinstonInfo } from './options.js';
import { SeverityTable } from './severity.js';
import { PRODUCT, validateAdapterOptions, validateFieldColumns } from './validate.js';

/** What winston's Logger exposes that the transport reads (it sets `parent` on pipe). */
interface ParentLogger {
  readonly exitOnError?: boolean | ((err: unknown) => boolean);
}

const noop = (): void => {};

/**
 * A winston transport that sends every log to an Azure Monitor Logs Ingestion stream.
 *
 * ```
 * logger.info() ─► formats ─► log(info) ─┬─ no error: infoJson ─► pushJsonUnchecked(client, text)
 *                                         └─ error:    toDefaultRecord ─► client.push(record)
 *                   next() at once; 'logged' on the next macrotask; batches, gzip, HTTPS,
 *                   retries in the core
 * ```
 * Delivery runs in the core; its failures go to counters, `onError` and warnings, never to an
 * `error` event (winston would detach the transport).
 */
export class AzureIngestionTransport extends TransportStream {
  readonly #client: IngestionClient;
  readonly #shape: RecordShapeOptions;
  /** `fieldColumns` as the client resolved them; undefined when not set. */
  readonly #fields: readonly FieldColumn[] | undefined;
  readonly #severity: SeverityTable;
  readonly #toRecord: ((info: WinstonInfo) => object) | undefined;
  readonly #host = hostname();
  /** The JSON fast path; undefined when `maxDepth` is too low for it (then the core's path). */
  readonly #writer: RecordWriter | undefined;
  /** Someone listens to 'logged' (kept by newListener/removeListener, not counted per log). */
  #loggedListened = false;
  /** Infos waiting for their 'logged' event, emitted in one macrotask per burst. */
  #logged: WinstonInfo[] = [];
  #closing: Promise<IngestionStats> | undefined;

  /** Without options, everything comes from the `AZURE_LOGS_INGESTION_*` variables. */
  constructor(options: AzureIngestionTransportOptions = {}, env: NodeJS.ProcessEnv = process.env) {
    const { core, adapter } = splitOptions(options);
    validateAdapterOptions(adapter);
    super({
      ...(adapter.level !== undefined && { level: adapter.level }),
      ...(adapter.format !== undefined && { format: adapter.format }),
      ...(adapter.silent !== undefined && { silent: adapter.silent }),
      ...(adapter.handleExceptions !== undefined && { handleExceptions: adapter.handleExceptions }),
      ...(adapter.handleRejections !== undefined && { handleRejections: adapter.handleRejections }),
    });
    this.#client = new IngestionClient(withProductToken(core, PRODUCT, env), env);
    this.#fields = this.#client.config.fieldColumns;
    try {
      validateFieldColumns(adapter, this.#fields);
    } catch (error) {
      this.#client.destroy();
      throw error;
    }
    this.#shape = adapter.columns === undefined ? {} : { columns: adapter.columns };
    this.#severity = new SeverityTable(adapter.levels, adapter.levelSet);
    // With field columns the writer declines (canWriteMembers is false): the record path below.
    const writer = createRecordWriter(this.#shape, this.#client.config.maxDepth, this.#fields);
    this.#writer = writer.canWriteMembers ? writer : undefined;
    // A script that logs and falls off its end never calls close(): the core sends what is
    // pending on 'beforeExit' (its timers are unref'd, so an idle process still exits).
    this.#toRecord = adapter.toRecord;
    // 'newListener' comes just before the listener is added, 'removeListener' just after it
    // is removed: both leave the flag right for a log made at once after the call.
    this.on('newListener', (event: string | symbol) => {
      if (event === 'logged') this.#loggedListened = true;
    });
    this.on('removeListener', (event: string | symbol) => {
      if (event === 'logged') this.#loggedListened = this.listenerCount('logged') > 0;
    });
  }

  /** winston's entry point: enqueue the record and call `next` at once. */
  override log(info: WinstonInfo, next?: () => void): boolean {
    const logged = this.#pushCarefully(info);
    if (logged.exception === true || logged.rejection === true) this.#deliverFatal(logged);
    else this.#queueLogged(info);
    if (next) next();
    return true;
  }

  /** Resolves when everything logged so far is acknowledged by the service (or failed). */
  flush(): Promise<IngestionStats> {
    return this.#client.flush();
  }

  /**
   * Delivers what is buffered and releases the client. Idempotent (same promise), bounded by
   * `closeTimeoutMs`, never rejects. winston calls it when the transport is removed.
   */
  override close(): Promise<IngestionStats> {
    if (!this.#closing) {
      this.#closing = this.#client.close();
      this.#closing.catch(noop);
    }
    return this.#closing;
  }

  /** The core's counters: accepted, delivered, rejected, dropped, retried, requests by status. */
  stats(): IngestionStats {
    return this.#client.stats();
  }

  /**
   * `logger.end()` ends each transport and waits for its 'finish': deliver first, so 'finish'
   * means the logs reached the service.
   */
  override _final(callback: (error?: Error | null) => void): void {
    this.close().then(
      () => callback(),
      () => callback(),
    );
  }

  /** `transport.destroy()`: stop at once, dropping what is undelivered. */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#client.destroy();
    callback(error);
  }

  /**
   * Pushes the info; when reading it throws (a getter, a Proxy trap), what can be read of it
   * instead, and when even that throws, its level and a message saying so: a log call never
   * throws and every log is counted. Returns the info pushed.
   */
  #pushCarefully(info: WinstonInfo): WinstonInfo {
    try {
      this.#push(info);
      return info;
    } catch {
      const readable = readableInfo(info);
      try {
        this.#push(readable);
        return readable;
      } catch (error) {
        const minimal = unreadableInfo(readable, error);
        this.#push(minimal);
        return minimal;
      }
    }
  }

  #push(info: WinstonInfo): void {
    if (this.#toRecord) {
      this.#pushCustom(info, this.#toRecord);
      return;
    }
    const levels = (this as { levels?: Record<string, number> }).levels;
    const label = levelLabel(info);
    const severity = this.#severity.lookup(label, levels);
    // Most logs carry no error: straight to JSON text. Errors take the core's record path.
    if (this.#writer && !(info instanceof Error)) {
      const text = infoJson(this.#writer, info, label, severity, this.#host);
      if (text !== undefined) {
        // The writer's text is one JSON object by construction: no check that would flatten it.
        pushJsonUnchecked(this.#client, text);
        return;
      }
    }
    const entry = toLogEntry(info, severity, Date.now(), this.#host);
    this.#client.push(toDefaultRecord(entry, this.#shape, this.#fields));
  }

  #pushCustom(info: WinstonInfo, toRecord: (info: WinstonInfo) => object): void {
    let record: object;
    try {
      record = toRecord(info);
    } catch (err) {
      // A user hook's bug must not break the application's logging call.
      this.emit('warn', err);
      return;
    }
    this.#client.push(record);
  }

  /**
   * Nobody listens to 'logged' in most applications (winston itself does not): then nothing is
   * queued, so a burst of logs does not keep every info alive until the next macrotask.
   */
  #queueLogged(info: WinstonInfo): void {
    if (!this.#loggedListened) return;
    if (this.#logged.push(info) === 1) setImmediate(this.#emitLogged);
  }

  readonly #emitLogged = (): void => {
    const infos = this.#logged;
    this.#logged = [];
    for (const info of infos) this.emit('logged', info);
  };

  /**
   * An uncaught exception or rejection: winston waits (up to 3 s) for this transport's 'finish'
   * before `process.exit(1)`. Flush now; when winston is about to exit, end the stream once the
   * log is acknowledged so winston exits as soon as it is delivered instead of after 3 s.
   */
  #deliverFatal(info: WinstonInfo): void {
    const done = (): void => {
      this.emit('logged', info);
      if (this.#winstonWillExit(info)) this.end();
    };
    this.#client.flush().then(done, done);
  }

  #winstonWillExit(info: WinstonInfo): boolean {
    const parent = (this as { parent?: ParentLogger | null }).parent;
    if (!parent) return false;
    const exit = parent.exitOnError;
    if (typeof exit !== 'function') return exit === true;
    try {
      return Boolean(exit(info.error));
    } catch {
      return false;
    }
  }
}
