/**
 * Rows per output table, in memory and optionally appended to `<dataDir>/<table>.jsonl` so they
 * survive a restart (reloaded at start). Each row carries `_TimeReceived` like Log Analytics.
 */
import { EventEmitter } from 'node:events';
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTimeMs } from '../dcr/iso-time.js';
import type { RowQuery } from '../types.js';
import { RowBuffer } from './row-buffer.js';

export type Row = Record<string, unknown> & { _TimeReceived: string };

/** Accept `AppLogs_CL` and `Custom-AppLogs_CL` alike. */
export function normalizeTable(table: string): string {
  return table.replace(/^(Custom|Microsoft)-/, '');
}

function toMs(v: Date | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  return v instanceof Date ? v.getTime() : v;
}

export class RowStore extends EventEmitter {
  readonly #tables = new Map<string, RowBuffer<Row>>();
  readonly #dataDir: string | undefined;
  readonly #maxRows: number;

  constructor(dataDir: string | undefined, maxRows: number) {
    super();
    this.#dataDir = dataDir;
    this.#maxRows = maxRows;
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      this.#reload(dataDir);
    }
  }

  #reload(dir: string): void {
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.jsonl')) continue;
      const rows: Row[] = [];
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
        if (!line) continue;
        try {
          rows.push(JSON.parse(line) as Row);
        } catch {
          // A torn last line (crash mid-append) is skipped, not fatal.
        }
      }
      const table = new RowBuffer<Row>(this.#maxRows);
      table.push(rows.length > this.#maxRows ? rows.slice(-this.#maxRows) : rows);
      this.#tables.set(file.slice(0, -'.jsonl'.length), table);
    }
  }

  /**
   * Append rows to a table (and its file) and notify waiters. With `text` (the JSON array the
   * rows were parsed from, when each row is its record plus `_TimeReceived`), the table keeps
   * the text instead of the objects (see row-buffer.ts).
   */
  append(table: string, rows: Row[], text?: string): void {
    if (rows.length === 0) return;
    let list = this.#tables.get(table);
    if (!list) {
      list = new RowBuffer(this.#maxRows);
      this.#tables.set(table, list);
    }
    if (text === undefined) list.push(rows);
    else {
      const received = rows[0]!._TimeReceived;
      list.pushText(text, rows.length, (row) => {
        row._TimeReceived = received;
        return row;
      });
    }
    if (this.#dataDir) {
      appendFileSync(
        join(this.#dataDir, `${table}.jsonl`),
        `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`,
      );
    }
    this.emit('rows', table);
  }

  /** Rows kept in memory (at most maxRowsPerTable). */
  count(table: string): number {
    return this.#tables.get(normalizeTable(table))?.size ?? 0;
  }

  /** Rows appended since start or the last clear, evicted ones included. */
  received(table: string): number {
    return this.#tables.get(normalizeTable(table))?.received ?? 0;
  }

  tables(): string[] {
    return [...this.#tables.keys()];
  }

  query(table: string, q: RowQuery = {}): Row[] {
    const since = toMs(q.since);
    const until = toMs(q.until);
    const out: Row[] = [];
    const limit = q.limit ?? Number.POSITIVE_INFINITY;
    const filtered = since !== undefined || until !== undefined;
    const list = this.#tables.get(normalizeTable(table));
    if (!list) return out;
    for (const batch of list.batches()) {
      for (const row of batch.rows) {
        if (out.length >= limit) return out;
        if (filtered) {
          const t = parseTimeMs(row._TimeReceived);
          if (since !== undefined && t < since) continue;
          if (until !== undefined && t >= until) continue;
        }
        out.push(batch.shared ? structuredClone(row) : row);
      }
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * Every kept row of a table, oldest first, without the copy query() makes: for readers that
   * never change a row (the console's queries read values into rows of their own).
   */
  readAll(table: string): ReadonlyArray<Readonly<Row>> {
    const out: Row[] = [];
    const list = this.#tables.get(normalizeTable(table));
    if (!list) return out;
    for (const batch of list.batches()) for (const row of batch.rows) out.push(row);
    return out;
  }

  /** Forget the rows in memory (files in the data directory are kept). */
  clear(): void {
    this.#tables.clear();
  }

  /** The emulator stopped: pending waits reject now instead of at their timeout. */
  close(): void {
    this.emit('stopped');
  }

  /**
   * Resolve once `table` has received at least `count` rows. Rows evicted beyond maxRowsPerTable
   * count too, so a test can wait for more rows than the table keeps.
   */
  waitFor(table: string, count: number, timeoutMs: number): Promise<void> {
    const name = normalizeTable(table);
    if (this.received(name) >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onRows = (t: string): void => {
        if (t === name && this.received(name) >= count) {
          cleanup();
          resolve();
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        const got = this.received(name);
        const kept = this.count(name);
        const evicted = got > kept ? ` (${got - kept} evicted beyond maxRowsPerTable)` : '';
        reject(
          new Error(
            `waitForRows: table ${name} has ${got} rows${evicted} after ${timeoutMs} ms, expected at least ${count} (tables: ${this.tables().join(', ') || 'none'})`,
          ),
        );
      }, timeoutMs);
      const onStopped = (): void => {
        cleanup();
        reject(
          new Error(`waitForRows: the emulator stopped while waiting for ${count} rows in ${name}`),
        );
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off('rows', onRows);
        this.off('stopped', onStopped);
      };
      this.on('rows', onRows);
      this.on('stopped', onStopped);
    });
  }
}
