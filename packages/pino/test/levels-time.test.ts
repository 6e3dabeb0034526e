import { describe, expect, it } from 'vitest';
import { LevelTable, severityOfNumber } from '../src/levels.js';
import { LineClock } from '../src/time.js';

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

describe('LineClock', () => {
  // The reading itself is the core's isoTime (its table: packages/core/test/adapter-rules.test.ts;
  // both adapters against it: test/adapter-rules.test.ts). Here: what the line keeps.
  it('uses a readable time, and falls back to now for the rest, which then stays in Properties', () => {
    const clock = new LineClock(() => 0);
    expect(clock.of('2023-11-14T22:13:20.123Z')).toEqual({
      iso: '2023-11-14T22:13:20.123Z',
      used: true,
    });
    expect(clock.of(1_700_000_000_123.9)).toEqual({ iso: '2023-11-14T22:13:20.123Z', used: true });
    expect(clock.of(-5)).toEqual({ iso: '1969-12-31T23:59:55.000Z', used: true });
    expect(clock.of('nope')).toEqual({ iso: '1970-01-01T00:00:00.000Z', used: false });
    expect(clock.of(9e15)).toEqual({ iso: '1970-01-01T00:00:00.000Z', used: false });
    expect(clock.of(undefined)).toEqual({ iso: '1970-01-01T00:00:00.000Z', used: false });
  });
});
