/**
 * The console's query layer: a table name, the row-level operators of transforms, and the
 * query-time operators (take/limit, order by/sort by, top, count, summarize, distinct), typed
 * and with errors that point at the problem. Transforms stay as strict as before: the same
 * operators are refused in a DCR transform.
 */
import { describe, expect, it } from 'vitest';
import { compileTransform } from '../src/dcr/transform.js';
import { KqlError } from '../src/kql/errors.js';
import { compileTableQuery } from '../src/kql/query.js';
import type { Schema } from '../src/kql/types.js';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const APP: Schema = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'Level', type: 'string' },
  { name: 'Message', type: 'string' },
  { name: 'SeverityNumber', type: 'int' },
  { name: 'DurationMs', type: 'long' },
  { name: 'Properties', type: 'dynamic' },
];
const at = (min: number) => new Date(NOW - min * 60_000).toISOString();
/** Newest first, as the console passes a table's rows. */
const ROWS = [
  {
    TimeGenerated: at(1),
    Level: 'error',
    Message: 'db down',
    SeverityNumber: 17,
    DurationMs: 900,
    Properties: { host: 'a' },
  },
  {
    TimeGenerated: at(2),
    Level: 'info',
    Message: 'ok',
    SeverityNumber: 9,
    DurationMs: 12,
    Properties: { host: 'b' },
  },
  {
    TimeGenerated: at(3),
    Level: 'error',
    Message: 'timeout',
    SeverityNumber: 17,
    DurationMs: null,
    Properties: null,
  },
  {
    TimeGenerated: at(4),
    Level: 'warn',
    Message: 'slow',
    SeverityNumber: 13,
    DurationMs: 450,
    Properties: { host: 'a' },
  },
  {
    TimeGenerated: at(5),
    Level: 'info',
    Message: 'ok',
    SeverityNumber: 9,
    DurationMs: 8,
    Properties: { host: 'a' },
  },
];

const schemaOf = (t: string) => (t === 'AppLogs_CL' ? APP : undefined);
const query = (q: string, maxRows?: number) =>
  compileTableQuery(q, schemaOf).run(ROWS, { now: NOW, ...(maxRows ? { maxRows } : {}) });
const rowsOf = (q: string) => query(q).rows;
const columnsOf = (q: string) =>
  compileTableQuery(q, schemaOf).columns.map((c) => `${c.name}:${c.type}`);

function errorOf(q: string): string {
  try {
    compileTableQuery(q, schemaOf);
  } catch (err) {
    if (err instanceof KqlError) return err.format(q);
    throw err;
  }
  throw new Error(`no error for ${q}`);
}

describe('console queries: the table and the row-level operators', () => {
  it('reads the table in the order given, with its columns and stored values', () => {
    const r = query('AppLogs_CL');
    expect(r.total).toBe(5);
    expect(r.columns).toEqual(APP);
    expect(r.rows[0]).toEqual(ROWS[0]);
    expect(r.rows.map((x) => x.Message)).toEqual(ROWS.map((x) => x.Message));
  });

  it('filters, extends and projects as a transform does', () => {
    expect(rowsOf('AppLogs_CL | where Level == "error"').map((r) => r.Message)).toEqual([
      'db down',
      'timeout',
    ]);
    expect(
      rowsOf("AppLogs_CL | where Properties.host == 'a' and SeverityNumber < 17 | project Message"),
    ).toEqual([{ Message: 'slow' }, { Message: 'ok' }]);
    expect(
      rowsOf(
        'AppLogs_CL | where TimeGenerated > ago(150s) | extend Slow = DurationMs > 100 | project Slow',
      ),
    ).toEqual([{ Slow: true }, { Slow: false }]);
  });

  it('cuts the rows it returns at maxRows and says how many there were', () => {
    const r = query('AppLogs_CL | project Level', 2);
    expect(r.rows).toEqual([{ Level: 'error' }, { Level: 'info' }]);
    expect(r.total).toBe(5);
  });
});

describe('console queries: the query-time operators', () => {
  it('take and limit keep the first rows', () => {
    expect(rowsOf('AppLogs_CL | take 2 | project Message')).toEqual([
      { Message: 'db down' },
      { Message: 'ok' },
    ]);
    expect(rowsOf('AppLogs_CL | limit 1 | project Level')).toEqual([{ Level: 'error' }]);
    expect(rowsOf('AppLogs_CL | take 0')).toEqual([]);
  });

  it('order by sorts descending by default, nulls last; asc puts nulls first', () => {
    const by = (q: string) =>
      rowsOf(`AppLogs_CL | ${q} | project DurationMs`).map((r) => r.DurationMs);
    expect(by('order by DurationMs')).toEqual([900, 450, 12, 8, null]);
    expect(by('sort by DurationMs asc')).toEqual([null, 8, 12, 450, 900]);
    expect(by('sort by DurationMs asc nulls last')).toEqual([8, 12, 450, 900, null]);
    expect(by('order by DurationMs desc nulls first')).toEqual([null, 900, 450, 12, 8]);
    // Several keys; ties keep the input order (a stable sort).
    expect(rowsOf('AppLogs_CL | order by Level asc, TimeGenerated asc | project Message')).toEqual([
      { Message: 'timeout' },
      { Message: 'db down' },
      { Message: 'ok' },
      { Message: 'ok' },
      { Message: 'slow' },
    ]);
    expect(rowsOf('AppLogs_CL | order by Properties.host asc | take 2 | project Message')).toEqual([
      { Message: 'timeout' },
      { Message: 'db down' },
    ]);
  });

  it('top n by sorts and keeps n rows', () => {
    expect(rowsOf('AppLogs_CL | top 2 by SeverityNumber asc | project Level')).toEqual([
      { Level: 'info' },
      { Level: 'info' },
    ]);
    expect(rowsOf('AppLogs_CL | top 1 by TimeGenerated | project Message')).toEqual([
      { Message: 'db down' },
    ]);
  });

  it('count gives one row with a Count column, also after a where', () => {
    expect(rowsOf('AppLogs_CL | count')).toEqual([{ Count: 5 }]);
    expect(rowsOf('AppLogs_CL | where Level == "nope" | count')).toEqual([{ Count: 0 }]);
    expect(columnsOf('AppLogs_CL | count')).toEqual(['Count:long']);
  });

  it('summarize count() by groups in first-seen order, with Kusto names and types', () => {
    expect(rowsOf('AppLogs_CL | summarize count() by Level')).toEqual([
      { Level: 'error', count_: 2 },
      { Level: 'info', count_: 2 },
      { Level: 'warn', count_: 1 },
    ]);
    expect(columnsOf('AppLogs_CL | summarize count() by Level')).toEqual([
      'Level:string',
      'count_:long',
    ]);
    expect(rowsOf('AppLogs_CL | summarize n = count()')).toEqual([{ n: 5 }]);
    expect(rowsOf('AppLogs_CL | where Level == "nope" | summarize count()')).toEqual([
      { count_: 0 },
    ]);
    expect(rowsOf('AppLogs_CL | where Level == "nope" | summarize count() by Level')).toEqual([]);
    expect(
      rowsOf(
        'AppLogs_CL | summarize countif(DurationMs > 100), dcount(Message), sum(DurationMs), avg(SeverityNumber), min(TimeGenerated), max(DurationMs) by Level | where Level == "info"',
      ),
    ).toEqual([
      {
        Level: 'info',
        countif_: 0,
        dcount_Message: 1,
        sum_DurationMs: 20,
        avg_SeverityNumber: 9,
        min_TimeGenerated: at(5),
        max_DurationMs: 12,
      },
    ]);
    // An expression key, then operators on the summarized rows.
    expect(
      rowsOf(
        'AppLogs_CL | summarize c = count() by Sev = SeverityNumber >= 13 | order by c asc | project Sev',
      ),
    ).toEqual([{ Sev: false }, { Sev: true }]);
    expect(rowsOf('AppLogs_CL | summarize by Host = tostring(Properties.host)')).toEqual([
      { Host: 'a' },
      { Host: 'b' },
      { Host: '' },
    ]);
  });

  it('distinct keeps unique combinations in first-seen order', () => {
    expect(rowsOf('AppLogs_CL | distinct Level')).toEqual([
      { Level: 'error' },
      { Level: 'info' },
      { Level: 'warn' },
    ]);
    expect(rowsOf('AppLogs_CL | distinct Level, Message | where Level == "info"')).toEqual([
      { Level: 'info', Message: 'ok' },
    ]);
    expect(rowsOf('AppLogs_CL | project Level, SeverityNumber | distinct *')).toHaveLength(3);
  });

  it('keeps a long beyond 2^53 exact through sort and summarize', () => {
    const big = '9007199254740993';
    const schema: Schema = [{ name: 'Id', type: 'long' }];
    const q = compileTableQuery('T | summarize count() by Id | order by Id asc', () => schema);
    const r = q.run([{ Id: big }, { Id: 1 }, { Id: big }], { now: NOW });
    expect(r.rows).toEqual([
      { Id: 1, count_: 1 },
      { Id: big, count_: 2 },
    ]);
  });
});

describe('console queries: errors point at the problem', () => {
  it('names an unknown table, column or operator with its line and column', () => {
    expect(errorOf('Nope_CL | take 1')).toBe(
      "SemanticError at 1:1 : Failed to resolve table expression named 'Nope_CL'",
    );
    expect(errorOf('AppLogs_CL\n| where Levl == "x"')).toBe(
      "SemanticError at 2:9 : Failed to resolve scalar expression named 'Levl'",
    );
    expect(errorOf('AppLogs_CL | join (Other)')).toMatch(
      /^SemanticError at 1:14 : the operator 'join' is not supported by the emulator's queries \(supported: extend, project, where, parse, project-away, project-rename, take, limit, order by, sort by, top, count, summarize, distinct\)$/,
    );
    expect(errorOf('AppLogs_CL | take')).toBe('SyntaxError at 1:18 : unexpected end of the query');
    expect(errorOf('AppLogs_CL | take x')).toBe('SyntaxError at 1:19 : take needs a row count');
    expect(errorOf('AppLogs_CL | summarize percentile(DurationMs, 50)')).toMatch(
      /^SemanticError at 1:24 : summarize takes aggregations: count\(\), countif\(\), dcount\(\), sum\(\), avg\(\), min\(\), max\(\); found 'percentile'$/,
    );
    expect(errorOf('AppLogs_CL | summarize sum(Message)')).toBe(
      'SemanticError at 1:24 : sum() needs a numeric argument, not string',
    );
    expect(errorOf('AppLogs_CL | where SeverityNumber == "x"')).toMatch(
      /Cannot compare values of types int and string/,
    );
    expect(errorOf('AppLogs_CL Level')).toBe(
      "SyntaxError at 1:12 : unexpected 'Level' (operators follow a '|')",
    );
    expect(errorOf('')).toBe('SyntaxError at 1:1 : the query is empty: start with a table name');
  });
});

describe('transforms stay as strict as before', () => {
  const cols = [{ name: 'Level', type: 'string' as const }];
  it.each([
    'source | take 10',
    'source | limit 10',
    'source | order by Level',
    'source | sort by Level',
    'source | top 1 by Level',
    'source | count',
    'source | summarize count() by Level',
    'source | distinct Level',
  ])('refuses %s in a DCR transform', (kql) => {
    expect(() => compileTransform(kql, cols)).toThrow(
      /^InvalidTransformQuery: SemanticError at 1:10 : the operator '[a-z]+' is not supported in transformations/,
    );
  });
});
