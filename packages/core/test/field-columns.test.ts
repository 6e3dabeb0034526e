/**
 * `fieldColumns`: the option's two forms and their checks, the values taken out of Properties
 * (paths, escapes, absent values, the log's objects left untouched), the conversions per
 * column type, and the record writer handing such records to the record path.
 */
import { describe, expect, it } from 'vitest';
import {
  type FieldColumn,
  formatFieldColumns,
  parseFieldColumns,
} from '../src/config/field-columns.js';
import { ENV_VARS, resolveConfig } from '../src/config/resolve.js';
import { ConfigurationError } from '../src/errors.js';
import { COLUMN_TYPES, coerceTo } from '../src/record/column-types.js';
import { toDefaultRecord } from '../src/record/default-record.js';
import { createRecordWriter } from '../src/record/record-writer.js';
import { safeStringify } from '../src/record/serialize.js';
import type { LogEntry } from '../src/types.js';

const DEST = {
  endpoint: 'https://x.ingest.monitor.azure.com',
  ruleId: 'dcr-0123456789abcdef0123456789abcdef',
  streamName: 'Custom-AppLogs',
  token: 't',
};

const columns = (value: unknown) => {
  const { columns, issues } = parseFieldColumns(value);
  expect(issues).toEqual([]);
  return columns.map((c) => [c.column, c.path, c.type]);
};

describe('parseFieldColumns: the string form', () => {
  const TABLE: [string, string, unknown[]][] = [
    ['one column', 'UserId=user.id', [['UserId', ['user', 'id'], undefined]]],
    [
      'a type, and spaces around entries',
      ' UserId=user.id , DurationMs:real=responseTime ',
      [
        ['UserId', ['user', 'id'], undefined],
        ['DurationMs', ['responseTime'], 'real'],
      ],
    ],
    ['a type in capitals', 'Ok:Boolean=ok', [['Ok', ['ok'], 'boolean']]],
    ['a dot inside a key', 'Path=req.url\\.path', [['Path', ['req', 'url.path'], undefined]]],
    ['an escaped comma and =', 'Odd=a\\,b.c\\=d', [['Odd', ['a,b', 'c=d'], undefined]]],
    ['an unescaped = in the path', 'Odd=a=b', [['Odd', ['a=b'], undefined]]],
    [
      'an empty entry',
      'A1=a,,B1=b,',
      [
        ['A1', ['a'], undefined],
        ['B1', ['b'], undefined],
      ],
    ],
  ];
  it.each(TABLE)('%s', (_case, text, expected) => {
    expect(columns(text)).toEqual(expected);
  });

  const BAD: [string, string, RegExp][] = [
    ['no =path', 'UserId', /is not Column=path/],
    ['no column', '=user.id', /is not Column=path/],
    ['an unknown type', 'UserId:uuid=user.id', /does not name a column type/],
    ['an empty key', 'UserId=user..id', /empty key/],
    ['an invalid name', 'User-Id=user.id', /not a valid column name/],
    ['a reserved name', 'TenantId=tenant', /reserved/],
    ['a default column', 'Message=msg', /column of the default record/],
    ['one name twice', 'A1=a,a1=b', /named twice/],
    ['one field twice', 'A1=a,B1=a', /take the same field/],
    ['a field inside another', 'User=user,UserId=user.id', /take the same field/],
  ];
  it.each(BAD)('refuses %s', (_case, text, problem) => {
    const { issues } = parseFieldColumns(text);
    expect(issues.map((i) => i.problem).join('\n')).toMatch(problem);
    for (const issue of issues) expect(issue.fix).not.toBe('');
  });
});

describe('parseFieldColumns: the object form', () => {
  it('takes paths, { path, type } and arrays of keys', () => {
    expect(
      columns({
        UserId: 'user.id',
        DurationMs: { path: 'responseTime', type: 'real' },
        Path: { path: ['req', 'url.path'] },
      }),
    ).toEqual([
      ['UserId', ['user', 'id'], undefined],
      ['DurationMs', ['responseTime'], 'real'],
      ['Path', ['req', 'url.path'], undefined],
    ]);
  });

  it.each([
    ['a number', { A1: 5 }, /not a path or/],
    ['an unknown type', { A1: { path: 'a', type: 'text' } }, /not a column type/],
    ['no path', { A1: { type: 'int' } }, /path is missing/],
    ['an empty key in an array', { A1: { path: ['a', ''] } }, /path is missing/],
    ['an array option', ['A1=a'], /must be a string/],
  ])('refuses %s', (_case, value, problem) => {
    expect(
      parseFieldColumns(value)
        .issues.map((i) => i.problem)
        .join('\n'),
    ).toMatch(problem);
  });

  it('writes back to the string form, escapes included', () => {
    const text = 'UserId=user.id,DurationMs:real=responseTime,Path=req.url\\.path,Odd=a\\,b';
    const parsed = parseFieldColumns(text).columns;
    expect(formatFieldColumns(parsed)).toBe(text);
    expect(parseFieldColumns(formatFieldColumns(parsed)).columns).toEqual(parsed);
  });
});

describe('resolveConfig: fieldColumns', () => {
  it('reads the variable, and the option wins over it', () => {
    const env = { [ENV_VARS.fieldColumns]: 'UserId=user.id' };
    expect(resolveConfig(DEST, env).config.fieldColumns?.map((c) => c.column)).toEqual(['UserId']);
    const both = resolveConfig({ ...DEST, fieldColumns: { Tenant: 'tenant' } }, env);
    expect(both.config.fieldColumns?.map((c) => c.column)).toEqual(['Tenant']);
    expect(Object.isFrozen(both.config.fieldColumns)).toBe(true);
    expect(resolveConfig(DEST, { [ENV_VARS.fieldColumns]: ' , ' }).config.fieldColumns).toBe(
      undefined,
    );
  });

  it('lists every problem in one error, naming the variable', () => {
    const env = { [ENV_VARS.fieldColumns]: 'Type=t,RecordId=r,Ok:yes=ok' };
    let error: unknown;
    try {
      resolveConfig({ ...DEST, recordId: true }, env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const problems = (error as ConfigurationError).problems;
    expect(problems.map((p) => p.problem)).toEqual([
      expect.stringMatching(/^Ok: "Ok:yes" does not name a column type/),
      'RecordId: is the recordId column',
    ]);
    expect(problems[0]).toMatchObject({ envVar: ENV_VARS.fieldColumns, source: 'env' });
    let second: unknown;
    try {
      resolveConfig({ ...DEST, recordId: true }, { [ENV_VARS.fieldColumns]: 'Type=t,RecordId=r' });
    } catch (e) {
      second = e;
    }
    expect((second as ConfigurationError).message).toMatch(/Type: is a reserved column name/);
    expect((second as ConfigurationError).message).toMatch(
      /RecordId: is a column of the default record/,
    );
  });

  it('refuses a field column named like the recordId column', () => {
    expect(() =>
      resolveConfig({ ...DEST, recordId: 'Rid', fieldColumns: 'Rid=request.id' }, {}),
    ).toThrow(/Rid: is the recordId column/);
  });
});

const entry = (properties: Record<string, unknown>): LogEntry => ({
  time: 1_700_000_000_000,
  level: 'info',
  severityNumber: 9,
  message: 'hello',
  properties,
});

const fields = (text: string): readonly FieldColumn[] => parseFieldColumns(text).columns;

describe('toDefaultRecord with field columns', () => {
  it('moves the values into columns and out of Properties', () => {
    const props = {
      user: { id: 'u-1', name: 'Ada' },
      responseTime: '12.5',
      req: { 'url.path': '/a' },
      other: 1,
    };
    const record = toDefaultRecord(
      entry(props),
      {},
      fields('UserId=user.id,DurationMs:real=responseTime,Path=req.url\\.path'),
    );
    expect(record).toEqual({
      TimeGenerated: '2023-11-14T22:13:20.000Z',
      Level: 'info',
      SeverityNumber: 9,
      Message: 'hello',
      Properties: { user: { name: 'Ada' }, other: 1 },
      UserId: 'u-1',
      DurationMs: 12.5,
      Path: '/a',
    });
    // The log's objects are untouched.
    expect(props).toEqual({
      user: { id: 'u-1', name: 'Ada' },
      responseTime: '12.5',
      req: { 'url.path': '/a' },
      other: 1,
    });
  });

  it('leaves out Properties, and parents, that nothing is left in', () => {
    const record = toDefaultRecord(entry({ user: { id: 'u' } }), {}, fields('UserId=user.id'));
    expect(record).not.toHaveProperty('Properties');
    expect(record.UserId).toBe('u');
  });

  it('gives no column for absent and null values, which stay where they were', () => {
    const props = { user: null, a: { b: null }, s: 'text', arr: [{ id: 1 }] };
    const record = toDefaultRecord(
      entry(props),
      {},
      fields('UserId=user.id,B1=a.b,Deep=s.length,First=arr.0.id,Missing=nope'),
    );
    expect(Object.keys(record)).toEqual([
      'TimeGenerated',
      'Level',
      'SeverityNumber',
      'Message',
      'Properties',
    ]);
    expect(record.Properties).toBe(props);
  });

  it('keeps a value that cannot become the type in Properties', () => {
    const record = toDefaultRecord(
      entry({ duration: 'fast', count: '7' }),
      {},
      fields('DurationMs:real=duration,Count:int=count'),
    );
    expect(record.Properties).toEqual({ duration: 'fast' });
    expect(record).not.toHaveProperty('DurationMs');
    expect(record.Count).toBe(7);
  });

  it('keeps a key named __proto__ a plain key of the copy', () => {
    const props = JSON.parse('{"__proto__":{"x":1},"user":{"id":"u"}}');
    const record = toDefaultRecord(entry(props), {}, fields('UserId=user.id'));
    expect(safeStringify(record.Properties)).toBe('{"__proto__":{"x":1}}');
  });

  it('works beside column renames', () => {
    const record = toDefaultRecord(
      entry({ user: { id: 'u' }, k: 1 }),
      { columns: { Message: 'Msg', Host: null } },
      fields('UserId=user.id'),
    );
    expect(record).toEqual({
      TimeGenerated: '2023-11-14T22:13:20.000Z',
      Level: 'info',
      SeverityNumber: 9,
      Msg: 'hello',
      Properties: { k: 1 },
      UserId: 'u',
    });
  });

  it('the record writer leaves such records to the record path, with the same bytes', () => {
    const f = fields('UserId=user.id,Ms:long=ms');
    const writer = createRecordWriter({}, 10, f);
    expect(writer.canWriteMembers).toBe(false);
    const e = entry({ user: { id: 'u' }, ms: '42', rest: [1, 2] });
    expect(writer.write({ ...e, properties: '{}' })).toBe(undefined);
    expect(writer.entry(e)).toBe(safeStringify(toDefaultRecord(e, {}, f)));
    expect(JSON.parse(writer.entry(e))).toMatchObject({
      UserId: 'u',
      Ms: 42,
      Properties: { rest: [1, 2] },
    });
    // Without field columns the writer keeps its fast path.
    expect(createRecordWriter({}, 10, []).canWriteMembers).toBe(true);
  });
});

describe('coerceTo: what each column type makes of a value', () => {
  const date = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6));
  // [type, value, converted (undefined: cannot be)]
  const TABLE: [string, unknown, unknown][] = [
    ['string', 'text', 'text'],
    ['string', 12.5, '12.5'],
    ['string', true, 'true'],
    ['string', { a: 1 }, '{"a":1}'],
    ['string', date, '2024-01-02T03:04:05.006Z'],
    ['int', 7, 7],
    ['int', ' -7 ', -7],
    ['int', true, 1],
    ['int', 7.5, undefined],
    ['int', 2 ** 31, undefined],
    ['int', '1e3', undefined],
    ['long', 2 ** 40, 2 ** 40],
    ['long', '1099511627776', 2 ** 40],
    ['long', 2 ** 60, undefined],
    ['real', '12.5', 12.5],
    ['real', '-.5e2', -50],
    ['real', 3, 3],
    ['real', 'fast', undefined],
    ['real', Number.NaN, undefined],
    ['boolean', 'TRUE', true],
    ['boolean', '0', false],
    ['boolean', 1, true],
    ['boolean', 'yes', undefined],
    ['datetime', 1_700_000_000_000, '2023-11-14T22:13:20.000Z'],
    ['datetime', 1_700_000_000, '2023-11-14T22:13:20.000Z'],
    ['datetime', '2023-11-14T23:13:20+01:00', '2023-11-14T22:13:20.000Z'],
    ['datetime', date, '2024-01-02T03:04:05.006Z'],
    ['datetime', 'soon', undefined],
    ['dynamic', { a: [1] }, { a: [1] }],
  ];
  it.each(TABLE)('%s ← %j', (type, value, expected) => {
    expect(coerceTo(type as (typeof COLUMN_TYPES)[number], value)).toEqual(expected);
  });

  it('covers every column type', () => {
    expect(new Set(TABLE.map(([t]) => t))).toEqual(new Set(COLUMN_TYPES));
  });
});
