import { describe, expect, it } from 'vitest';
import { safeStringify } from '../src/record/serialize.js';
import { serializeError } from '../src/record/serialize-error.js';

class DbError extends Error {}
class NamedError extends Error {
  override name = 'CustomName';
}

describe('serializeError', () => {
  it('shapes an Error with code, own props and cause', () => {
    const root = new Error('root');
    const e = Object.assign(new Error('top', { cause: root }), { code: 'E_TOP', status: 500 });
    const s = serializeError(e);
    expect(s).toMatchObject({ type: 'Error', message: 'top', code: 'E_TOP', status: 500 });
    expect(s.stack).toContain('Error: top');
    expect(s.cause).toMatchObject({ type: 'Error', message: 'root' });
    expect(Object.keys(s).slice(0, 3)).toEqual(['type', 'message', 'stack']);
  });

  it.each([
    ['built-in', new TypeError('t'), 'TypeError'],
    ['subclass without name', new DbError('d'), 'DbError'],
    ['subclass with name', new NamedError('n'), 'CustomName'],
    ['error-like object', { name: 'Weird', message: 'm', stack: 's' }, 'Weird'],
  ])('type of a %s', (_n, err, type) => {
    expect(serializeError(err).type).toBe(type);
  });

  it.each([
    ['string', 'boom', { type: 'string', message: 'boom' }],
    ['number', 42, { type: 'number', message: '42' }],
    ['null', null, { type: 'null', message: 'null' }],
    ['undefined', undefined, { type: 'undefined', message: 'undefined' }],
  ])('non-object thrown value: %s', (_n, v, expected) => {
    expect({ ...serializeError(v) }).toEqual(expected);
  });

  it('shapes AggregateError members', () => {
    const e = new AggregateError([new Error('a'), 'b'], 'many');
    const s = serializeError(e);
    expect(s.type).toBe('AggregateError');
    expect(s.errors).toEqual([expect.objectContaining({ message: 'a' }), 'b']);
  });

  it('clips huge AggregateErrors and counts them', () => {
    const s = serializeError(
      new AggregateError(Array.from({ length: 500 }, (_, i) => new Error(`${i}`))),
    );
    expect(s.errors).toHaveLength(100);
    expect(s.errorCount).toBe(500);
  });

  it('is cycle-safe in cause chains and errors', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as Error & { cause?: unknown }).cause = b;
    const s = serializeError(a);
    expect((s.cause as Record<string, unknown>).cause).toBe('[Circular]');
    const agg = new AggregateError([], 'agg');
    (agg as AggregateError & { errors: unknown[] }).errors = [agg];
    expect(serializeError(agg).errors).toEqual(['[Circular]']);
    expect(() => JSON.parse(safeStringify({ a }))).not.toThrow();
  });

  it('bounds deep cause chains by maxDepth', () => {
    let e = new Error('0');
    for (let i = 1; i < 50; i++) e = new Error(`${i}`, { cause: e });
    let s: unknown = serializeError(e, 3);
    const messages: unknown[] = [];
    while (s !== null && typeof s === 'object') {
      messages.push((s as Record<string, unknown>).message);
      s = (s as Record<string, unknown>).cause;
    }
    expect(messages).toEqual(['49', '48', '47']);
    expect(s).toBe('[MaxDepth]');
  });

  it('survives throwing getters', () => {
    const e = new Error('x');
    // stack first: redefining it may format the old stack, which reads the message.
    Object.defineProperty(e, 'stack', {
      get() {
        throw new Error('no stack');
      },
    });
    Object.defineProperty(e, 'message', {
      get() {
        throw new Error('no message');
      },
    });
    Object.defineProperty(e, 'boom', {
      enumerable: true,
      get() {
        throw new Error('no boom');
      },
    });
    const s = serializeError(e);
    expect(s.message).toBe('[Unserializable: no message]');
    expect(s.stack).toBe('[Unserializable: no stack]');
    expect(s.boom).toBe('[Unserializable: no boom]');
  });

  it('copies dangerous own keys as plain keys without pollution', () => {
    const e = new Error('x');
    Object.defineProperty(e, '__proto__', { value: { polluted: 1 }, enumerable: true });
    Object.defineProperty(e, 'constructor', { value: 'c', enumerable: true });
    const s = serializeError(e);
    expect(Object.getPrototypeOf(s)).toBeNull();
    expect(Object.keys(s)).toContain('__proto__');
    expect(s.constructor).toBe('c');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(safeStringify(s)).toContain('"__proto__":{"polluted":1}');
  });
});
