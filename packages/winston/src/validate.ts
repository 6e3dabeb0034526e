import { type ConfigProblem, ConfigurationError, type FieldColumn } from 'azure-ingestion-core';
import {
  columnsProblems,
  fieldColumnsClashes,
  LEVEL_SETS,
  severitiesProblems,
} from 'azure-ingestion-core/adapter';
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

/**
 * Checks the adapter's options against the field columns the client resolved (the option, or
 * its environment variable): no rename onto a field column's name, and no `toRecord` beside
 * them (it builds the whole record, so the field columns would silently not apply).
 */
export function validateFieldColumns(
  options: Partial<AzureIngestionTransportOptions>,
  fields: readonly FieldColumn[] | undefined,
): void {
  const problems = fieldColumnsClashes(options.columns, fields);
  if (fields !== undefined && options.toRecord !== undefined) {
    problems.push({
      option: 'toRecord',
      value: 'a function',
      source: 'option',
      problem: 'is given together with fieldColumns, which apply to the default record only',
      fix: 'put those fields into your record in toRecord, or drop toRecord (and AZURE_LOGS_INGESTION_FIELD_COLUMNS)',
    });
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
}
