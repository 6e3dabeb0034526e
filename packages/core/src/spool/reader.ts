/**
 * Reading the backlog back (records on disk only): a few files ahead of the engine, within the
 * memory budget, each verified before its records become a segment to send. A file that cannot
 * be used is moved aside and its records reported; so are files dropped at the spool's cap.
 *
 *   Backlog: [ disk ─read─► loading ─verified─► loaded ] ──take──► the engine sends it
 *                                 └─ torn / corrupt ─► *.corrupt, counted dropped, reported
 */

import { join } from 'node:path';
import type { Clock } from '../engine/clock.js';
import { Segment } from '../engine/segment.js';
import { ErrorCodes, IngestionError } from '../errors.js';
import { countFailure, type FailureSink, notifyFailure } from '../report/failures.js';
import type { ResolvedConfig } from '../types.js';
import type { Backlog, Entry } from './backlog.js';
import { moveAside, readSpoolFile } from './files.js';
import { decode, recordTexts } from './format.js';
import type { SpoolWriter } from './writer.js';

/** Read errors that say "not now" rather than "this file is bad". */
const BUSY: ReadonlySet<string> = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY']);
const RETRY_READ_MS = 1000;

export interface ReaderDeps extends FailureSink {
  readonly config: ResolvedConfig;
  readonly clock: Clock;
  readonly dir: string;
  readonly backlog: Backlog;
  readonly writer: SpoolWriter;
  /** A file was read back: the engine can send it. */
  readonly wake: () => void;
  /** Records on disk only will not be sent: flush() waiters check again. */
  readonly settled: () => void;
}

export class BacklogReader {
  readonly #deps: ReaderDeps;
  /** Entries being read or read, not yet taken, and their bytes. */
  #ahead = 0;
  #aheadBytes = 0;
  #stopped = false;

  constructor(deps: ReaderDeps) {
    this.#deps = deps;
  }

  /** The engine takes a loaded entry: it leaves the backlog, the next ones are read. */
  taken(entry: Entry): Segment | undefined {
    this.#deps.backlog.shift();
    this.#ahead--;
    this.#aheadBytes -= entry.segment?.bytes ?? 0;
    this.readAhead();
    return entry.segment;
  }

  /**
   * Reads the backlog's oldest entries, up to `maxConcurrency` ahead, within the memory budget
   * (the first one in any case, so that the backlog always moves).
   */
  readAhead(): void {
    const { config, stats, backlog } = this.#deps;
    for (const entry of backlog.pending()) {
      if (this.#stopped || this.#ahead >= config.maxConcurrency) return;
      if (entry.state !== 'disk') continue;
      const fits =
        stats.bufferedBytes + this.#aheadBytes + entry.fileBytes <= config.maxBufferBytes;
      if (this.#ahead > 0 && !fits) return;
      this.#ahead++;
      this.#aheadBytes += entry.fileBytes;
      void this.#read(entry);
    }
  }

  /** No more reading (the spool closed); reads under way are dropped when they end. */
  stop(): void {
    this.#stopped = true;
    this.#ahead = 0;
    this.#aheadBytes = 0;
  }

  /** Drops a file at the spool's cap: counted now, reported with its records once read. */
  drop(entry: Entry): void {
    this.#forget(entry, ErrorCodes.BUFFER_OVERFLOW);
    void this.#reportDropped(entry);
  }

  async #read(entry: Entry): Promise<void> {
    entry.state = 'loading';
    let problem: string;
    try {
      const decoded = decode(await readSpoolFile(this.#deps.dir, entry.name), entry.records);
      if ('body' in decoded) {
        this.#loaded(entry, decoded.body, decoded.sizes);
        return;
      }
      problem = decoded.problem;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== undefined && BUSY.has(code)) return this.#retryLater(entry);
      problem = `unreadable (${code ?? String(error)})`;
    }
    await this.#corrupt(entry, problem);
  }

  #done(entry: Entry): boolean {
    if (entry.state !== 'loading' || this.#stopped) return false;
    this.#aheadBytes -= entry.fileBytes;
    return true;
  }

  /** Too many open files, for now: the entry is read again a little later. */
  #retryLater(entry: Entry): void {
    if (!this.#done(entry)) return;
    entry.state = 'disk';
    this.#ahead--;
    this.#deps.clock.setTimeout(() => this.#deps.wake(), RETRY_READ_MS).unref();
  }

  #loaded(entry: Entry, body: Buffer, sizes: readonly number[]): void {
    if (!this.#done(entry)) return;
    const { config, stats } = this.#deps;
    const segment = Segment.fromBody(entry.firstSeq, config.maxBatchBytes, body, sizes);
    this.#deps.writer.adopt(segment, entry.name, entry.records, entry.fileBytes);
    entry.segment = segment;
    entry.state = 'loaded';
    this.#aheadBytes += segment.bytes;
    stats.bufferedBytes += segment.bytes;
    this.#deps.wake();
  }

  /** A file that cannot be used: moved aside, its records counted dropped and reported. */
  async #corrupt(entry: Entry, problem: string): Promise<void> {
    if (!this.#done(entry)) return;
    this.#ahead--;
    this.#forget(entry, ErrorCodes.SPOOL_CORRUPT);
    let kept: string;
    try {
      kept = join(this.#deps.dir, await moveAside(this.#deps.dir, entry.name));
    } catch {
      kept = `${join(this.#deps.dir, entry.name)} (could not be renamed)`;
    }
    const reason = `spool file skipped: ${problem}; kept as ${kept}`;
    const hint = 'the file was torn or altered on disk; inspect it, then delete it';
    this.#report(entry, ErrorCodes.SPOOL_CORRUPT, reason, [], hint);
    this.readAhead();
    this.#deps.wake();
  }

  async #reportDropped(entry: Entry): Promise<void> {
    let texts: string[] = [];
    try {
      const decoded = decode(await readSpoolFile(this.#deps.dir, entry.name), entry.records);
      if ('body' in decoded) texts = recordTexts(decoded.body, decoded.sizes);
    } catch {
      // Reported without its records.
    }
    const { spoolMaxBytes } = this.#deps.config;
    const reason = `spool full (spoolMaxBytes ${spoolMaxBytes}), policy drop-oldest`;
    this.#report(entry, ErrorCodes.BUFFER_OVERFLOW, reason, texts);
    this.#deps.writer.deleteFile(entry.name);
  }

  #report(
    entry: Entry,
    code: typeof ErrorCodes.SPOOL_CORRUPT | typeof ErrorCodes.BUFFER_OVERFLOW,
    reason: string,
    texts: string[],
    hint?: string,
  ): void {
    const n = entry.records;
    const message = `${n} ${n === 1 ? 'record' : 'records'} not delivered: ${reason}`;
    const error = new IngestionError(code, message, { recordCount: n, hint });
    notifyFailure(this.#deps, error, texts, reason);
  }

  /**
   * Records on disk only that will not be sent: counted at once, so that the counters add up
   * before the report (which waits for the file).
   */
  #forget(
    entry: Entry,
    code: typeof ErrorCodes.SPOOL_CORRUPT | typeof ErrorCodes.BUFFER_OVERFLOW,
  ): void {
    this.#deps.backlog.remove(entry);
    const { stats } = this.#deps;
    stats.spooled -= entry.records;
    stats.spoolBytes -= entry.fileBytes;
    countFailure(this.#deps, code, entry.records);
    this.#deps.settled();
  }
}
