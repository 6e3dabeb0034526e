/**
 * The README's options table is documentation of the code: every option of ENV_VARS must be
 * there with its environment variable, the integer options with their range and default, and
 * nothing else. A new option, a renamed variable or a changed default fails here until the
 * README follows.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ENV_VARS,
  INTEGER_OPTIONS,
  OPTION_KEYS,
  OPTIONAL_INTEGER_OPTIONS,
} from '../src/config/option-table.js';
import { resolveConfig } from '../src/config/resolve.js';
import { ErrorCodes } from '../src/errors.js';
import { CHANNELS } from '../src/report/diagnostics.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

interface Row {
  readonly option: string;
  readonly envVar: string;
  readonly type: string;
  readonly dflt: string;
}

/** The rows of the table whose header starts with `| option | env var |`. */
function optionRows(markdown: string): Row[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^\|\s*option\s*\|\s*env var\s*\|/.test(l));
  if (start < 0) throw new Error('no options table (| option | env var | …) in the README');
  const rows: Row[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    // Cells are split on `|` not escaped as `\|` (used inside the type column).
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
    rows.push({
      option: code(cells[0] ?? ''),
      envVar: code(cells[1] ?? ''),
      type: cells[2] ?? '',
      dflt: cells[3] ?? '',
    });
  }
  return rows;
}

/** The text of the first `code span` of a cell, or '' (a dash: no env var). */
function code(cell: string): string {
  return /`([^`]+)`/.exec(cell)?.[1] ?? '';
}

/** Numbers written with thousands separators (`1,048,576`) or `_`, in order. */
function numbers(text: string): number[] {
  return [...text.matchAll(/\d[\d,_]*/g)].map((m) => Number(m[0].replace(/[,_]/g, '')));
}

const rows = optionRows(README);
const byOption = new Map(rows.map((r) => [r.option, r]));

describe('README options table', () => {
  it('lists every option exactly once, and nothing else', () => {
    const names = rows.map((r) => r.option);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...OPTION_KEYS].sort());
  });

  it('gives every ENV_VARS entry with its variable, and no variable to the others', () => {
    for (const [option, envVar] of Object.entries(ENV_VARS)) {
      expect(byOption.get(option)?.envVar, option).toBe(envVar);
    }
    const withEnv = rows.filter((r) => r.envVar !== '').map((r) => r.option);
    expect(withEnv.sort()).toEqual(Object.keys(ENV_VARS).sort());
  });

  it('states the range and default of every integer option as the code has them', () => {
    for (const [option, [min, max, dflt]] of Object.entries(INTEGER_OPTIONS)) {
      const row = byOption.get(option);
      expect(row, option).toBeDefined();
      expect(numbers(row!.type), `${option} range`).toEqual([min, max]);
      expect(numbers(code(row!.dflt)), `${option} default`).toEqual([dflt]);
    }
  });

  it('states the range of every integer option without a default, and no default', () => {
    for (const [option, [min, max]] of Object.entries(OPTIONAL_INTEGER_OPTIONS)) {
      const row = byOption.get(option);
      expect(row, option).toBeDefined();
      expect(numbers(row!.type), `${option} range`).toEqual([min, max]);
      expect(code(row!.dflt), `${option} default`).toBe('');
    }
  });

  it('states the defaults of the other options as resolveConfig applies them', () => {
    const { config } = resolveConfig(
      {
        endpoint: 'https://example.ingest.monitor.azure.com',
        ruleId: 'dcr-0123456789abcdef0123456789abcdef',
        streamName: 'Custom-AppLogs',
      },
      {},
    );
    expect(code(byOption.get('audience')!.dflt)).toBe(`'${config.audience}'`);
    expect(code(byOption.get('apiVersion')!.dflt)).toBe(`'${config.apiVersion}'`);
    expect(code(byOption.get('overflow')!.dflt)).toBe(`'${config.overflow}'`);
    expect(code(byOption.get('warnings')!.dflt)).toBe(String(config.warnings));
    expect(config.recordIdColumn).toBeUndefined();
    expect(code(byOption.get('recordId')!.dflt)).toBe('false');
  });
});

describe('README reference sections', () => {
  it('names every error code', () => {
    for (const value of Object.values(ErrorCodes)) expect(README).toContain(`\`${value}\``);
  });

  it('names the diagnostics channels as exported', () => {
    expect(README).toContain(`'${CHANNELS.requestStart}'`);
    expect(README).toContain(`'${CHANNELS.requestEnd}'`);
  });
});
