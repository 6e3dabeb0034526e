import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_COLUMNS, toDefaultRecord } from '../src/record/default-record.js';
import { safeStringify } from '../src/record/serialize.js';
import type { LogEntry } from '../src/types.js';

const T = Date.UTC(2026, 10, 28, 13, 0, 0, 123);
const ISO = '2026-11-28T13:00:00.123Z';
const base: LogEntry = { time: T, level: 'info', severityNumber: 9, message: 'hello' };

describe('toDefaultRecord', () => {
  it('lists the default columns in order', () => {
    expect(DEFAULT_COLUMNS).toEqual([
      'TimeGenerated',
      'Level',
      'SeverityNumber',
      'Message',
      'Exception',
      'TraceId',
      'SpanId',
      'Host',
      'Properties',
      'RecordId',
    ]);
  });

  it('builds the full record in column order', () => {
    const err = new TypeError('bad');
    const entry: LogEntry = {
      ...base,
      error: err,
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      host: 'web-1',
      properties: { user: 'u1', n: 2 },
    };
    const rec = toDefaultRecord(entry);
    expect(Object.keys(rec)).toEqual(DEFAULT_COLUMNS.filter((c) => c !== 'RecordId'));
    expect(rec).toMatchObject({
      TimeGenerated: ISO,
      Level: 'info',
      SeverityNumber: 9,
      Message: 'hello',
      Exception: { type: 'TypeError', message: 'bad' },
      TraceId: entry.traceId,
      SpanId: entry.spanId,
      Host: 'web-1',
      Properties: { user: 'u1', n: 2 },
    });
    expect(rec).not.toHaveProperty('RecordId');
  });

  it('leaves out absent and empty columns', () => {
    const rec = toDefaultRecord({ ...base, properties: {}, traceId: '', error: null });
    expect(Object.keys(rec)).toEqual(['TimeGenerated', 'Level', 'SeverityNumber', 'Message']);
  });

  it.each([
    ['epoch ms', T, ISO],
    ['Date', new Date(T), ISO],
    ['ISO string', ISO, ISO],
    ['offset string', '2026-11-28T14:00:00.123+01:00', ISO],
    ['epoch ms string', String(T), ISO],
    ['epoch seconds (pino unixTime)', T / 1000, ISO],
    ['epoch seconds string', String(T / 1000), ISO],
    ['old date string stays as is', '1970-01-02T00:00:00.000Z', '1970-01-02T00:00:00.000Z'],
  ])('reads the time from %s', (_n, time, expected) => {
    expect(toDefaultRecord({ ...base, time }).TimeGenerated).toBe(expected);
  });

  it.each([
    ['garbage string', 'yesterday-ish'],
    ['invalid Date', new Date('nope')],
    ['NaN', Number.NaN],
    ['out of range', 1e300],
  ])('uses now for %s and keeps the original in Properties.time', (_n, time) => {
    vi.useFakeTimers({ toFake: ['Date'], now: T });
    try {
      const props = { a: 1 };
      const rec = toDefaultRecord({ ...base, time, properties: props });
      expect(rec.TimeGenerated).toBe(ISO);
      expect(rec.Properties).toEqual({ a: 1, time });
      expect(props).toEqual({ a: 1 }); // the entry is not mutated
    } finally {
      vi.useRealTimers();
    }
  });

  it('strips ANSI colour codes from the level', () => {
    expect(toDefaultRecord({ ...base, level: '\u001b[32minfo\u001b[39m' }).Level).toBe('info');
  });

  it.each([
    ['string', 'text', 'text'],
    ['undefined', undefined, ''],
    ['number', 42, '42'],
    ['object', { a: 1n }, '{"a":"1"}'],
    ['null', null, 'null'],
  ])('makes a string Message of a %s', (_n, message, expected) => {
    expect(toDefaultRecord({ ...base, message }).Message).toBe(expected);
  });

  it('renames columns and omits columns renamed to null', () => {
    const rec = toDefaultRecord(
      { ...base, host: 'h', properties: { a: 1 } },
      { columns: { Message: 'Msg', Host: null, Properties: 'Props', Level: '__proto__' } },
    );
    expect(Object.keys(rec)).toEqual([
      'TimeGenerated',
      '__proto__',
      'SeverityNumber',
      'Msg',
      'Props',
    ]);
    expect(Object.getPrototypeOf(rec)).toBeNull();
    expect(safeStringify(rec)).toBe(
      `{"TimeGenerated":"${ISO}","__proto__":"info","SeverityNumber":9,"Msg":"hello","Props":{"a":1}}`,
    );
    expect(({} as Record<string, unknown>).Level).toBeUndefined();
  });

  it('never mutates the entry or its properties', () => {
    const properties = Object.freeze({ nested: Object.freeze({ a: 1 }) });
    const entry = Object.freeze({ ...base, time: 'bad time', properties, error: new Error('x') });
    expect(() => toDefaultRecord(entry)).not.toThrow();
    expect(Object.keys(properties)).toEqual(['nested']);
  });
});
