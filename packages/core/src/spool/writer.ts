/**
 * Writes segments to the client's spool folder, one file per segment, one at a time, and
 * deletes a segment's file once the engine is done with it (acknowledged, or finally failed).
 *
 *   sealed segment ─► queue ─► (released already? skip: delivered before it was written)
 *                                └► encode (copy) ─► room under the cap? ─► temp + fsync + rename
 *
 * Each segment's state is a Mark. The file counts in `stats.spooled` / `spoolBytes` from the
 * moment its rename is done until its deletion starts. At exit, `writeSync` writes what must
 * not be lost the blocking way.
 */
import type { Clock } from '../engine/clock.js';
import type { Segment } from '../engine/segment.js';
import type { StatsCounter } from '../report/stats.js';
import type { Warner } from '../report/warner.js';
import { remove, removeSync, writeAtomic, writeAtomicSync } from './files.js';
import { encode, fileName, filePlace, parseName, type Ranges } from './format.js';

/** Where a segment stands with the spool. */
export interface Mark {
  state: 'queued' | 'writing' | 'written' | 'failed' | 'skipped';
  /** The engine is done with the segment: its file goes (or is never written). */
  released: boolean;
  /**
   * Its place in the order of files (see format.ts), taken when it was sealed, so in acceptance
   * order, and kept by every write of it: a file written late (at exit, or again after a split)
   * still sorts where its records belong.
   */
  readonly place: string;
  name: string;
  records: number;
  fileBytes: number;
}

export interface WriterDeps {
  readonly dir: string;
  readonly tag: string;
  readonly clock: Clock;
  readonly stats: StatsCounter;
  readonly warner: Warner;
  /** Whether a file of `bytes` fits under the cap (after dropping old files, by policy). */
  readonly makeRoom: (bytes: number) => boolean;
}

export class SpoolWriter {
  readonly #deps: WriterDeps;
  readonly marks = new WeakMap<Segment, Mark>();
  #queue: Segment[] = [];
  #next = 0;
  #running = false;
  #counter = 0;
  /** Never back in time, even when the system clock is set back. */
  #time = 0;
  /** Bytes of files being written (not yet in `spoolBytes`). */
  reserved = 0;
  /** File operations under way, and who waits for none. */
  #ops = 0;
  #idle: Array<() => void> = [];
  #stopped = false;

  constructor(deps: WriterDeps) {
    this.#deps = deps;
  }

  /** A new Mark, placed after every file of this client so far. */
  #mark(place?: string): Mark {
    this.#time = Math.max(this.#time, this.#deps.clock.now());
    place ??= filePlace(this.#time, ++this.#counter, this.#deps.tag);
    return { state: 'queued', released: false, place, name: '', records: 0, fileBytes: 0 };
  }

  /** Queues a sealed segment for writing. */
  enqueue(segment: Segment): void {
    if (this.#stopped) return;
    this.marks.set(segment, this.#mark());
    this.#queue.push(segment);
    if (!this.#running) {
      this.#running = true;
      this.#begin();
      // From a later macrotask: the copy of the body is never made inside a log call.
      setImmediate(() => void this.#drain().finally(() => this.#end()));
    }
  }

  /** The engine is done with a segment: its file is deleted (now, or when its write ends). */
  release(segment: Segment): void {
    const mark = this.marks.get(segment);
    if (!mark) return;
    mark.released = true;
    if (mark.state === 'written') this.#delete(segment, mark);
  }

  /** A file already on disk (read back from the spool) that the engine now holds. */
  adopt(segment: Segment, name: string, records: number, fileBytes: number): void {
    const mark = this.#mark(parseName(name)?.place);
    this.marks.set(segment, Object.assign(mark, { state: 'written', name, records, fileBytes }));
  }

  /**
   * Writes records of `segment` at once, blocking (exit hook, close timeout): the file replaces
   * the segment's own when it has one (a write under way is overtaken with the same name and
   * bytes; a file holding records settled since, after a split, is replaced by a smaller one).
   * Returns false when the write failed.
   */
  writeSync(segment: Segment, ranges: Ranges): boolean {
    const mark = this.marks.get(segment) ?? this.#mark();
    let records = 0;
    for (const [from, to] of ranges) records += to - from;
    if (mark.state === 'written' && mark.records === records) return true;
    const { data } = encode(segment, ranges);
    // A write under way has the same name and bytes: whichever rename comes last, one file.
    const name = fileName(mark.place, records);
    try {
      writeAtomicSync(this.#deps.dir, name, data);
    } catch (error) {
      this.#writeFailed(error);
      return false;
    }
    if (mark.state === 'written') {
      // It held records settled since (a split): the smaller file replaces it.
      this.#uncount(mark);
      removeSync(this.#deps.dir, mark.name);
    }
    // The same Mark object: a write under way sees it is written and leaves it alone.
    Object.assign(mark, { state: 'written', name, records, fileBytes: data.length });
    this.marks.set(segment, mark);
    this.#count(mark);
    return true;
  }

  /** No more asynchronous writes (the spool closed); what is queued stays unwritten. */
  stop(): void {
    this.#stopped = true;
    this.#queue = [];
    this.#next = 0;
  }

  /** Resolves when no write or delete is under way. */
  idle(): Promise<void> {
    if (this.#ops === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #drain(): Promise<void> {
    while (!this.#stopped && this.#next < this.#queue.length) {
      const segment = this.#queue[this.#next++] as Segment;
      if (this.#next > 1024 && this.#next * 2 > this.#queue.length) {
        this.#queue = this.#queue.slice(this.#next);
        this.#next = 0;
      }
      const mark = this.marks.get(segment);
      if (mark?.state !== 'queued') continue;
      if (mark.released) {
        this.marks.delete(segment); // delivered before it was written: nothing to do
        continue;
      }
      await this.#write(segment, mark);
    }
    this.#running = false;
  }

  async #write(segment: Segment, mark: Mark): Promise<void> {
    const { data, records } = encode(segment, [[segment.head, segment.ends.length]]);
    if (!this.#deps.makeRoom(data.length)) {
      mark.state = 'skipped'; // kept in memory only (the spool cap, policy drop-newest)
      return;
    }
    mark.state = 'writing';
    mark.name = fileName(mark.place, records);
    mark.records = records;
    mark.fileBytes = data.length;
    this.reserved += data.length;
    try {
      await writeAtomic(this.#deps.dir, mark.name, data);
    } catch (error) {
      if (mark.state === 'writing') mark.state = 'failed';
      this.#writeFailed(error);
      return;
    } finally {
      this.reserved -= data.length;
    }
    if (mark.state !== 'writing') return; // overtaken by writeSync (same name, same bytes)
    mark.state = 'written';
    this.#count(mark);
    if (mark.released) this.#delete(segment, mark);
  }

  #count(mark: Mark): void {
    this.#deps.stats.spooled += mark.records;
    this.#deps.stats.spoolBytes += mark.fileBytes;
  }

  #uncount(mark: Mark): void {
    this.#deps.stats.spooled -= mark.records;
    this.#deps.stats.spoolBytes -= mark.fileBytes;
  }

  #delete(segment: Segment, mark: Mark): void {
    this.marks.delete(segment);
    this.#uncount(mark);
    this.deleteFile(mark.name);
  }

  /** Deletes a file (its records already left the counters). */
  deleteFile(name: string): void {
    this.#begin();
    remove(this.#deps.dir, name)
      .catch((error: NodeJS.ErrnoException) => {
        // Left behind, it would be sent again by the next client: say so.
        this.#deps.warner.notice(
          `spool: cannot delete ${name} in ${this.#deps.dir} (${error.code ?? error.message}); the next client with this spoolDir will send its records again`,
        );
      })
      .finally(() => this.#end());
  }

  #writeFailed(error: unknown): void {
    const e = error as NodeJS.ErrnoException;
    this.#deps.warner.notice(
      `spool: cannot write to ${this.#deps.dir} (${e.code ?? e.message}); records stay in memory only until it can`,
    );
  }

  #begin(): void {
    this.#ops++;
  }

  #end(): void {
    if (--this.#ops > 0) return;
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }
}
