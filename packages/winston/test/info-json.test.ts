import { MAX_FIELD_BYTES, safeStringify } from 'azure-ingestion-core';
import {
  createRecordWriter,
  type DefaultColumn,
  toDefaultRecord,
} from 'azure-ingestion-core/adapter';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { infoJson } from '../src/info-json.js';
import { findError, LEVEL, levelLabel, SPLAT, toLogEntry } from '../src/mapping.js';

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const HOST = 'web-01';

/** The core's path, which the fast writer must match byte for byte. */
function reference(
  info: Record<string | symbol, unknown>,
  columns: Partial<Record<DefaultColumn, string | null>>,
  maxDepth: number,
): string {
  const entry = toLogEntry(info, 9, NOW, HOST);
  return safeStringify(toDefaultRecord(entry, { columns }), maxDepth);
}

function fast(
  info: Record<string | symbol, unknown>,
  columns: Partial<Record<DefaultColumn, string | null>>,
  maxDepth: number,
): string | undefined {
  const writer = createRecordWriter({ columns }, maxDepth);
  return infoJson(writer, info, levelLabel(info), 9, HOST);
}

const circular: Record<string, unknown> = { name: 'loop' };
circular.self = circular;
const shared = { s: 1 };

const INFOS: Record<string, Record<string | symbol, unknown>> = {
  plain: { level: 'info', message: 'hello', user: 'u1', n: 2, ok: true, nil: null },
  'no meta': { level: 'info', message: 'bare', [LEVEL]: 'info' },
  'only undefined meta': { level: 'info', message: 'x', gone: undefined, fn: () => 1 },
  escapes: {
    level: 'info',
    message: 'quote " slash \\ nl \n tab \t é 😀 \ud800',
    'k"ey': 'v\u0001',
  },
  'lone surrogate': { level: 'info', message: 'lone \ud800 here', tag: 'x\udfff' },
  'non-string message': { level: 'info', message: { nested: [1, 2] } },
  'no message': { level: 'info', other: 1 },
  'odd numbers and bigint': {
    level: 'info',
    message: 'n',
    nan: Number.NaN,
    inf: -Infinity,
    big: 10n,
  },
  nested: {
    level: 'info',
    message: 'n',
    a: { b: { c: { d: { e: { f: { g: { h: { i: { j: { k: 1 } } } } } } } } } },
    list: [1, 'two', { three: 3 }, undefined, shared, shared],
  },
  'special objects': {
    level: 'info',
    message: 's',
    when: new Date(0),
    bad: new Date(Number.NaN),
    map: new Map([['a', 1]]),
    set: new Set([1, 2]),
    buf: Buffer.from('hi'),
    re: /a+/g,
    nestedError: { e: new RangeError('inner') },
  },
  circular: { level: 'info', message: 'c', circular },
  'timestamp ISO': { level: 'info', message: 't', timestamp: '2025-05-06T07:08:09.010Z' },
  'timestamp local text': { level: 'info', message: 't', timestamp: '2025-05-06 07:08:09' },
  'timestamp number': { level: 'info', message: 't', timestamp: 1_700_000_000_000 },
  'timestamp epoch seconds': { level: 'info', message: 't', timestamp: 1_700_000_000 },
  'timestamp digits': { level: 'info', message: 't', timestamp: '1700000000000' },
  'timestamp unparseable': { level: 'info', message: 't', timestamp: 'yesterday-ish' },
  'timestamp out of range': { level: 'info', message: 't', timestamp: 9e15 },
  'trace ids': { level: 'info', message: 't', trace_id: 'abc', spanId: 'def', traceId: '' },
  'one trace id twice': { level: 'info', message: 't', traceId: 'abc', trace_id: 'abc' },
  'two different trace ids': { level: 'info', message: 't', traceId: 'b', trace_id: 'a' },
  'empty trace id': { level: 'info', message: 't', traceId: '', span_id: 42 },
  colours: { level: '\u001b[32minfo\u001b[39m', message: 'c' },
  'raw level wins': {
    level: 'whatever',
    message: 'r',
    [LEVEL]: 'audit',
    [SPLAT]: [{ a: 1 }],
    a: 1,
  },
  'long message': { level: 'info', message: 'x'.repeat(MAX_FIELD_BYTES + 10) },
  'long key': { level: 'info', message: 'k', ['k'.repeat(300)]: 1 },
  'huge properties': {
    level: 'info',
    message: 'h',
    blob: 'é'.repeat(30_000),
    more: 'y'.repeat(20_000),
  },
  'integer-like keys': { level: 'info', message: 'i', b: 1, 2: 'two', a: 3, 1: 'one' },
  // JSON.parse makes "__proto__" an own key (a literal would set the prototype).
  '"__proto__" key': { level: 'info', message: 'p', ...JSON.parse('{"__proto__":{"x":1},"y":2}') },
  'toJSON that gives nothing': { level: 'info', message: 'j', gone: { toJSON: () => undefined } },
};

/**
 * Infos the fast path may leave to the record path (undefined): records near the 64 KB field
 * cap, and two different ids (the second stays in Properties at its place among the keys).
 */
const LEFT = new Set(['long message', 'huge properties', 'two different trace ids']);

const SHAPES: Record<string, Partial<Record<DefaultColumn, string | null>>> = {
  default: {},
  renamed: { Message: 'Msg', Host: null, Properties: 'Props', TimeGenerated: 'Time' },
  'all but properties out': {
    TimeGenerated: null,
    Level: null,
    SeverityNumber: null,
    Message: null,
    TraceId: null,
    SpanId: null,
    Host: null,
  },
};

/**
 * Generated infos: every key a winston info can carry (the column keys, the ways of carrying an
 * error, any other key) with any value (strings with escapes and lone surrogates, odd numbers,
 * bigint, Dates, Maps, Sets, typed arrays, boxed values, null-prototype objects, Errors,
 * functions, symbols, deep nesting), under each record shape and depth limit.
 */
// `level` is winston's own (a string, with ANSI colours after colorize()): generated apart.
const COLUMN_KEYS = [
  'message',
  'timestamp',
  'trace_id',
  'traceId',
  'span_id',
  'spanId',
  'error',
  'err',
  'stack',
  'cause',
  '__proto__',
  'toJSON',
];

const key = fc
  .oneof(
    fc.constantFrom(...COLUMN_KEYS),
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'binary', maxLength: 6 }),
  )
  .filter((k) => k !== 'level');

const level = fc.constantFrom('info', 'warn', 'error', 'audit', '\u001b[32minfo\u001b[39m');

const special = fc.constantFrom<unknown>(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -0,
  2 ** 53 + 2,
  1e21,
  undefined,
  () => 1,
  Symbol('s'),
  new Error('boom'),
  new RangeError('range'),
  Buffer.from('hi'),
  /a+/g,
  new Date(Number.NaN),
  { toJSON: () => undefined },
  { toJSON: () => 'as text' },
  '2025-05-06T07:08:09.010Z',
  1_700_000_000_000,
  'x'.repeat(300),
);

const value = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 2, arbitrary: special },
  {
    weight: 3,
    arbitrary: fc.anything({
      maxDepth: 12,
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withTypedArray: true,
      withSparseArray: true,
      withObjectString: true,
    }),
  },
);

/** An info as winston hands it over: level and message first, then meta, in any key order. */
const info = fc
  .tuple(
    level,
    fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), value),
    fc.array(fc.tuple(key, value), { maxLength: 10 }),
  )
  .map(([level, message, entries]) => {
    const out: Record<string, unknown> = { level, message };
    for (const [k, v] of entries) {
      // An info with a toJSON method of its own is not a log (the record path serializes its
      // Properties through that method, the walk writes the member as JSON leaves a function out).
      if (k === 'toJSON' && typeof v === 'function') continue;
      Object.defineProperty(out, k, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  });

describe('infoJson (the JSON fast path)', () => {
  // Without a timestamp the record takes the time of the call: both paths see the same now.
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  for (const [name, info] of Object.entries(INFOS)) {
    it(`writes the same JSON as the core's record path: ${name}`, () => {
      expect(findError(info)).toBeUndefined();
      for (const columns of Object.values(SHAPES)) {
        for (const maxDepth of [2, 3, 10]) {
          const text = fast(info, columns, maxDepth);
          if (text !== undefined || !LEFT.has(name)) {
            expect(text).toBe(reference(info, columns, maxDepth));
          }
          expect(() => JSON.parse(reference(info, columns, maxDepth))).not.toThrow();
        }
      }
    });
  }

  it('stays right when infos of different shapes come in turn (the per-shape key cache)', () => {
    const infos = Object.entries(INFOS).filter(([name]) => !LEFT.has(name));
    // Each info after another shape, then again after itself, then in reverse order.
    const order = [...infos, ...infos.flatMap((e) => [e, e]), ...[...infos].reverse()];
    for (const [name, info] of order) {
      expect(fast(info, {}, 10), name).toBe(reference(info, {}, 10));
    }
    // Same keys at other positions, and a key that is a column in one info and not the next.
    const swapped = [
      { level: 'info', message: 'a', stack: 5, user: 'u' },
      { level: 'info', message: 'b', user: 'u', stack: 5 },
      { level: 'info', message: 'c', trace_id: 't', span_id: 's', user: 'u' },
      { level: 'info', message: 'd', user: 'u', trace_id: 7 },
    ];
    for (const info of [...swapped, ...swapped]) {
      expect(fast(info, {}, 10)).toBe(reference(info, {}, 10));
    }
  });

  it('takes TimeGenerated from a readable timestamp, else from now, per log', () => {
    const writer = createRecordWriter({}, 10);
    const w = (info: Record<string, unknown>, now: number): Record<string, unknown> => {
      vi.setSystemTime(now);
      return JSON.parse(String(infoJson(writer, info, 'info', 9, undefined)));
    };
    const a = w({ message: 'a', timestamp: '2025-01-01T00:00:00.000Z' }, NOW);
    const b = w({ message: 'b' }, NOW);
    const c = w({ message: 'c' }, NOW + 1);
    const d = w({ message: 'd', timestamp: '2025-01-01T00:00:00.000Z' }, NOW);
    const e = w({ message: 'e', timestamp: 'soon' }, NOW);
    expect([a, b, c, d, e].map((r) => r.TimeGenerated)).toEqual([
      '2025-01-01T00:00:00.000Z',
      new Date(NOW).toISOString(),
      new Date(NOW + 1).toISOString(),
      '2025-01-01T00:00:00.000Z',
      new Date(NOW).toISOString(),
    ]);
    expect(e.Properties).toEqual({ timestamp: 'soon' });
    expect(a).not.toHaveProperty('Host');
  });

  it('declines exactly the infos that carry an error (findError), which take the core path', () => {
    const err = new Error('e');
    const carrying = [
      { level: 'error', message: err },
      { level: 'error', message: 'm', error: err },
      { level: 'error', message: 'm', err },
      { level: 'error', message: 'm', stack: 'Error: e\n    at x' },
      { level: 'error', message: 'm e', stack: err.stack, [SPLAT]: [err] },
    ];
    for (const info of carrying) {
      expect(findError(info)).toBeDefined();
      expect(fast(info, {}, 10)).toBeUndefined();
    }
    const lookalikes = [
      { level: 'info', message: 'm', error: 'just text', err: { code: 1 } },
      { level: 'info', message: 'm', stack: ['not', 'a', 'string'] },
    ];
    for (const info of lookalikes) {
      expect(findError(info)).toBeUndefined();
      expect(fast(info, {}, 10)).toBe(reference(info, {}, 10));
    }
  });

  it('keeps a "__proto__" key as a member, and leaves out what toJSON leaves out', () => {
    expect(JSON.parse(reference(INFOS['"__proto__" key']!, {}, 10)).Properties).toEqual(
      JSON.parse('{"__proto__":{"x":1},"y":2}'),
    );
    expect(reference(INFOS['"__proto__" key']!, {}, 10)).toContain(
      '"Properties":{"__proto__":{"x":1},"y":2}',
    );
    expect(reference(INFOS['toJSON that gives nothing']!, {}, 10)).toContain('"Properties":{}');
  });

  it('leaves to the record path an info whose getter removes a key while its values are read', () => {
    const info: Record<string, unknown> = { level: 'info', message: 'm' };
    Object.defineProperty(info, 'a', {
      enumerable: true,
      get() {
        delete info.b;
        return 1;
      },
    });
    info.b = 2;
    expect(fast(info, {}, 10)).toBeUndefined();
    expect(JSON.parse(reference(info, {}, 10)).Properties).toEqual({ a: 1 });
  });

  it('is not used when maxDepth cuts Properties itself', () => {
    expect(createRecordWriter({}, 1).canWriteMembers).toBe(false);
    expect(createRecordWriter({}, 2).canWriteMembers).toBe(true);
  });

  it('writes the record path bytes on generated infos whenever it writes one (fast-check)', () => {
    let written = 0;
    let runs = 0;
    const shapes = Object.values(SHAPES);
    fc.assert(
      fc.property(
        info,
        fc.constantFrom(...shapes),
        fc.constantFrom(2, 3, 10),
        (i, columns, maxDepth) => {
          runs++;
          const text = fast(i, columns, maxDepth);
          const expected = reference(i, columns, maxDepth);
          expect(() => JSON.parse(expected)).not.toThrow();
          // Left to the record path (undefined): an info that carries an error, two ids.
          if (text === undefined) return;
          written++;
          expect(findError(i)).toBeUndefined();
          expect(text).toBe(expected);
        },
      ),
      // FUZZ_RUNS=50000 for a longer hunt.
      { numRuns: Number(process.env.FUZZ_RUNS ?? 3000) },
    );
    // Most generated infos carry no error: the fast path writes them.
    expect(written).toBeGreaterThan(runs / 2);
  });
});
