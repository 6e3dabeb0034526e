import { describe, expect, it } from 'vitest';
import { MAX_FIELD_BYTES, truncateString } from '../src/record/field-cap.js';
import { carefulStringify, safeStringify } from '../src/record/serialize.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const parse = (v: unknown, depth?: number) => JSON.parse(safeStringify(v, depth));

class Plain {
  a = 1;
  b = 'x';
}

describe('safeStringify: same text as JSON.stringify for plain data', () => {
  const cases: [string, unknown][] = [
    ['string', 'hello'],
    ['escapes', 'a"b\\c\n\t\u0001'],
    ['lone surrogate', 'x\ud800y'],
    ['emoji', '😀 €'],
    ['number', 42.5],
    ['negative zero', -0],
    ['true', true],
    ['null', null],
    ['empty object', {}],
    ['empty array', []],
    ['nested', { a: [1, { b: 'c' }], d: { e: null } }],
    ['class instance', new Plain()],
    ['key escapes', { 'we"ird\nkey': 1 }],
    ['boxed', { n: Object(1), s: Object('s'), b: Object(false) }],
  ];
  it.each(cases)('%s', (_name, value) => {
    expect(safeStringify(value)).toBe(JSON.stringify(value));
    // The careful serializer alone (no native shortcut) writes the same text.
    expect(carefulStringify(value)).toBe(JSON.stringify(value));
  });

  it('takes the careful path when a getter turns unsafe after the check', () => {
    let calls = 0;
    const o = {
      get v() {
        calls++;
        return calls === 1 ? 1 : 2n; // plain for the check, a BigInt for JSON.stringify
      },
    };
    expect(safeStringify(o)).toBe('{"v":"2"}');
  });
});

describe('safeStringify: random plain data', () => {
  // A small seeded generator (mulberry32): reproducible, no dependency.
  let seed = 12345;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const chars = ['a', 'Z', '0', ' ', '"', '\\', '\n', '\u0007', 'é', '€', '😀', '\ud800', '/'];
  const text = () =>
    Array.from(
      { length: Math.floor(rand() * 12) },
      () => chars[Math.floor(rand() * chars.length)],
    ).join('');
  const gen = (depth: number): unknown => {
    const r = rand();
    if (depth > 4 || r < 0.4) {
      const p = [text(), rand() * 1e6 - 5e5, Math.floor(rand() * 100), true, false, null];
      return p[Math.floor(rand() * p.length)];
    }
    if (r < 0.7) return Array.from({ length: Math.floor(rand() * 5) }, () => gen(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = 0; i < rand() * 5; i++) o[text()] = gen(depth + 1);
    return o;
  };
  it('matches JSON.stringify on 500 random values, on both paths', () => {
    for (let i = 0; i < 500; i++) {
      const v = gen(0);
      expect(safeStringify(v)).toBe(JSON.stringify(v));
      expect(carefulStringify(v)).toBe(JSON.stringify(v));
    }
  });
});

describe('safeStringify: nasty values', () => {
  const fn = () => 1;
  const sym = Symbol('s');
  const cases: [string, unknown, unknown][] = [
    ['BigInt → decimal string', { n: 12345678901234567890n }, { n: '12345678901234567890' }],
    [
      'NaN/Infinity as strings',
      [Number.NaN, Infinity, -Infinity],
      ['NaN', 'Infinity', '-Infinity'],
    ],
    [
      'Date → ISO',
      { d: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) },
      { d: '2026-01-02T03:04:05.006Z' },
    ],
    ['invalid Date → null', { d: new Date('nope') }, { d: null }],
    ['Buffer → base64', { b: Buffer.from('hi!') }, { b: 'aGkh' }],
    ['Uint8Array → base64', new Uint8Array([1, 2, 3]), 'AQID'],
    ['Uint16Array → its bytes', new Uint16Array([1]), 'AQA='],
    ['ArrayBuffer → base64', new Uint8Array([255]).buffer, '/w=='],
    ['DataView → base64', new DataView(new Uint8Array([0, 1]).buffer), 'AAE='],
    ['Map, string keys → object', new Map([['a', 1]]), { a: 1 }],
    [
      'Map, other keys → pairs',
      new Map<unknown, unknown>([
        [1, 'x'],
        [{ k: 1 }, undefined],
      ]),
      [
        [1, 'x'],
        [{ k: 1 }, null],
      ],
    ],
    ['Set → array', new Set([1, 'a']), [1, 'a']],
    ['RegExp → text', { r: /a+/g }, { r: '/a+/g' }],
    ['undefined omitted in objects', { a: undefined, b: 1 }, { b: 1 }],
    ['undefined → null in arrays', [undefined, fn, sym], [null, null, null]],
    ['functions and symbols omitted', { f: fn, s: sym, [sym]: 1, k: 2 }, { k: 2 }],
    ['top-level undefined → null', undefined, null],
    ['top-level function → null', fn, null],
    ['toJSON honoured', { t: { toJSON: () => ({ x: 1 }) } }, { t: { x: 1 } }],
    [
      'toJSON returning this',
      {
        t: {
          a: 1,
          toJSON() {
            return this;
          },
        },
      },
      { t: { a: 1 } },
    ],
    ['toJSON primitive', { t: { toJSON: () => 7n } }, { t: '7' }],
  ];
  it.each(cases)('%s', (_name, value, expected) => {
    expect(parse(value)).toEqual(expected);
  });

  it('marks a throwing getter and keeps the other keys', () => {
    const o = {
      a: 1,
      get bad() {
        throw new Error('boom');
      },
      c: 3,
    };
    expect(parse(o)).toEqual({ a: 1, bad: '[Unserializable: boom]', c: 3 });
  });

  it('marks a throwing toJSON', () => {
    const o = {
      a: {
        toJSON() {
          throw new TypeError('nope');
        },
      },
    };
    expect(parse(o)).toEqual({ a: '[Unserializable: nope]' });
  });

  it('marks a Proxy whose traps throw', () => {
    const p = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    expect(parse({ p })).toEqual({ p: '[Unserializable: trap]' });
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(parse([proxy])[0]).toMatch(/^\[Unserializable: /);
  });

  it('does not crash on a throw of a non-Error with a throwing toString', () => {
    const evil = {
      toString() {
        throw new Error('x');
      },
    };
    const o = {
      get g() {
        throw evil;
      },
    };
    expect(parse(o)).toEqual({ g: '[Unserializable: unknown error]' });
  });

  it('serializes an Error via serializeError', () => {
    const e = Object.assign(new RangeError('bad', { cause: new Error('root') }), {
      code: 'E1',
      extra: 5,
    });
    const out = parse({ e }).e;
    expect(out).toMatchObject({ type: 'RangeError', message: 'bad', code: 'E1', extra: 5 });
    expect(out.stack).toContain('RangeError: bad');
    expect(out.cause).toMatchObject({ type: 'Error', message: 'root' });
  });
});

describe('safeStringify: cycles and depth', () => {
  it('marks circular references, writes shared ones twice', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    const shared = { s: 1 };
    expect(parse({ a, x: shared, y: shared })).toEqual({
      a: { name: 'a', self: '[Circular]' },
      x: { s: 1 },
      y: { s: 1 },
    });
    const arr: unknown[] = [1];
    arr.push(arr);
    expect(parse(arr)).toEqual([1, '[Circular]']);
  });

  it('marks cycles through Map, Set, toJSON and errors', () => {
    const m = new Map<string, unknown>();
    m.set('m', m);
    const s = new Set<unknown>();
    s.add(s);
    const e = new Error('e') as Error & { self?: unknown };
    e.self = e;
    expect(parse({ m, s, e: { e } })).toMatchObject({
      m: { m: '[Circular]' },
      s: ['[Circular]'],
      e: { e: { self: '[Circular]' } },
    });
  });

  it('caps depth (root is depth 0)', () => {
    expect(parse({ a: { b: 1 } }, 1)).toEqual({ a: '[MaxDepth]' });
    expect(parse({ a: { b: { c: 1 } } }, 2)).toEqual({ a: { b: '[MaxDepth]' } });
    expect(safeStringify({}, 0)).toBe('"[MaxDepth]"');
  });

  it('survives 10,000 levels of nesting', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 10_000; i++) {
      const next = {};
      deep.n = next;
      deep = next;
    }
    const out = safeStringify(root);
    expect(out.match(/"n"/g)).toHaveLength(10);
    expect(out).toContain('[MaxDepth]');
    let arr: unknown[] = [];
    for (let i = 0; i < 10_000; i++) arr = [arr];
    expect(() => JSON.parse(safeStringify(arr, 1000))).not.toThrow();
  });

  it('survives a 10,000-long cause chain with a cycle', () => {
    let e = new Error('0');
    const first = e;
    for (let i = 1; i < 10_000; i++) e = new Error(String(i), { cause: e });
    (first as Error & { cause?: unknown }).cause = e;
    const out = parse({ e });
    expect(out.e.message).toBe('9999');
    expect(JSON.stringify(out)).toContain('[MaxDepth]');
  });
});

describe('safeStringify: prototype pollution', () => {
  it('writes __proto__/constructor/prototype as plain keys and pollutes nothing', () => {
    const hostile = JSON.parse(
      '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"prototype":3}',
    );
    const text = safeStringify({ hostile, m: new Map([['__proto__', { polluted: 4 }]]) });
    expect(text).toBe(
      '{"hostile":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"prototype":3},"m":{"__proto__":{"polluted":4}}}',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('safeStringify: the 64 KB field cap', () => {
  it('truncates a 70 KB multi-byte string to at most 65,536 bytes, still valid JSON', () => {
    const big = '€😀a'.repeat(10_000); // 3 + 4 + 1 bytes → 80,000 bytes
    const out = safeStringify({ big });
    const value = JSON.parse(out).big as string;
    expect(bytes(value)).toBeLessThanOrEqual(MAX_FIELD_BYTES);
    expect(bytes(value)).toBeGreaterThan(MAX_FIELD_BYTES - 64);
    expect(value).toMatch(/…\[truncated \d+ bytes\]$/);
    expect(value).not.toContain('\ufffd');
    const kept = value.slice(0, value.indexOf('…[truncated'));
    expect(big.startsWith(kept)).toBe(true);
    const removed = Number(/truncated (\d+) bytes/.exec(value)![1]);
    expect(bytes(kept) + removed).toBe(bytes(big));
  });

  it.each([
    ['ascii', 'a'],
    ['2-byte', 'é'],
    ['3-byte', '€'],
    ['4-byte', '😀'],
  ])('cuts %s text at a character boundary', (_n, ch) => {
    const s = ch.repeat(Math.ceil(70_000 / bytes(ch)));
    const t = truncateString(s);
    expect(bytes(t)).toBeLessThanOrEqual(MAX_FIELD_BYTES);
    expect(t).not.toContain('\ufffd');
  });

  it('leaves strings of exactly 65,536 bytes alone', () => {
    const s = 'a'.repeat(MAX_FIELD_BYTES);
    expect(truncateString(s)).toBe(s);
    expect(truncateString(`${s}a`)).not.toBe(s);
  });

  it('truncates long keys and top-level strings too', () => {
    const k = 'k'.repeat(70_000);
    const key = Object.keys(parse({ [k]: 1 }))[0]!;
    expect(bytes(key)).toBeLessThanOrEqual(MAX_FIELD_BYTES);
    expect(bytes(parse(k))).toBeLessThanOrEqual(MAX_FIELD_BYTES);
  });

  it('replaces a top-level object field over 64 KB by its truncated JSON text', () => {
    const Properties = { a: 'x'.repeat(40_000), b: 'y'.repeat(40_000) };
    const out = parse({ Message: 'm', Properties });
    expect(typeof out.Properties).toBe('string');
    expect(bytes(out.Properties)).toBeLessThanOrEqual(MAX_FIELD_BYTES);
    expect(out.Properties.startsWith('{"a":"xxx')).toBe(true);
    expect(out.Message).toBe('m');
    // Nested (non top-level) objects are not the service's fields: left whole.
    expect(parse([{ Properties }])[0].Properties).toEqual(Properties);
  });

  it('leaves fields under 64 KB whole, however big the record', () => {
    const rec = { a: 'x'.repeat(40_000), b: { c: 'y'.repeat(40_000) }, d: ['z'.repeat(40_000)] };
    expect(safeStringify(rec)).toBe(JSON.stringify(rec));
    expect(carefulStringify(rec)).toBe(JSON.stringify(rec));
    const arr = [rec, rec];
    expect(safeStringify(arr)).toBe(JSON.stringify(arr));
  });

  it.each([
    ['array', () => Array.from({ length: 1_000_000 }, (_, i) => i)],
    ['object', () => Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, i]))],
    ['Map', () => new Map(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, { i }]))],
    ['nested', () => ({ a: [{ b: Array.from({ length: 300_000 }, () => 'xy') }] })],
  ])('stops writing a huge top-level %s early and marks it', (_n, make) => {
    const out = parse({ Message: 'm', Properties: make(), Host: 'h' });
    expect(out.Message).toBe('m');
    expect(out.Host).toBe('h');
    expect(typeof out.Properties).toBe('string');
    expect(bytes(out.Properties)).toBeLessThanOrEqual(MAX_FIELD_BYTES);
    expect(out.Properties).toMatch(/…\[truncated over \d+ bytes\]$/);
  });

  it('clips big binary data', () => {
    const out = parse({ b: Buffer.alloc(100_000, 1) }).b as string;
    expect(bytes(out)).toBeLessThanOrEqual(MAX_FIELD_BYTES);
    expect(out).toMatch(/…\[truncated \d+ bytes\]$/);
  });
});

describe('safeStringify: the fast-path check misses nothing', () => {
  // Every value the check must refuse, placed wherever the check looks (the root, array items,
  // object members, nested): the text must be the careful serializer's, byte for byte.
  const long = 'x'.repeat(70_000);
  const unsafe: [string, () => unknown][] = [
    ['NaN', () => Number.NaN],
    ['Infinity', () => Infinity],
    ['-Infinity', () => -Infinity],
    ['BigInt', () => 7n],
    ['long string', () => long],
    ['long key', () => ({ [long]: 1 })],
    ['invalid Date', () => new Date('nope')],
    ['Map', () => new Map([['a', 1]])],
    ['Set', () => new Set([1])],
    ['Buffer', () => Buffer.from('hi')],
    ['Error', () => new Error('e')],
    ['RegExp', () => /a/],
    ['boxed number', () => Object(Number.NaN)],
    ['toJSON', () => ({ toJSON: () => 1n })],
    ['function with toJSON', () => Object.assign(() => 1, { toJSON: () => 'f' })],
    ['class instance', () => new (class K {})()],
    ['too deep', () => ({ a: { b: { c: {} } } })],
  ];
  const places: [string, (x: unknown) => unknown][] = [
    ['root', (x) => x],
    ['only item', (x) => [x]],
    ['later item', (x) => ['s', 1, true, null, x]],
    ['only member', (x) => ({ a: x })],
    ['later member', (x) => ({ s: 's', n: 1, b: false, z: null, a: x })],
    ['nested', (x) => ({ p: { q: [{ r: x }] } })],
  ];
  const grid = unsafe.flatMap(([v, make]) =>
    places.map(([p, place]) => [`${v} as ${p}`, () => place(make())] as const),
  );
  it.each(grid)('%s', (_name, make) => {
    const value = make(); // one value for both calls (an Error's stack names its call site)
    expect(safeStringify(value, 4)).toBe(carefulStringify(value, 4));
  });

  it('reads no getter behind a key it already refuses', () => {
    let calls = 0;
    const o = Object.defineProperty({}, 'k'.repeat(70_000), {
      enumerable: true,
      get() {
        calls++;
        return 1;
      },
    });
    safeStringify(o);
    expect(calls).toBe(1); // once, by the careful serializer
  });
});
