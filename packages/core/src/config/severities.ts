/**
 * Severity numbers given by the user (winston's `levels`, pino's `levelSeverities`): one check,
 * so both adapters accept and refuse the same values with the same message.
 */
import type { ConfigProblem } from '../errors.js';

const FIX =
  'use an OpenTelemetry severity number: 1 (trace), 5 (debug), 9 (info), 13 (warn), 17 (error) or 21 (fatal), or any integer from 1 to 24';

/** Whether `n` is an OpenTelemetry SeverityNumber: an integer from 1 to 24. */
export function isSeverityNumber(n: unknown): n is number {
  return Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 24;
}

/**
 * The problems of an option mapping level labels to severity numbers, e.g.
 * `{ audit: 9, panic: 21 }`.
 * @param option the option's name in messages (each bad entry is `option.label`)
 */
export function severitiesProblems(option: string, value: unknown): ConfigProblem[] {
  if (value === undefined) return [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [
      {
        option,
        value,
        source: 'option',
        problem: 'must be an object of level label to severity number',
        fix: 'pass e.g. { audit: 9, panic: 21 }',
      },
    ];
  }
  return Object.entries(value)
    .filter(([, n]) => !isSeverityNumber(n))
    .map(([label, n]) => ({
      option: `${option}.${label}`,
      value: n,
      source: 'option' as const,
      problem: 'is not a severity number (an integer from 1 to 24)',
      fix: FIX,
    }));
}
