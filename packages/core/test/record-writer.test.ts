import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toDefaultRecord } from '../src/record/default-record.js';
import { MAX_FIELD_BYTES } from '../src/record/field-cap.js';
import { isoTime } from '../src/record/iso-time.js';
import { createRecordWriter, type RecordWriter } from '../src/record/record-writer.js';
import { safeStringify } from '../src/record/serialize.js';
import { serializeError } from '../src/record/serialize-error.js';
import type { DefaultColumn, LogEntry } from '../src/types.js';

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
type Columns = Partial<Record<DefaultColumn, string | null>>;

/** The record path, which the writer must match byte for byte. */
const reference = (entry: LogEntry, columns: Columns, maxDepth: number): string =>
  safeStringify(toDefaultRecord(entry, { columns }), maxDepth);

/** The members path an adapter with its own key walk takes (as the winston adapter does). */
function viaMembers(w: RecordWriter, entry: LogEntry): string | undefined {
  const props = entry.properties;
  let members: string | undefined;
  if (props !== undefined) {
    for (const key of Object.keys(props)) {
      const m = w.member(key, props[key]);
      if (members === undefined) members = m ?? '';
      else if (m !== undefined) members = members === '' ? m : `${members},${m}`;
    }
  }
  const { properties: _, ...rest } = entry;
  return w.write({ ...rest, properties: members === undefined ? undefined : `{${members}}` });
}

const circular: Record<string, unknown> = { name: 'loop' };
circular.self = circular;
const shared = { s: 1 };
const base = { time: NOW, level: 'info', severityNumber: 9, host: 'web-01' };

const ENTRIES: Record<string, LogEntry> = {
  plain: { ...base, message: 'hello', properties: { user: 'u1', n: 2, ok: true, nil: null } },
  'no properties': { ...base, message: 'bare' },
  'empty properties': { ...base, message: 'bare', properties: {} },
  'only undefined properties': { ...base, message: 'x', properties: { gone: undefined } },
  escapes: {
    ...base,
    message: 'quote " slash \\ nl \n tab \t é 😀 \ud800',
    properties: { 'k"ey': 'v\u0001', lone: 'x\udfff' },
  },
  'non-string message': { ...base, message: { nested: [1, 2] } },
  'undefined message': { ...base, message: undefined },
  'odd numbers and bigint': {
    ...base,
    message: 'n',
    severityNumber: Number.NaN,
    properties: { nan: Number.NaN, inf: -Infinity, big: 10n },
  },
  nested: {
    ...base,
    message: 'n',
    properties: {
      a: { b: { c: { d: { e: { f: { g: { h: { i: { j: { k: 1 } } } } } } } } } },
      list: [1, 'two', { three: 3 }, undefined, shared, shared],
    },
  },
  'special objects': {
    ...base,
    message: 's',
    properties: {
      when: new Date(0),
      bad: new Date(Number.NaN),
      map: new Map([['a', 1]]),
      set: new Set([1, 2]),
      buf: Buffer.from('hi'),
      re: /a+/g,
      nestedError: { e: new RangeError('inner') },
    },
  },
  circular: { ...base, message: 'c', properties: { circular } },
  'time as ISO text': { ...base, time: '2025-05-06T07:08:09.010Z', message: 't' },
  'time as local text': { ...base, time: '2025-05-06 07:08:09', message: 't' },
  'time in seconds': { ...base, time: 1_700_000_000, message: 't' },
  'time as Date': { ...base, time: new Date(NOW), message: 't' },
  'unreadable time': { ...base, time: 'yesterday-ish', message: 't', properties: { a: 1 } },
  'ids and host': { ...base, message: 't', traceId: 'abc', spanId: 'def', host: 'h"1' },
  'empty ids': { ...base, message: 't', traceId: '', spanId: '', host: '' },
  colours: { ...base, level: '\u001b[32minfo\u001b[39m', message: 'c' },
  'long message': { ...base, message: 'x'.repeat(MAX_FIELD_BYTES + 10) },
  'long key': { ...base, message: 'k', properties: { ['k'.repeat(300)]: 1 } },
  'huge properties': {
    ...base,
    message: 'h',
    properties: {
      blob: 'é'.repeat(30_000),
      more: 'y'.repeat(20_000),
      deep: { x: 'z'.repeat(70_000) },
    },
  },
  'integer-like keys': { ...base, message: 'i', properties: { b: 1, 2: 'two', a: 3, 1: 'one' } },
  'with an error': { ...base, message: 'e', error: new TypeError('bad'), properties: { a: 1 } },
};

const SHAPES: Record<string, Columns> = {
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
  'two columns one name': { Message: 'Level' },
};

describe('RecordWriter (the JSON fast path of the default record)', () => {
  // An unreadable time becomes "now": a fixed now keeps both paths on the same millisecond.
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW + 7);
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  for (const [name, entry] of Object.entries(ENTRIES)) {
    it(`writes the record path's bytes: ${name}`, () => {
      for (const columns of Object.values(SHAPES)) {
        for (const maxDepth of [1, 2, 3, 10]) {
          const w = createRecordWriter({ columns }, maxDepth);
          const expected = reference(entry, columns, maxDepth);
          expect(w.entry(entry)).toBe(expected);
          if (entry.error === undefined && w.canWriteMembers) {
            const text = viaMembers(w, entry);
            // undefined means "take the record path": allowed, never a different text.
            if (text !== undefined) expect(text).toBe(expected);
          }
        }
      }
    });
  }

  it('writes small error-free records itself and leaves the rest to the record path', () => {
    const w = createRecordWriter({}, 10);
    expect(viaMembers(w, ENTRIES.plain!)).toBeDefined();
    expect(viaMembers(w, ENTRIES['unreadable time']!)).toBeUndefined();
    expect(viaMembers(w, ENTRIES['huge properties']!)).toBeUndefined();
    expect(createRecordWriter({ columns: { Message: 'Level' } }).canWriteMembers).toBe(false);
    expect(w.write({ ...base, message: 'm', traceId: 42 as unknown as string })).toBeUndefined();
  });

  it('memberKeys() and value() build the Properties text that member() builds', () => {
    const w = createRecordWriter({}, 3);
    const values = ['v', 'q"uote', 7, Number.NaN, true, null, { deep: { er: { x: 1 } } }, [1n]];
    const { first, next } = w.memberKeys('k"ey');
    for (const v of values) {
      expect(first + w.value(v)).toBe(`{${w.member('k"ey', v)}`);
      expect(next + w.value(v)).toBe(`,${w.member('k"ey', v)}`);
    }
    for (const v of [undefined, () => 1, Symbol('s')]) {
      expect(w.value(v)).toBeUndefined();
      expect(w.member('k', v)).toBeUndefined();
    }
  });

  it('writes an Exception given as JSON text as the record path writes the error', () => {
    const error = new TypeError('bad', { cause: new Error('root') });
    const entry: LogEntry = { ...base, message: 'e', error, properties: { a: 1 } };
    for (const maxDepth of [2, 3, 10]) {
      for (const columns of [{}, { Exception: 'Err' }, { Exception: null }]) {
        const w = createRecordWriter({ columns }, maxDepth);
        const text = w.write({
          ...base,
          message: 'e',
          exception: safeStringify(serializeError(error), maxDepth - 1),
          properties: safeStringify({ a: 1 }, maxDepth - 1),
        });
        expect(text).toBe(reference(entry, columns, maxDepth));
      }
    }
  });

  it('writeJson: pieces that are JSON already give the bytes of the record path', () => {
    const withIds = { ...base, traceId: 't-1', spanId: 's-1' };
    const error = new TypeError('bad', { cause: new Error('root') });
    const entries: LogEntry[] = [
      { ...base, message: 'hello', properties: { user: 'u1', n: 2, list: [1, { a: null }] } },
      { ...base, message: 'quote " é 😀', properties: { 'k"ey': 'v' } },
      { ...base, message: '' },
      { ...withIds, message: 'ids', properties: { a: 1 } },
      { ...base, message: 'e', error, properties: { a: 1 } },
      { ...base, host: undefined, message: 'no host' },
    ];
    for (const entry of entries) {
      for (const [shape, columns] of Object.entries(SHAPES)) {
        const maxDepth = 10;
        const w = createRecordWriter({ columns }, maxDepth);
        const props = entry.properties;
        const text = w.writeJson({
          iso: new Date(entry.time as number).toISOString(),
          level: entry.level,
          severityNumber: entry.severityNumber as number,
          message: safeStringify(entry.message),
          exception:
            entry.error === undefined
              ? undefined
              : safeStringify(serializeError(entry.error), maxDepth - 1),
          traceId: entry.traceId === undefined ? undefined : JSON.stringify(entry.traceId),
          spanId: entry.spanId === undefined ? undefined : JSON.stringify(entry.spanId),
          host: entry.host === undefined ? undefined : JSON.stringify(entry.host),
          properties: props === undefined ? undefined : safeStringify(props, maxDepth - 1),
        });
        if (shape === 'two columns one name') expect(text).toBeUndefined();
        else expect(text, `${shape}: ${entry.message}`).toBe(reference(entry, columns, maxDepth));
      }
    }
  });

  it('reuses the head per (time, level) without mixing levels or times', () => {
    const w = createRecordWriter();
    const texts = [
      w.write({ ...base, message: 'a' }),
      w.write({ ...base, level: 'warn', severityNumber: 13, message: 'b' }),
      w.write({ ...base, time: NOW + 1, message: 'c' }),
      w.write({ ...base, message: 'd' }),
    ].map((t) => JSON.parse(String(t)));
    expect(texts.map((r) => [r.TimeGenerated, r.Level, r.SeverityNumber])).toEqual([
      [new Date(NOW).toISOString(), 'info', 9],
      [new Date(NOW).toISOString(), 'warn', 13],
      [new Date(NOW + 1).toISOString(), 'info', 9],
      [new Date(NOW).toISOString(), 'info', 9],
    ]);
    // The last message's JSON is cached: repeats and changes both come out right.
    const messages = ['same', 'same', 'other', 'same', 'quote"d'];
    const written = messages.map((message) => JSON.parse(String(w.write({ ...base, message }))));
    expect(written.map((r) => r.Message)).toEqual(messages);
  });
});

describe('isoTime', () => {
  it('reads every kind of log time, and the cache never mixes them', () => {
    const seq: Array<[unknown, string | undefined]> = [
      [NOW, new Date(NOW).toISOString()],
      [NOW, new Date(NOW).toISOString()],
      [1_700_000_000, '2023-11-14T22:13:20.000Z'],
      ['1700000000', '2023-11-14T22:13:20.000Z'],
      ['2025-01-01T00:00:00Z', '2025-01-01T00:00:00.000Z'],
      ['2025-01-01T00:00:00Z', '2025-01-01T00:00:00.000Z'],
      ['nope', undefined],
      ['nope', undefined],
      [new Date(NOW + 5), new Date(NOW + 5).toISOString()],
      [new Date(Number.NaN), undefined],
      [9e15 * 1000, undefined],
      // Only four-digit years: a datetime column reads no other.
      [-3_194_911_678_793_416, undefined],
      [new Date('+010000-01-01T00:00:00Z'), undefined],
      ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
      ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
      [Number.NaN, undefined],
      [null, undefined],
      [{}, undefined],
    ];
    for (const [time, iso] of seq) expect(isoTime(time)).toBe(iso);
  });
});
