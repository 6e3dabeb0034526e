/**
 * The schema proposal's rules as tables: column names for fields, the type that holds the
 * values seen, which fields get a column, the transformation for a raw stream, the Bicep text;
 * and the terminal styling (colour only on a colour terminal).
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_COLUMNS } from 'azure-ingestion-core/adapter';
import { describe, expect, it } from 'vitest';
import { colourFor, Printer } from '../src/io.js';
import { proposeSchema } from '../src/schema/api.js';
import { columnName } from '../src/schema/names.js';
import { bicepFragment } from '../src/schema/render.js';
import { VERSION } from '../src/version.js';

describe('column names for fields', () => {
  // [path, name]
  const TABLE: [string[], string][] = [
    [['userId'], 'UserId'],
    [['user', 'id'], 'UserId2'], // after the one above: taken names get a number
    [['x-request-id'], 'XRequestId'],
    [['req', 'url.path'], 'ReqUrlPath'],
    [['tenantId'], 'TenantIdField'], // reserved
    [['type'], 'TypeField'],
    [['message'], 'MessageField'], // a default column
    [['1st'], 'F1st'],
    [['a'], 'AField'],
    [['ünïcode'], 'NCode'],
    [['a'.repeat(60)], `A${'a'.repeat(44)}`],
  ];
  it('are valid, unique and readable', () => {
    const taken = new Set(['message', 'level']);
    const names = TABLE.map(([path]) => columnName(path, taken));
    expect(names).toEqual(TABLE.map(([, name]) => name));
    for (const n of names) expect(n).toMatch(/^[A-Za-z][A-Za-z0-9_]{1,44}$/);
  });
});

describe('proposals', () => {
  const pino = (fields: Record<string, unknown>) => ({ level: 30, time: 1, msg: 'm', ...fields });

  it('types: whole numbers, reals, booleans, dates, numbers written as text beside numbers', () => {
    const records = [
      pino({
        n: 1,
        big: 2 ** 40,
        r: 1,
        b: true,
        d: '2024-01-02T03:04:05Z',
        t: 1,
        zip: '01234',
        mixed: 1,
      }),
      pino({ n: 2, big: 1, r: 0.5, b: false, d: '2024-01-03', t: '2.5', zip: '99999', mixed: 'x' }),
    ];
    const p = proposeSchema(records);
    expect(Object.fromEntries(p.columns.map((c) => [c.field, c.type]))).toEqual({
      n: 'int',
      big: 'long',
      r: 'real',
      b: 'boolean',
      d: 'datetime',
      t: 'real',
      zip: 'string',
      mixed: 'string',
    });
  });

  it('columns for scalars in enough records, the most frequent first, within the limit', () => {
    const records = Array.from({ length: 20 }, (_, i) =>
      pino({
        always: i,
        ...(i < 10 && { half: i }),
        ...(i === 0 && { once: 1 }),
        list: [i],
        obj: { deep: { deeper: i }, tooDeep: { a: { b: i } } },
      }),
    );
    const p = proposeSchema(records, { minShare: 0.1, maxColumns: 2 });
    expect(p.columns.map((c) => [c.name, c.share])).toEqual([
      ['Always', 1],
      ['ObjDeepDeeper', 1],
    ]);
    expect(proposeSchema(records, { minShare: 0.5 }).columns.map((c) => c.field)).toEqual([
      'always',
      'obj.deep.deeper',
      'half',
    ]);
    expect(p.streamColumns.slice(0, 10).map((c) => c.name)).toEqual(DEFAULT_COLUMNS);
  });

  it("leaves out what the transports put into default columns (pino's and winston's keys)", () => {
    const p = proposeSchema([pino({ hostname: 'h', err: { message: 'e' }, trace_id: 't', a: 1 })]);
    expect(p.columns.map((c) => c.field)).toEqual(['a']);
    const w = proposeSchema([
      {
        level: 'info',
        message: 'm',
        timestamp: '2024-01-01T00:00:00Z',
        stack: 'Error: x',
        spanId: 's',
        b: 1,
      },
    ]);
    expect(w.shape).toBe('winston');
    expect(w.columns.map((c) => c.field)).toEqual(['b']);
  });

  it('Bicep: one column list when table and stream share it, two and the transformation otherwise', () => {
    const mapped = bicepFragment(proposeSchema([pino({ a: 1 })]));
    expect(mapped).toContain('var columns = [');
    expect(mapped).not.toContain('streamColumns');
    const raw = bicepFragment(proposeSchema([{ name: "it's", id: 1 }], { streamName: 'Custom-X' }));
    expect(raw).toContain('var streamColumns = [');
    expect(raw).toContain('var tableColumns = [');
    expect(raw).toContain(
      "//   transformKql: 'source | extend TimeGenerated = now() | project-rename IdField = id'",
    );
    expect(raw).toContain("var tableName = 'X_CL'");
  });
});

describe('the terminal', () => {
  it('colours only a terminal, and not with NO_COLOR or TERM=dumb', () => {
    const tty = { write: () => true, isTTY: true };
    expect(colourFor(tty, {})).toBe(true);
    expect(colourFor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colourFor(tty, { TERM: 'dumb' })).toBe(false);
    expect(colourFor({ write: () => true }, {})).toBe(false);
    let out = '';
    new Printer({ write: (t: string) => (out += t), isTTY: true }, {}).line(
      new Printer({ write: () => true, isTTY: true }, {}).style('red', 'x'),
    );
    expect(out).toBe('\u001b[31mx\u001b[39m\n');
  });

  it("--version is package.json's", () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(VERSION).toBe(pkg.version);
  });
});
