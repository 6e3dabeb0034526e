/**
 * The public client: validates options once, serializes each record once, and hands it to the
 * engine. Nothing here throws after the constructor, and push() never blocks.
 */
import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import { resolveConfig } from './config/resolve.js';
import { ShardSet } from './delivery/shard-set.js';
import { TokenProvider } from './delivery/token-provider.js';
import { type Clock, systemClock } from './engine/clock.js';
import { Engine, type OutageEvent } from './engine/engine.js';
import { ErrorCodes, IngestionError } from './errors.js';
import {
  type ExitCause,
  type ExitParticipant,
  exitAdvice,
  registerExit,
  unregisterExit,
} from './lifecycle/exit-hook.js';
import { MAX_FIELD_BYTES } from './record/field-cap.js';
import { safeStringify } from './record/serialize.js';
import { describeOutcome, duration } from './report/describe.js';
import { StatsCounter } from './report/stats.js';
import { Warner } from './report/warner.js';
import { SchemaCheck } from './schema/preflight.js';
import { openSpool } from './spool/open.js';
import type { DeliveryFailure, IngestionOptions, IngestionStats, ResolvedConfig } from './types.js';
import { userAgent } from './version.js';

/** The clock of the client under construction: set only by `createClientWithClock`. */
let constructingClock: Clock | undefined;

/**
 * A client on an injected clock, so tests drive timers and retries deterministically. Not
 * exported by the package (neither entry point): the public constructor has no test seam.
 */
export function createClientWithClock(
  options: IngestionOptions | undefined,
  env: Readonly<Record<string, string | undefined>>,
  clock: Clock,
): IngestionClient {
  constructingClock = clock;
  try {
    return new IngestionClient(options, env);
  } finally {
    constructingClock = undefined;
  }
}

/** Set by IngestionClient's static block: the unchecked entry, for `pushJsonUnchecked`. */
let acceptUnchecked: (client: IngestionClient, json: string) => boolean;
/** Set by IngestionClient's static block, for `beforeExitReport`. */
let addExitStep: (client: IngestionClient, step: () => void) => void;

/**
 * Runs `step` synchronously when the process is ending (`exit`, a signal without a handler),
 * just before the client reports what it still holds: an adapter that keeps lines of its own
 * (pino's line queue) hands them to the client there, so that they are counted and told, not
 * lost in silence. `step` must be synchronous and must not throw (a throw is ignored). For
 * adapters only (exported by `azure-ingestion-core/adapter`).
 */
export function beforeExitReport(client: IngestionClient, step: () => void): void {
  addExitStep(client, step);
}

/**
 * `client.pushJson(json)` for text that is one JSON object by construction, as the record
 * writer's `write()`, `writeJson()` and `entry()` return: no `{` … `}` check. That check reads
 * the text's characters, which makes V8 copy a string built from pieces into one (a rope
 * flattened per log); unread, the pieces are copied once, straight into the request with other
 * records. Text that is not one JSON object makes its request fail with 400 (then the records
 * are isolated and only the bad one is rejected, see README). For adapters only (exported by
 * `azure-ingestion-core/adapter`); use `pushJson` for text from elsewhere.
 */
export function pushJsonUnchecked(client: IngestionClient, json: string): boolean {
  return acceptUnchecked(client, json);
}

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** Starts with `{` and ends with `}` (the shape of one JSON object's text). */
const isBraced = (text: string): boolean =>
  text.charCodeAt(0) === OPEN_BRACE && text.charCodeAt(text.length - 1) === CLOSE_BRACE;

/**
 * Sends records (plain objects) to one Logs Ingestion stream, in gzipped batches under the
 * 1 MB limit, with retries, a bounded buffer, and `flush()`/`close()`.
 */
export class IngestionClient {
  /** The validated configuration (no secrets). */
  readonly config: ResolvedConfig;
  readonly #stats = new StatsCounter();
  readonly #engine: Engine;
  readonly #shards: ShardSet;
  readonly #tokens: TokenProvider;
  readonly #warner: Warner;
  readonly #idPrefix: string | undefined;
  readonly #onError: ((failure: DeliveryFailure) => void) | undefined;
  readonly #warnSink: ((line: string) => void) | undefined;
  /** The schema pre-flight, when `dcrFile` is set. */
  readonly #schema: SchemaCheck | undefined;
  /** Adapter steps run at process exit before the report (see beforeExitReport). */
  readonly #exitSteps: (() => void)[] = [];
  readonly #exit: ExitParticipant = {
    onBeforeExit: () => this.#engine.onBeforeExit(),
    onExit: (cause) => this.#onExit(cause),
  };
  #closing: Promise<IngestionStats> | undefined;

  /**
   * @param options explicit options; each falls back to its `AZURE_LOGS_INGESTION_*` variable.
   * @param env where the variables are read (default `process.env`).
   * @throws ConfigurationError listing every invalid option (the only throw of this class).
   */
  constructor(
    options?: IngestionOptions,
    env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    const settings = resolveConfig(options, env);
    const config = settings.config;
    this.config = config;
    const clock = constructingClock ?? systemClock;
    this.#warner = new Warner({
      enabled: config.warnings,
      intervalMs: config.warningIntervalMs,
      sink: settings.warn,
      now: clock.now,
    });
    this.#shards = new ShardSet(config);
    this.#tokens = new TokenProvider(settings, config.scope, clock.now, {
      timeoutMs: config.tokenTimeoutMs,
    });
    const sink = { stats: this.#stats, warner: this.#warner, onError: settings.onError };
    const spool = config.spoolDir === undefined ? undefined : openSpool({ ...sink, config, clock });
    this.#engine = new Engine({
      config,
      clock,
      shards: this.#shards,
      tokens: this.#tokens,
      stats: this.#stats,
      warner: this.#warner,
      onError: settings.onError,
      gzipLevel: config.gzipLevel,
      userAgent: userAgent(config.userAgent),
      now: clock.now,
      onOutage: (event) => this.#onOutage(event),
      spool,
    });
    this.#onError = settings.onError;
    this.#warnSink = settings.warn;
    this.#schema =
      settings.schema &&
      new SchemaCheck(settings.schema, config.fieldColumns, (line) => this.#warner.notice(line));
    this.#idPrefix = config.recordIdColumn
      ? `{${JSON.stringify(config.recordIdColumn)}:"`
      : undefined;
    registerExit(this.#exit);
  }

  /**
   * Queues one record (a plain object, serialized now: later mutations are not seen).
   * Returns false when the record was refused or dropped (see `onError`). Never throws.
   */
  push(record: object): boolean {
    this.#stats.accepted++;
    let text = safeStringify(record, this.config.maxDepth);
    if (typeof record !== 'object' || record === null || text.charCodeAt(0) !== OPEN_BRACE) {
      return this.#invalid(text, 'push() takes a plain object (a JSON object record)');
    }
    if (this.#idPrefix) text = this.#withId(text);
    this.#schema?.checkJson(text);
    return this.#engine.accept(text);
  }

  /**
   * Queues one record given as JSON object text (the pino fast path: no re-serialization).
   * Only a cheap check is made (`{` … `}`); text over 64 KB is reparsed so over-long fields
   * get truncated like push()'s. Returns false when refused or dropped. Never throws.
   */
  pushJson(json: string): boolean {
    this.#stats.accepted++;
    let text = typeof json === 'string' ? json : '';
    // Adapters pass text that starts and ends with a brace: trim only what does not.
    if (!isBraced(text)) {
      text = text.trim();
      if (!isBraced(text))
        return this.#invalid(text, 'pushJson() takes the text of one JSON object');
    }
    return this.#acceptJson(text);
  }

  static {
    acceptUnchecked = (client, json) => {
      client.#stats.accepted++;
      return client.#acceptJson(json);
    };
    addExitStep = (client, step) => {
      client.#exitSteps.push(step);
    };
  }

  /** Resolves when every record pushed before the call is delivered or finally failed. Never rejects. */
  flush(): Promise<IngestionStats> {
    return this.#engine.flush().then(
      () => this.stats(),
      () => this.stats(),
    );
  }

  /**
   * Flushes, stops timers and closes the sockets; bounded by `closeTimeoutMs` (records still
   * undelivered then fail with `ERR_INGESTION_CLOSED`). Idempotent; never rejects.
   */
  close(): Promise<IngestionStats> {
    this.#closing ??= this.#close().catch(() => this.stats());
    return this.#closing;
  }

  /** Immediate: aborts requests in flight and fails every undelivered record with `ERR_INGESTION_CLOSED`. */
  destroy(): void {
    this.#engine.stop();
    this.#engine.abandon('client destroyed');
    unregisterExit(this.#exit);
    this.#warner.stop();
    this.#shards.destroy().catch(() => {});
    this.#closing ??= Promise.resolve().then(() => this.stats());
  }

  /** A snapshot of the counters. */
  stats(): IngestionStats {
    return this.#stats.snapshot();
  }

  /**
   * What produces the tokens: `'DefaultAzureCredential'`, a built-in flow
   * (`'ManagedIdentity (App Service)'`, `'WorkloadIdentity'`, `'ClientSecret'`, `'IMDS'`),
   * the class name of the `credential` given, or `'StaticToken'`.
   */
  get credentialName(): string {
    return this.#tokens.credentialName;
  }

  async #close(): Promise<IngestionStats> {
    const { abandoned } = await this.#engine.close();
    unregisterExit(this.#exit);
    await (abandoned ? this.#shards.destroy() : this.#shards.close()).catch(() => {});
    this.#warner.flush();
    return this.stats();
  }

  /** Outages are warned when they begin (with the cause and a hint) and when they end. */
  #onOutage(event: OutageEvent): void {
    if (event.kind === 'end') {
      const { since, failures } = event.info;
      const attempts = failures === 1 ? '1 failed attempt' : `${failures} failed attempts`;
      this.#warner.notice(`delivery recovered after ${duration(event.now - since)} (${attempts})`);
      return;
    }
    const { what, hint } = describeOutcome(event.outcome);
    const budget = duration(this.config.maxRetryTimeMs);
    const waiting = `${event.waiting} ${event.waiting === 1 ? 'record' : 'records'} waiting`;
    this.#warner.notice(
      `delivery failing: ${what}; retrying one request at a time, each batch for up to ${budget} (maxRetryTimeMs), ${waiting}${hint ? `; ${hint}` : ''}`,
    );
  }

  /**
   * The process ends now (see lifecycle/exit-hook.ts): what is undelivered is counted as
   * dropped, given to `onError` and told in one line, synchronously.
   */
  #onExit(cause: ExitCause): void {
    for (const step of this.#exitSteps) {
      try {
        step();
      } catch {
        // An adapter's step must not stop the report.
      }
    }
    const { count, texts } = this.#engine.takeUndelivered(this.#onError !== undefined);
    unregisterExit(this.#exit);
    this.#warner.flush(true);
    if (count === 0) return;
    const plural = count === 1 ? 'record' : 'records';
    const advice = exitAdvice(cause);
    if (this.#onError) {
      const message = `${count} ${plural} not delivered: ${advice}`;
      const error = new IngestionError(ErrorCodes.CLOSED, message, { recordCount: count });
      try {
        this.#onError({ error, records: texts });
      } catch {
        this.#stats.hookErrors++;
      }
    }
    if (!this.config.warnings) return;
    const line = `azure-ingestion-core: ${count} ${plural} not delivered to ${this.config.streamName} at process exit: ${advice}`;
    try {
      if (this.#warnSink) this.#warnSink(line);
      else writeSync(2, `${line}\n`);
    } catch {
      // stderr closed: nothing more can be said.
    }
  }

  #invalid(text: string, reason: string): false {
    return this.#engine.refuse(ErrorCodes.INVALID_RECORD, text, text.length, reason);
  }

  /** Text over 64 KB is reparsed so over-long fields get truncated like push()'s. */
  #acceptJson(json: string): boolean {
    let text = json;
    // UTF-8 has at least 1 byte per UTF-16 unit: only long text can be over the 64 KB cap.
    if (text.length * 3 > MAX_FIELD_BYTES && Buffer.byteLength(text, 'utf8') > MAX_FIELD_BYTES) {
      const reparsed = reserialize(text, this.config.maxDepth);
      if (reparsed === undefined) return this.#invalid(text, 'pushJson() text is not valid JSON');
      text = reparsed;
    }
    if (this.#idPrefix) text = this.#withId(text);
    this.#schema?.checkJson(text);
    // The engine measures the size while writing the text into the request buffer.
    return this.#engine.accept(text);
  }

  /** Splices the id column in front of the other fields (cheaper than copying the object). */
  #withId(text: string): string {
    const id = `${this.#idPrefix}${randomUUID()}"`;
    const empty = text.length < 16 && /^\{\s*\}$/.test(text);
    return empty ? `${id}}` : `${id},${text.slice(1)}`;
  }
}

function reserialize(text: string, maxDepth: number): string | undefined {
  try {
    return safeStringify(JSON.parse(text), maxDepth);
  } catch {
    return undefined;
  }
}
