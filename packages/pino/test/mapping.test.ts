import { safeStringify } from 'azure-ingestion-core';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LineMapper, type PinoConfig } from '../src/mapping.js';
import { type PinoLineOptions, splitOptions } from '../src/options.js';
import { capture } from './helpers.js';

const NOW = Date.parse('2030-01-02T03:04:05.678Z');

function mapper(options: PinoLineOptions = {}, config?: PinoConfig): LineMapper {
  const m = new LineMapper(splitOptions(options).line, 10, () => NOW);
  if (config) m.configure(config);
  return m;
}

/** The safe path's record as it reaches the wire. */
function safeRecord(m: LineMapper, line: string): unknown {
  const r = m.safe(line);
  return JSON.parse(safeStringify(r.record));
}

/** Asserts the fast path handled the line and agrees with the safe path; returns the record. */
function both(m: LineMapper, line: string): Record<string, unknown> {
  const fast = m.fast(line);
  expect(fast, `fast path refused ${line}`).toBeTypeOf('string');
  const record = JSON.parse(fast as string);
  expect(record).toEqual(safeRecord(m, line));
  return record;
}

describe('mapping of real pino lines (fast path == safe path)', () => {
  it('maps time, level, msg, hostname; pid and bindings go to Properties', () => {
    const lines = capture({ base: { pid: 7, hostname: 'web-1' } }, (l) => {
      l.child({ reqId: 'r1' }).info(
        { user: { id: 1, tags: ['a', 'b'] }, ok: true },
        'hello "world" é ✓',
      );
    });
    const rec = both(mapper(), lines[0]!);
    expect(rec).toMatchObject({
      Level: 'info',
      SeverityNumber: 9,
      Message: 'hello "world" é ✓',
      Host: 'web-1',
      Properties: { pid: 7, reqId: 'r1', user: { id: 1, tags: ['a', 'b'] }, ok: true },
    });
    expect(Date.parse(rec.TimeGenerated as string)).toBeGreaterThan(Date.parse('2020-01-01'));
    expect(Object.keys(rec.Properties as object)).not.toContain('msg');
  });

  it('maps every standard level', () => {
    const m = mapper();
    const lines = capture({ level: 'trace' }, (l) => {
      for (const k of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) l[k]('x');
    });
    expect(lines.map((x) => both(m, x).SeverityNumber)).toEqual([1, 5, 9, 13, 17, 21]);
    expect(lines.map((x) => both(m, x).Level)).toEqual([
      'trace',
      'debug',
      'info',
      'warn',
      'error',
      'fatal',
    ]);
  });

  it('maps an error with cause, custom props and an AggregateError', () => {
    const m = mapper();
    const cause = new TypeError('inner');
    const err = Object.assign(new Error('outer', { cause }), { code: 'E_X', detail: { a: 1 } });
    const agg = new AggregateError([new Error('a'), new RangeError('b')], 'many');
    const lines = capture({}, (l) => {
      l.error(err, 'failed');
      l.error({ err: agg }, 'agg');
    });
    const r1 = both(m, lines[0]!);
    expect(r1.Exception).toMatchObject({ type: 'Error', code: 'E_X', detail: { a: 1 } });
    expect((r1.Exception as { message: string }).message).toContain('outer');
    expect((r1.Exception as { stack: string }).stack).toContain('caused by: TypeError: inner');
    expect(r1.Properties).not.toHaveProperty('err');
    const r2 = both(m, lines[1]!);
    expect(r2.Exception).toMatchObject({ type: 'AggregateError', message: 'many' });
    expect((r2.Exception as { errors: { type: string }[] }).errors.map((e) => e.type)).toEqual([
      'Error',
      'RangeError',
    ]);
    expect(r2.Exception).not.toHaveProperty('aggregateErrors');
  });

  it('honours custom levels told by pino, and levelSeverities', () => {
    const opts = { customLevels: { audit: 35, critical: 55 } };
    const lines = capture({ ...opts, level: 'trace' }, (l) => {
      (l as unknown as Record<string, (m: string) => void>).audit!('a');
      (l as unknown as Record<string, (m: string) => void>).critical!('c');
    });
    const told = mapper(
      {},
      { levels: { values: { ...pino.levels.values, ...opts.customLevels } } },
    );
    expect(both(told, lines[0]!)).toMatchObject({ Level: 'audit', SeverityNumber: 9 });
    expect(both(told, lines[1]!)).toMatchObject({ Level: 'critical', SeverityNumber: 17 });
    const explicit = mapper({ customLevels: opts.customLevels, levelSeverities: { critical: 22 } });
    expect(both(explicit, lines[1]!)).toMatchObject({ Level: 'critical', SeverityNumber: 22 });
    // Unknown number: its number as the label, severity of the standard level below it.
    expect(both(mapper(), lines[0]!)).toMatchObject({ Level: '35', SeverityNumber: 9 });
  });

  it('reads every pino time format; an unparseable time keeps its value in Properties', () => {
    const m = mapper();
    const fixed = Date.parse('2024-05-06T07:08:09.123Z');
    const t = pino.stdTimeFunctions;
    const cases: [() => string, string][] = [
      [() => `,"time":${fixed}`, '2024-05-06T07:08:09.123Z'],
      [() => `,"time":${Math.floor(fixed / 1000)}`, '2024-05-06T07:08:09.000Z'],
      [() => `,"time":"2024-05-06T07:08:09.123Z"`, '2024-05-06T07:08:09.123Z'],
      [() => `,"time":"2024-05-06T07:08:09.123456789Z"`, '2024-05-06T07:08:09.123Z'],
      [() => `,"time":"Mon, 06 May 2024 07:08:09 GMT"`, '2024-05-06T07:08:09.000Z'],
    ];
    for (const [timestamp, iso] of cases) {
      const [line] = capture({ timestamp }, (l) => l.info('t'));
      const rec = both(m, line!);
      expect(rec.TimeGenerated).toBe(iso);
      expect(rec.Properties).not.toHaveProperty('time');
    }
    for (const timestamp of [t.epochTime, t.unixTime, t.isoTime, t.isoTimeNano]) {
      const [line] = capture({ timestamp }, (l) => l.info('t'));
      expect(
        Math.abs(Date.parse(both(m, line!).TimeGenerated as string) - Date.now()),
      ).toBeLessThan(60_000);
    }
    const [none] = capture({ timestamp: false }, (l) => l.info('t'));
    expect(both(m, none!).TimeGenerated).toBe(new Date(NOW).toISOString());
    const [bad] = capture({ timestamp: () => ',"time":"yesterday"' }, (l) => l.info('t'));
    const rec = both(m, bad!);
    expect(rec.TimeGenerated).toBe(new Date(NOW).toISOString());
    expect(rec.Properties).toMatchObject({ time: 'yesterday' });
    const [custom] = capture({ timestamp: () => `,"@t":${fixed}` }, (l) => l.info('t'));
    expect(both(mapper({ timeKey: '@t' }), custom!).TimeGenerated).toBe('2024-05-06T07:08:09.123Z');
  });

  it('honours messageKey and errorKey (from pino, or from options)', () => {
    const lines = capture({ messageKey: 'message', errorKey: 'error' }, (l) =>
      l.error(new Error('boom'), 'text'),
    );
    const told = mapper({}, { messageKey: 'message', errorKey: 'error' });
    expect(both(told, lines[0]!)).toMatchObject({
      Message: 'text',
      Exception: { message: 'boom' },
    });
    const explicit = mapper({ messageKey: 'message', errorKey: 'error' });
    expect(both(explicit, lines[0]!)).toMatchObject({
      Message: 'text',
      Exception: { message: 'boom' },
    });
  });

  it('maps trace context in both spellings', () => {
    const m = mapper();
    const [a, b, c] = capture({}, (l) => {
      l.info({ trace_id: 't1', span_id: 's1', trace_flags: '01' }, 'a');
      l.info({ traceId: 't2', spanId: 's2' }, 'b');
      l.info({ trace_id: '', spanId: 5 }, 'c');
    });
    expect(both(m, a!)).toMatchObject({
      TraceId: 't1',
      SpanId: 's1',
      Properties: { trace_flags: '01' },
    });
    expect(both(m, b!)).toMatchObject({ TraceId: 't2', SpanId: 's2' });
    const rc = both(m, c!);
    expect(rc).not.toHaveProperty('TraceId');
    expect(rc.Properties).toEqual({ pid: process.pid, spanId: 5 });
  });

  it('renames and drops columns', () => {
    const m = mapper({ columns: { Message: 'Msg', Host: null, Properties: 'Props' } });
    const [line] = capture({}, (l) => l.info({ a: 1 }, 'm'));
    const rec = both(m, line!);
    expect(rec).toMatchObject({ Msg: 'm', Props: { a: 1 } });
    expect(rec).not.toHaveProperty('Host');
    expect(rec).not.toHaveProperty('Message');
  });

  it('leaves Properties out when nothing is left', () => {
    const [line] = capture({ base: null }, (l) => l.info('only'));
    const rec = both(mapper(), line!);
    expect(rec).not.toHaveProperty('Properties');
    expect(rec.Message).toBe('only');
  });
});

describe('lines pino would not write: the safe path decides', () => {
  const m = mapper();
  it.each([
    ['whitespace', '{ "level": 30, "msg": "x" }'],
    ['escaped key', '{"level":30,"m\\u0073g":"x"}'],
    ['duplicate column key', '{"level":30,"msg":"a","msg":"b"}'],
    ['non-string message', '{"level":30,"msg":42}'],
    ['nested column-like key', '{"a":{"msg":"x"},"level":40}'],
  ])('%s', (_name, line) => {
    const fast = m.fast(line);
    const safe = safeRecord(m, line);
    if (fast !== undefined) expect(JSON.parse(fast)).toEqual(safe);
    expect(safe).toHaveProperty('Level');
  });

  it('trusts pino for what is inside values (the CLI validates lines first)', () => {
    // Balanced but not JSON: the scanner accepts it; only JSON.parse would not.
    expect(m.fast('{"level":30,"a":{b}}')).toBeTypeOf('string');
    expect(m.safe('{"level":30,"a":{b}}').kind).toBe('not-json');
  });

  it('the nested key stays nested', () => {
    const rec = JSON.parse(m.fast('{"a":{"msg":"x"},"level":40}')!);
    expect(rec).toMatchObject({ Level: 'warn', Message: '', Properties: { a: { msg: 'x' } } });
  });

  it('a "__proto__" key stays a member of Properties on both paths', () => {
    const rec = both(m, '{"level":30,"__proto__":{"x":1},"msg":"m"}');
    expect(Object.hasOwn(rec.Properties as object, '__proto__')).toBe(true);
    expect(Object.keys(rec.Properties as object)).toEqual(['__proto__']);
  });

  it('escaped and duplicate keys decode as JSON.parse does', () => {
    expect(safeRecord(m, '{"level":30,"m\\u0073g":"x"}')).toMatchObject({ Message: 'x' });
    expect(safeRecord(m, '{"level":30,"msg":"a","msg":"b"}')).toMatchObject({ Message: 'b' });
    expect(safeRecord(m, '{"level":30,"msg":42}')).toMatchObject({ Message: '42' });
  });

  it.each(['not json at all', '{"level":30,', '42', '["a"]', '{"a":1}}'])(
    'non-object text becomes a message: %s',
    (line) => {
      expect(m.fast(line)).toBeUndefined();
      const r = m.safe(line);
      expect(r.kind).toBe('not-json');
      expect(JSON.parse(safeStringify(r.record))).toMatchObject({
        Level: 'info',
        Message: line,
        Properties: { nonJson: true },
      });
    },
  );
});
