import { type ConfigProblem, ConfigurationError } from 'azure-ingestion-core';
import { columnsProblems, LEVEL_SETS, severitiesProblems } from 'azure-ingestion-core/adapter';
import type { AzureIngestionTransportOptions } from './options.js';
import { VERSION } from './version.js';

/** This package's product token in the User-Agent header. */
export const PRODUCT = `winston-transport-azure-ingestion/${VERSION}`;

/** Validates the options this package consumes; throws one ConfigurationError listing all problems. */
export function validateAdapterOptions(options: Partial<AzureIngestionTransportOptions>): void {
  // The rules both adapters share come from the core, so both accept and refuse the same.
  const problems: ConfigProblem[] = [
    ...severitiesProblems('levels', options.levels),
    ...columnsProblems(options.columns),
  ];
  const sets: readonly string[] = Object.keys(LEVEL_SETS);
  if (options.levelSet !== undefined && !sets.includes(options.levelSet)) {
    problems.push({
      option: 'levelSet',
      value: options.levelSet,
      source: 'option',
      problem: 'is not a known level set',
      fix: `use one of ${sets.join(', ')}`,
    });
  }
  if (options.toRecord !== undefined && typeof options.toRecord !== 'function') {
    problems.push({
      option: 'toRecord',
      value: options.toRecord,
      source: 'option',
      problem: 'must be a function (info) => object',
      fix: 'pass a function or leave it out',
    });
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
}
