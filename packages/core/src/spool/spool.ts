/**
 * The durable spool (option `spoolDir`): what the engine keeps in memory also goes to disk,
 * so that an outage longer than the byte budget, a crash or a restart loses nothing written.
 *
 *   push ─► open segment ─seal (full, or the flush timer)─► SpoolWriter: file per segment
 *                │                                             │ acknowledged / finally failed:
 *                ▼                                             ▼ file deleted
 *   memory full: segments already written leave memory ─► Backlog (disk only)
 *   a restart:   files of dead clients taken over ───────► Backlog, numbered before new records
 *                                                             │ read back (a few ahead),
 *   engine: takes the backlog's oldest first when it is ◄─────┘ verified, sent like a segment
 *           older than the memory queue
 *
 * Engine hooks (all per segment or per timer, none per record): `sealed`, `tick`, `evict`,
 * `droppable`, `take`, `release`, `spill`. Without `spoolDir` there is no Spool and the engine
 * runs exactly as before.
 */

import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock, TimerHandle } from '../engine/clock.js';
import type { Segment } from '../engine/segment.js';
import type { SegmentQueue } from '../engine/segment-queue.js';
import type { FailureSink } from '../report/failures.js';
import type { ResolvedConfig } from '../types.js';
import { Backlog } from './backlog.js';
import { removeIfEmpty, syncDirSync } from './files.js';
import { FORMAT_VERSION, parseName, type Ranges } from './format.js';
import {
  adoptOrphans,
  createOwnFolder,
  destinationDir,
  HEARTBEAT_MS,
  OWNER_FILE,
  release as releaseFolder,
  touch,
} from './owner.js';
import { BacklogReader } from './reader.js';
import { SpoolWriter } from './writer.js';

export interface SpoolDeps extends FailureSink {
  readonly config: ResolvedConfig;
  readonly clock: Clock;
}

/** What the engine gives the spool. */
export interface SpoolHost {
  readonly queue: SegmentQueue;
  /** Numbers `count` records taken over from other clients; returns the first number. */
  reserve(count: number): number;
  /** Something can be sent (a file was read back): the engine starts what it can. */
  wake(): void;
  /** Records on disk only were skipped or dropped: flush() waiters check again. */
  settled(): void;
}

/** Records of one segment the engine still holds, for `spill`. */
export interface SpillPart {
  readonly segment: Segment;
  readonly from: number;
  readonly to: number;
}

/** `take()`: the backlog goes first, but its oldest file is still being read. */
export const WAIT = Symbol('wait');

export class Spool {
  /** The client's own folder. */
  readonly dir: string;
  readonly #dest: string;
  readonly #tag: string;
  readonly #deps: SpoolDeps;
  readonly #writer: SpoolWriter;
  readonly #backlog = new Backlog();
  #host: SpoolHost | undefined;
  readonly #reader: BacklogReader;
  #heartbeat: TimerHandle | undefined;
  #closed = false;
  #spilled = false;

  /** Creates the client's folder (synchronous, at construction). @throws the fs error */
  constructor(deps: SpoolDeps) {
    this.#deps = deps;
    const { spoolDir, ruleId, streamName } = deps.config;
    this.#dest = destinationDir(spoolDir as string, ruleId, streamName);
    const { dir, tag } = createOwnFolder(this.#dest, deps.clock.now());
    this.dir = dir;
    this.#tag = tag;
    this.#writer = new SpoolWriter({
      dir,
      tag,
      clock: deps.clock,
      stats: deps.stats,
      warner: deps.warner,
      makeRoom: (bytes) => this.#makeRoom(bytes),
    });
    this.#reader = new BacklogReader({
      ...deps,
      dir,
      backlog: this.#backlog,
      writer: this.#writer,
      wake: () => this.#host?.wake(),
      settled: () => this.#host?.settled(),
    });
  }

  /** Connects the engine, takes over the files of dead clients and starts the heartbeat. */
  attach(host: SpoolHost): void {
    this.#host = host;
    this.#adopt();
    this.#heartbeat = this.#deps.clock.setTimeout(() => this.#beat(), HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  // ── engine hooks ──────────────────────────────────────────────────────────────────────────

  /** A segment was sealed (full, taken, or by `tick`): it is written to disk. */
  sealed(segment: Segment): void {
    if (!this.#closed) this.#writer.enqueue(segment);
  }

  /** The flush timer fired: what is still in the open segment is sealed, hence written. */
  tick(): void {
    if (!this.#closed) this.#host?.queue.sealOpen();
  }

  /**
   * Memory is full: queued segments already on disk leave memory, oldest first, until `bytes`
   * more fit the budget.
   */
  evict(bytes: number): void {
    const queue = this.#host?.queue;
    const { stats, config } = this.#deps;
    if (!queue || this.#closed) return;
    while (stats.bufferedBytes + bytes > config.maxBufferBytes) {
      const segment = queue.peek();
      const mark = segment && this.#writer.marks.get(segment);
      if (!segment?.sealed || mark?.state !== 'written') return;
      queue.take();
      stats.bufferedBytes -= segment.bytes;
      this.#writer.marks.delete(segment);
      const { name, records, fileBytes } = mark;
      const firstSeq = segment.firstSeq + segment.head;
      this.#backlog.insert({ name, firstSeq, records, fileBytes, state: 'disk' });
      queue.recycle(segment);
    }
  }

  /** Whether the overflow policy may drop records of this queued segment (not on their way to disk). */
  droppable(segment: Segment): boolean {
    const state = this.#writer.marks.get(segment)?.state;
    return state === undefined || state === 'failed' || state === 'skipped';
  }

  /**
   * The backlog's oldest segment when it is older than the memory queue's head (`queueHead`),
   * read back already; `WAIT` while it is being read (the engine is woken then); undefined when
   * the memory queue goes first.
   */
  take(queueHead: number): Segment | typeof WAIT | undefined {
    const entry = this.#backlog.peek();
    if (!entry || entry.firstSeq > queueHead) return undefined;
    if (entry.state !== 'loaded') {
      this.#reader.readAhead();
      return WAIT;
    }
    return this.#reader.taken(entry);
  }

  /** Acceptance number of the oldest record on disk only, or Infinity. */
  headSeq(): number {
    return this.#backlog.peek()?.firstSeq ?? Number.POSITIVE_INFINITY;
  }

  /** Records on disk only (waiting to be read back and sent). */
  get records(): number {
    return this.#backlog.records;
  }

  /** The engine is done with a segment (acknowledged, or finally failed): its file goes. */
  release(segment: Segment): void {
    this.#writer.release(segment);
  }

  /**
   * The end (exit, close timeout, destroy): what the engine still holds is written now,
   * synchronously, unless it is on disk already; the backlog stays on disk for the next client.
   * Returns the parts that could not be written (lost).
   */
  spill(parts: readonly SpillPart[]): SpillPart[] {
    this.#stop();
    const lost: SpillPart[] = [];
    const bySegment = new Map<Segment, Array<[number, number]>>();
    for (const p of parts) {
      if (p.to <= p.from) continue;
      const ranges = bySegment.get(p.segment) ?? [];
      ranges.push([p.from, p.to]);
      bySegment.set(p.segment, ranges);
    }
    // Oldest first: a file's name is its place in the replay order, taken at seal time, but
    // a segment never sealed before (the open one) takes its place now.
    const ordered = [...bySegment].sort(([a], [b]) => a.firstSeq - b.firstSeq);
    for (const [segment, ranges] of ordered) {
      ranges.sort((a, b) => a[0] - b[0]);
      if (this.#writer.writeSync(segment, ranges as Ranges)) continue;
      for (const [from, to] of ranges) lost.push({ segment, from, to });
    }
    if (ordered.length > 0) syncDirSync(this.dir);
    removeIfEmpty(this.dir, OWNER_FILE);
    for (const entry of this.#backlog.clear()) {
      if (entry.state === 'loaded') this.#deps.stats.bufferedBytes -= entry.segment?.bytes ?? 0;
    }
    const told = this.#spilled;
    this.#spilled = true;
    const left = this.#deps.stats.spooled;
    // Said once: the exit hook may come after a close() or a drain that spilled already.
    if (left > 0 && !told) {
      this.#deps.warner.notice(
        `${left} ${left === 1 ? 'record' : 'records'} kept in the spool (${this.dir}); the next client with this spoolDir sends them`,
      );
    }
    return lost;
  }

  /** Graceful end: waits for file operations under way; the folder goes if nothing is left. */
  async close(): Promise<void> {
    this.#stop();
    await this.#writer.idle();
    removeIfEmpty(this.dir, OWNER_FILE);
  }

  #stop(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#writer.stop();
    this.#reader.stop();
    if (this.#heartbeat) this.#deps.clock.clearTimeout(this.#heartbeat);
    this.#heartbeat = undefined;
    releaseFolder(this.dir);
  }

  // ── taking over, reading back ─────────────────────────────────────────────────────────────

  /** Takes over the files of dead clients: numbered now, before any record pushed later. */
  #adopt(): void {
    const host = this.#host;
    if (!host) return;
    const names = adoptOrphans(this.#dest, this.dir, this.#tag, this.#deps.clock.now());
    const files = names
      .map(parseName)
      .filter((f) => f !== undefined && f.version === FORMAT_VERSION && f.records > 0)
      .sort((a, b) => (a!.name < b!.name ? -1 : 1));
    let total = 0;
    for (const f of files) total += f!.records;
    if (total === 0) return;
    let seq = host.reserve(total);
    const { stats } = this.#deps;
    for (const f of files) {
      const { name, records } = f!;
      const fileBytes = this.#size(name);
      this.#backlog.insert({ name, firstSeq: seq, records, fileBytes, state: 'disk' });
      seq += records;
      stats.spooled += records;
      stats.spoolBytes += fileBytes;
    }
    stats.accepted += total;
    stats.replayed += total;
    this.#deps.warner.notice(
      `spool: ${total} ${total === 1 ? 'record' : 'records'} left by an earlier process found in ${this.#dest}; sending them first`,
    );
    setImmediate(() => host.wake());
  }

  #size(name: string): number {
    try {
      return statSync(join(this.dir, name)).size;
    } catch {
      return 0;
    }
  }

  /** The heartbeat (for clients on other hosts sharing the folder), and a look for orphans. */
  #beat(): void {
    try {
      touch(this.dir, this.#deps.clock.now());
    } catch {
      // The folder was removed under us: the next write says so.
    }
    this.#adopt();
    this.#heartbeat?.refresh();
  }

  // ── the cap ───────────────────────────────────────────────────────────────────────────────

  /**
   * Whether a file of `bytes` fits under `spoolMaxBytes`. With `drop-oldest`, the oldest files
   * on disk only are dropped until it does (their records counted dropped and reported).
   */
  #makeRoom(bytes: number): boolean {
    const { config, stats } = this.#deps;
    const fits = () => stats.spoolBytes + this.#writer.reserved + bytes <= config.spoolMaxBytes;
    if (fits() || config.overflow !== 'drop-oldest') return fits();
    for (const entry of this.#backlog.pending()) {
      if (fits()) break;
      if (entry.state === 'disk') this.#reader.drop(entry);
    }
    return fits();
  }
}
