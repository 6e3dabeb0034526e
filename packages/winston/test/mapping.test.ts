import { describe, expect, it } from 'vitest';
import winston from 'winston';
import { findError, LEVEL, levelLabel, SPLAT, toLogEntry } from '../src/mapping.js';
import { captureLogger } from './helpers/capture.js';

const { format } = winston;
const NOW = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

/** Logs once through a real logger and maps the info the transport would receive. */
function mapOne(
  options: winston.LoggerOptions,
  act: (logger: winston.Logger) => void,
): { entry: ReturnType<typeof toLogEntry>; info: Record<string | symbol, unknown> } {
  const { logger, capture } = captureLogger(options);
  act(logger);
  const info = capture.infos[0];
  if (!info) throw new Error('nothing logged');
  return { entry: toLogEntry(info, 9, NOW), info };
}

describe('toLogEntry', () => {
  it('maps message, level and meta; time of the call without a timestamp format', () => {
    const { entry } = mapOne({ format: format.json() }, (l) =>
      l.info('hello', { user: 'u1', n: 2 }),
    );
    expect(entry).toEqual({
      time: NOW,
      level: 'info',
      severityNumber: 9,
      message: 'hello',
      properties: { user: 'u1', n: 2 },
    });
  });

  it('uses the timestamp set by format.timestamp() and leaves it out of Properties', () => {
    const { entry, info } = mapOne(
      { format: format.combine(format.timestamp(), format.json()) },
      (l) => l.warn('w'),
    );
    expect(typeof info.timestamp).toBe('string');
    // The core reads the text (toDefaultRecord / the record writer), as it does for every adapter.
    expect(entry.time).toBe(info.timestamp);
    expect(entry.properties).toBeUndefined();
  });

  it('keeps an unparseable timestamp as a property and uses the call time', () => {
    const { entry } = mapOne({ format: format.timestamp({ format: () => 'not a date' }) }, (l) =>
      l.info('x'),
    );
    expect(entry.time).toBe(NOW);
    expect(entry.properties).toEqual({ timestamp: 'not a date' });
  });

  it('strips colours: the raw level comes from info[LEVEL]', () => {
    const { entry, info } = mapOne({ format: format.colorize({ all: true }) }, (l) =>
      l.error('red'),
    );
    expect(String(info.level).includes('\u001b[')).toBe(true);
    expect(entry.level).toBe('error');
    expect(levelLabel({ level: '\u001b[31merror\u001b[39m' })).toBe('error');
  });

  it('includes child-logger defaults, defaultMeta and splat meta in Properties', () => {
    const { entry } = mapOne(
      { defaultMeta: { service: 'api' }, format: format.combine(format.splat(), format.json()) },
      (l) => l.child({ requestId: 'r-1' }).info('user %s did %d things', 'bob', 3, { extra: true }),
    );
    expect(entry.message).toBe('user bob did 3 things');
    expect(entry.properties).toEqual({ service: 'api', requestId: 'r-1', extra: true });
  });

  it('maps trace and span ids in either spelling', () => {
    const a = mapOne({}, (l) => l.info('a', { trace_id: 't1', span_id: 's1', other: 1 })).entry;
    const b = mapOne({}, (l) => l.info('b', { traceId: 't2', spanId: 's2' })).entry;
    expect([a.traceId, a.spanId, a.properties]).toEqual(['t1', 's1', { other: 1 }]);
    expect([b.traceId, b.spanId, b.properties]).toEqual(['t2', 's2', undefined]);
  });

  it('takes an Error logged as the message (logger.error(err))', () => {
    const err = Object.assign(new Error('boom'), { code: 'E1' });
    const { entry } = mapOne({}, (l) => l.error(err));
    expect(entry.error).toBe(err);
    expect(entry.message).toBe('boom');
    expect(entry.properties).toEqual({ code: 'E1' });
  });

  it('takes an Error given as meta: { error }, { err } and logger.error(msg, err)', () => {
    const e1 = new Error('one');
    const a = mapOne({}, (l) => l.error('failed', { error: e1, id: 1 })).entry;
    expect(a.error).toBe(e1);
    expect(a.properties).toEqual({ id: 1 });

    const e2 = new Error('two');
    expect(mapOne({}, (l) => l.error('failed', { err: e2 })).entry.error).toBe(e2);

    const e3 = new Error('three', { cause: new Error('root') });
    const c = mapOne({}, (l) => l.error('failed', e3)).entry;
    expect(c.error).toBe(e3);
    expect(c.message).toBe('failed three');
    expect(c.properties).toBeUndefined();
  });

  it('rebuilds the Error from format.errors({ stack, cause })', () => {
    const cause = new Error('root cause');
    const err = new TypeError('bad type', { cause });
    const { entry } = mapOne({ format: format.errors({ stack: true, cause: true }) }, (l) =>
      l.error(err),
    );
    const e = entry.error as Error;
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.message, e.stack, e.cause]).toEqual([
      'TypeError',
      'bad type',
      err.stack,
      cause,
    ]);
    expect(entry.properties).toBeUndefined();
  });

  it('maps the info of winston’s exception handler', () => {
    const err = new Error('uncaught');
    const info = {
      error: err,
      level: 'error',
      message: `uncaughtException: uncaught\n${err.stack}`,
      stack: err.stack,
      exception: true,
      date: 'd',
      process: { pid: 1 },
      [LEVEL]: 'error',
    };
    const entry = toLogEntry(info, 17, NOW);
    expect(entry.error).toBe(err);
    expect(entry.properties).toEqual({ exception: true, date: 'd', process: { pid: 1 } });
  });

  it('finds no error in a plain log, and never mutates the info', () => {
    const info = Object.freeze({
      level: 'info',
      message: 'm',
      a: Object.freeze({ b: 1 }),
      [LEVEL]: 'info',
      [SPLAT]: Object.freeze([{ a: { b: 1 } }]),
    });
    expect(findError(info)).toBeUndefined();
    const entry = toLogEntry(info, 9, NOW);
    expect(entry.properties).toEqual({ a: { b: 1 } });
    expect(Object.getOwnPropertySymbols(entry.properties ?? {})).toEqual([]);
  });

  it('gives a message of "" when the info has none', () => {
    expect(toLogEntry({ level: 'info' }, 9, NOW).message).toBe('');
  });
});
