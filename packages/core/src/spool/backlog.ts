/**
 * The records that are on disk only: files taken over from earlier processes, and segments
 * evicted from memory (written already) when the byte budget was full. Kept in acceptance order
 * (`firstSeq`), read back a few at a time, just before they are sent.
 *
 *   [ gone | loaded | loading | disk | disk … ]     head ─► the oldest not yet taken
 *
 * Entries mostly arrive in order (a restart's files numbered first, evictions from the head of
 * the memory queue), so an insert is an append; a file taken over while running gets numbers
 * after records still in memory, and evictions of those go before it. An entry skipped (corrupt,
 * dropped at the spool cap) is marked gone and stepped over.
 */
import type { Segment } from '../engine/segment.js';

export interface Entry {
  /** The file's name in the client's folder. */
  readonly name: string;
  /** Acceptance number of its first record. */
  readonly firstSeq: number;
  readonly records: number;
  /** The file's size. */
  readonly fileBytes: number;
  state: 'disk' | 'loading' | 'loaded' | 'gone';
  /** Once loaded: the records, ready to send. */
  segment?: Segment | undefined;
}

const COMPACT_AT = 1024;

export class Backlog {
  #entries: Entry[] = [];
  #head = 0;
  /** Records of the entries not taken nor gone. */
  records = 0;

  insert(entry: Entry): void {
    const list = this.#entries;
    this.records += entry.records;
    const last = list[list.length - 1];
    if (list.length === this.#head || !last || last.firstSeq < entry.firstSeq) {
      list.push(entry);
      return;
    }
    let lo = this.#head;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((list[mid] as Entry).firstSeq < entry.firstSeq) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, entry);
  }

  /** The oldest entry not taken (gone ones are stepped over). */
  peek(): Entry | undefined {
    const list = this.#entries;
    while (this.#head < list.length && (list[this.#head] as Entry).state === 'gone') this.#head++;
    this.#compact();
    return list[this.#head];
  }

  /** Takes the oldest entry (the caller checked it with peek()). */
  shift(): Entry | undefined {
    const entry = this.peek();
    if (!entry) return undefined;
    this.#head++;
    this.records -= entry.records;
    return entry;
  }

  /** Marks an entry gone (skipped or dropped): its records leave the count. */
  remove(entry: Entry): void {
    if (entry.state === 'gone') return;
    entry.state = 'gone';
    entry.segment = undefined;
    this.records -= entry.records;
  }

  /** Entries not taken, oldest first (gone ones included: check `state`). */
  *pending(): Generator<Entry> {
    for (let i = this.#head; i < this.#entries.length; i++) yield this.#entries[i] as Entry;
  }

  /** Forgets everything (the spool closed: the files stay for the next client). */
  clear(): Entry[] {
    const left = this.#entries.slice(this.#head).filter((e) => e.state !== 'gone');
    this.#entries = [];
    this.#head = 0;
    this.records = 0;
    return left;
  }

  #compact(): void {
    if (this.#head >= COMPACT_AT && this.#head * 2 >= this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
  }
}
