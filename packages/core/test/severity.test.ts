import { describe, expect, it } from 'vitest';
import { LEVEL_SETS, severityNumber } from '../src/record/severity.js';

describe('LEVEL_SETS', () => {
  it('maps onto the OpenTelemetry ranges', () => {
    expect(LEVEL_SETS.pino).toEqual({
      trace: 1,
      debug: 5,
      info: 9,
      warn: 13,
      error: 17,
      fatal: 21,
    });
    expect(LEVEL_SETS.npm).toEqual({
      error: 17,
      warn: 13,
      info: 9,
      http: 10,
      verbose: 6,
      debug: 5,
      silly: 1,
    });
    expect(LEVEL_SETS.syslog).toMatchObject({
      emerg: 24,
      alert: 23,
      crit: 22,
      warning: 13,
      notice: 10,
    });
    expect(LEVEL_SETS.cli).toMatchObject({
      help: 9,
      data: 9,
      prompt: 9,
      input: 9,
      verbose: 6,
      silly: 1,
    });
    for (const set of Object.values(LEVEL_SETS)) {
      for (const n of Object.values(set)) expect(n >= 1 && n <= 24).toBe(true);
    }
  });
});

describe('severityNumber', () => {
  it.each([
    ['custom map first', 'info', { info: 11 }, 'pino', 11],
    ['then the set', 'warning', undefined, 'syslog', 13],
    ['set beats other sets', 'verbose', undefined, 'cli', 6],
    ['any known label', 'notice', undefined, undefined, 10],
    ['any known label (npm)', 'http', undefined, undefined, 10],
    ['pino fatal', 'fatal', undefined, undefined, 21],
    ['case-insensitive', 'WARN', undefined, undefined, 13],
    ['ANSI colours', '\u001b[31merror\u001b[39m', undefined, 'npm', 17],
    ['heuristic critical', 'critical', undefined, undefined, 21],
    ['heuristic panic', 'panic', undefined, undefined, 21],
    ['heuristic errors', 'app-errors', undefined, undefined, 17],
    ['heuristic warn', 'warnish', undefined, undefined, 13],
    ['heuristic debug', 'debug2', undefined, undefined, 5],
    ['heuristic trace', 'tracing', undefined, undefined, 1],
    ['default', 'audit', undefined, undefined, 9],
    ['custom out of range ignored', 'info', { info: 99 }, undefined, 9],
    ['inherited keys ignored', 'toString', undefined, undefined, 9],
    ['custom via proto ignored', 'constructor', {}, undefined, 9],
  ] as const)('%s', (_name, level, custom, set, expected) => {
    expect(severityNumber(level, custom, set)).toBe(expected);
  });
});
