import { describe, expect, it } from 'vitest';
import { PinoLayout } from '../src/line-layout.js';
import { LineMapper } from '../src/mapping.js';
import { splitOptions } from '../src/options.js';
import { roleTable } from '../src/roles.js';
import { capture } from './helpers.js';

const NOW = Date.parse('2030-01-02T03:04:05.678Z');

const KEYS = { levelKey: 'level', timeKey: 'time', messageKey: 'msg', errorKey: 'err' };

/** Logs of every kind pino writes with its default options (and child bindings). */
function variedLines(): string[] {
  return capture({ level: 'trace' }, (l) => {
    l.info('plain');
    l.info({ userId: 'u-1', attempt: 3, ok: true, none: null }, 'with merge object');
    l.child({ reqId: 'r1', nested: { a: [1, { b: 2 }] } }).warn({ n: -1.5e-7 }, 'child');
    l.info({ path: '/a"b', note: 'tab\there' }, 'escapes in values');
    l.info('message with "quotes" and \\ backslash');
    l.info('unicode é ✓ 😀 and \u2028');
    l.info('');
    l.info({ only: 'merge' });
    l.info({ level2: { msg: 'nested msg', level: 1 } }, 'nested column keys');
    l.info({ deep: { hostname: 'other' } }, 'nested hostname');
    l.info({ trace_id: 't1', span_id: 's1' }, 'with ids');
    l.info({ traceId: 't2' }, 'camel id');
    l.info({ trace_id: 't3', traceId: 't3', spanId: '', user: 'u' }, 'ids in both spellings');
    l.info({ trace_id: 'a', traceId: 'b' }, 'two different trace ids');
    l.info({ trace_id: 't\\4' }, 'backslash in an id');
    l.info({ user: 'u', span_id: 's5' }, 'id after another key');
    l.info({ trace_id: 7 }, 'id that is not a string');
    l.child({ trace_id: 't6', span_id: 's6' }).info({ trace_flags: '01', n: 1 }, 'ids as bindings');
    l.error(new Error('boom'), 'with err');
    l.info({ msg: 'merge msg wins?' }, 'duplicate message key');
    l.info({ time: 'mine' }, 'duplicate time');
    l.info({ arr: [1, 2, 3], s: '' }, 'arrays');
    l.info({ key: '},"msg":"x"' }, 'key-like text in a value');
    l.trace('trace');
    l.fatal('fatal');
  });
}

describe('PinoLayout: pino’s own layout without a pair scan', () => {
  it('gives exactly the scanner’s record for every line it takes, and takes the plain ones', () => {
    const lines = [
      ...variedLines(),
      ...capture({ base: null }, (l) => l.info({ a: 1 }, 'no bindings')),
      ...capture({ base: { hostname: 'h' } }, (l) => l.info('hostname without pid')),
      ...capture({ base: { pid: 1, hostname: '' } }, (l) => l.info('empty hostname')),
    ];
    const mapper = new LineMapper(splitOptions({}).line, 10, () => NOW);
    const layout = new PinoLayout(roleTable(KEYS));
    const taken: string[] = [];
    for (const line of lines) {
      expect(mapper.fast(line), line).toBe(mapper.scanned(line));
      if (layout.match(line)) taken.push(JSON.parse(line).msg);
    }
    expect(taken).toEqual([
      'plain',
      'with merge object',
      'child',
      'message with "quotes" and \\ backslash',
      'unicode é ✓ 😀 and \u2028',
      '',
      'with ids',
      'camel id',
      'ids in both spellings',
      'ids as bindings',
      'arrays',
      'trace',
      'fatal',
      'no bindings',
      'empty hostname',
    ]);
  });

  it('leaves to the scanner what it cannot promise', () => {
    const layout = new PinoLayout(roleTable(KEYS));
    const refused = [
      '{"level":30,"time":1,"msg":"x"} ', // not ending the line
      '{"level":"info","time":1,"msg":"x"}', // a level label
      '{"level":30,"time":"2030-01-01T00:00:00.000Z","msg":"x"}', // an ISO time
      '{"level":30,"time":1,"msg":7}', // a message that is not a string
      '{"level":30,"time":1,"a":{"msg":"x"}}', // the last msg is nested
      '{"level":30,"time":1,"err":{"message":"e"},"msg":"x"}', // an error
      '{"level":30,"time":1,"a":"\\"","msg":"x"}', // a backslash in the middle
      '{"time":1,"level":30,"msg":"x"}', // another order
      '{"level":30,"time":1,"pid":1,"hostname":"h","hostname":"i","msg":"x"}', // duplicate
      '{"level":30,"time":1234567890123456,"msg":"x"}', // 16 digits
    ];
    for (const line of refused) expect(layout.match(line), line).toBe(false);
    expect(layout.match('{"level":30,"time":1,"msg":"x"}')).toBe(true);
    expect(layout.properties).toBeUndefined();
  });

  it('follows renamed keys, and stands aside when a key would need escaping', () => {
    const renamed = new PinoLayout(
      roleTable({ levelKey: 'lvl', timeKey: 'ts', messageKey: 'message', errorKey: 'err' }),
    );
    expect(renamed.match('{"lvl":30,"ts":5,"pid":1,"hostname":"h","a":1,"message":"m"}')).toBe(
      true,
    );
    expect(renamed.properties).toBe('{"pid":1,"a":1}');
    expect(renamed.host).toBe('"h"');
    expect(renamed.match('{"level":30,"time":5,"msg":"m"}')).toBe(false);
    const odd = new PinoLayout(roleTable({ ...KEYS, messageKey: 'm"sg' }));
    expect(odd.match('{"level":30,"time":1,"msg":"x"}')).toBe(false);
  });
});
