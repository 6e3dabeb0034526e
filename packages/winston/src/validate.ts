import {
  type ConfigProblem,
  ConfigurationError,
  DEFAULT_COLUMNS,
  ENV_VARS,
  type IngestionOptions,
  LEVEL_SETS,
} from 'azure-ingestion-core';
import type { AzureIngestionTransportOptions } from './options.js';

/** This package's product token in the User-Agent header. */
export const PRODUCT = 'winston-transport-azure-ingestion/0.1.0';

const COLUMN_NAME = /^[A-Za-z][A-Za-z0-9_]{1,44}$/;

/** The User-Agent prefix: the user's tokens (option, else env) then ours. */
export function userAgentOf(core: IngestionOptions, env: NodeJS.ProcessEnv): string {
  const user = core.userAgent ?? env[ENV_VARS.userAgent];
  return user ? `${user} ${PRODUCT}` : PRODUCT;
}

function levelsProblems(levels: unknown): ConfigProblem[] {
  if (levels === undefined) return [];
  if (typeof levels !== 'object' || levels === null) {
    return [
      {
        option: 'levels',
        value: levels,
        problem: 'must be an object of level label to severity number',
        fix: 'pass e.g. { audit: 9, panic: 21 }',
      },
    ];
  }
  return Object.entries(levels)
    .filter(([, n]) => !Number.isInteger(n) || n < 1 || n > 24)
    .map(([label, n]) => ({
      option: `levels.${label}`,
      value: n,
      problem: 'must be an OpenTelemetry severity number, an integer 1 … 24',
      fix: 'use 1 (trace), 5 (debug), 9 (info), 13 (warn), 17 (error) or 21 (fatal)',
    }));
}

function columnsProblems(columns: unknown): ConfigProblem[] {
  if (columns === undefined) return [];
  const fix = `rename default columns (${DEFAULT_COLUMNS.join(', ')}) to a name of 2–45 letters, digits or _ starting with a letter, or to null to leave one out`;
  if (typeof columns !== 'object' || columns === null) {
    return [{ option: 'columns', value: columns, problem: 'must be an object', fix }];
  }
  const known: readonly string[] = DEFAULT_COLUMNS;
  const renamed = DEFAULT_COLUMNS.map((c) =>
    Object.hasOwn(columns, c) ? (columns as Record<string, unknown>)[c] : c,
  );
  const taken = renamed.filter((n, i) => n !== null && renamed.indexOf(n) !== i);
  const duplicates: ConfigProblem[] = taken.map((n) => ({
    option: 'columns',
    value: n,
    problem: 'gives two columns the same name',
    fix: 'give each column its own name',
  }));
  return [
    ...duplicates,
    ...Object.entries(columns)
      .filter(([key, name]) => {
        if (!known.includes(key)) return true;
        return name !== null && (typeof name !== 'string' || !COLUMN_NAME.test(name));
      })
      .map(([key, name]) => ({
        option: `columns.${key}`,
        value: name,
        problem: known.includes(key) ? 'is not a valid column name' : 'is not a default column',
        fix,
      })),
  ];
}

/** Validates the options this package consumes; throws one ConfigurationError listing all problems. */
export function validateAdapterOptions(options: Partial<AzureIngestionTransportOptions>): void {
  const problems: ConfigProblem[] = [
    ...levelsProblems(options.levels),
    ...columnsProblems(options.columns),
  ];
  const sets: readonly string[] = Object.keys(LEVEL_SETS);
  if (options.levelSet !== undefined && !sets.includes(options.levelSet)) {
    problems.push({
      option: 'levelSet',
      value: options.levelSet,
      problem: 'is not a known level set',
      fix: `use one of ${sets.join(', ')}`,
    });
  }
  if (options.toRecord !== undefined && typeof options.toRecord !== 'function') {
    problems.push({
      option: 'toRecord',
      value: options.toRecord,
      problem: 'must be a function (info) => object',
      fix: 'pass a function or leave it out',
    });
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
}
