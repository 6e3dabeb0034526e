import { describe, expect, it } from 'vitest';
import { PairIndex, scanPairs } from '../src/record/json-scan.js';

const scan = (text: string) => scanPairs(text, new PairIndex());

describe('scanPairs', () => {
  it.each([
    ['{}', 0],
    ['{"a":1,"b":-0.5e+3,"c":0,"d":1E9}', 4],
    ['{"t":true,"f":false,"n":null}', 3],
    ['{"s":"x\\"}","o":{"k":[1,"]"]},"a":[]}', 3],
  ])('accepts the compact form %s', (text, pairs) => {
    expect(scan(text)).toBe(pairs);
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it.each([
    '{"a":01}',
    '{"a":1.}',
    '{"a":1e}',
    '{"a":-}',
    '{"a":.5}',
    '{"a":12x}',
    '{"a":truex}',
    '{"a":nul}',
    '{"a":NaN}',
    '{"a": 1}',
    '{"a":1,}',
    '{"a":"x}',
    '{"a":{"b":1}',
    '{"a":1}}',
  ])('sends %s to the safe path (-1)', (text) => {
    expect(scan(text)).toBe(-1);
  });

  it('records where each key and value ends', () => {
    const index = new PairIndex();
    const text = '{"level":30,"msg":"hi"}';
    expect(scanPairs(text, index)).toBe(2);
    const p = index.positions;
    expect(text.slice(p[0], p[1])).toBe('"level"');
    expect(text.slice(p[1]! + 1, p[2])).toBe('30');
    expect(text.slice(p[4]! + 1, p[5])).toBe('"hi"');
  });
});
