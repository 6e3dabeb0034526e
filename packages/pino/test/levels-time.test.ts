import { describe, expect, it } from 'vitest';
import { LevelTable, severityOfNumber } from '../src/levels.js';
import { IsoClock, timeToMillis } from '../src/time.js';

describe('LevelTable', () => {
  it('resolves numbers through pino levels, custom levels and explicit severities', () => {
    const t = new LevelTable({ audit: 35 }, { audit: 11, info: 10 });
    expect(t.resolve(30)).toMatchObject({ label: 'info', severity: 10 });
    expect(t.resolve(35)).toMatchObject({ label: 'audit', severity: 11 });
    expect(t.resolve(60)).toMatchObject({ label: 'fatal', severity: 21 });
    expect(t.resolve('warn')).toMatchObject({ label: 'warn', severity: 13 });
    expect(t.resolve(70)).toMatchObject({ label: '70', severity: 21 });
  });

  it('takes the logger levels pino sends, keeping explicit custom levels on top', () => {
    const t = new LevelTable({ audit: 35 }, undefined);
    t.setLevels({ trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, notice: 45 });
    expect(t.resolve(45)).toMatchObject({ label: 'notice', severity: 13 });
    expect(t.resolve(35)).toMatchObject({ label: 'audit', severity: 9 });
  });

  it.each([
    [5, 1],
    [10, 1],
    [25, 5],
    [30, 9],
    [45, 13],
    [55, 17],
    [99, 21],
  ])('severityOfNumber(%i) = %i', (n, s) => {
    expect(severityOfNumber(n)).toBe(s);
  });
});

describe('time', () => {
  it.each([
    [1_700_000_000_000, 1_700_000_000_000],
    [1_700_000_000, 1_700_000_000_000],
    ['1700000000000', 1_700_000_000_000],
    ['2023-11-14T22:13:20.000Z', 1_700_000_000_000],
    ['2023-11-14T22:13:20.000123456Z', 1_700_000_000_000],
    ['2023-11-15T00:13:20+02:00', 1_700_000_000_000],
    ['yesterday', undefined],
    ['', undefined],
    [-5, undefined],
    [Number.NaN, undefined],
    [null, undefined],
    [{}, undefined],
  ])('timeToMillis(%j) = %j', (value, ms) => {
    expect(timeToMillis(value)).toBe(ms);
  });

  it('IsoClock reuses canonical ISO strings and falls back to now', () => {
    const clock = new IsoClock(() => 0);
    expect(clock.of('2023-11-14T22:13:20.123Z')).toEqual({
      iso: '2023-11-14T22:13:20.123Z',
      used: true,
    });
    expect(clock.of(1_700_000_000_123.9)).toEqual({ iso: '2023-11-14T22:13:20.123Z', used: true });
    expect(clock.of('nope')).toEqual({ iso: '1970-01-01T00:00:00.000Z', used: false });
    expect(clock.of(9e15)).toEqual({ iso: '1970-01-01T00:00:00.000Z', used: false });
  });
});
