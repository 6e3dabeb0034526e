/** The spool's options: `spoolDir`, `spoolMaxBytes`, and what they change in other defaults. */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IngestionClient } from '../src/client.js';
import { ENV_VARS, resolveConfig } from '../src/config/resolve.js';
import { ConfigurationError } from '../src/errors.js';
import type { IngestionOptions } from '../src/types.js';
import { removeTempDirs, tempDir } from './spool-files.js';

const DEST = {
  endpoint: 'http://127.0.0.1:9',
  ruleId: 'dcr-0123456789abcdef0123456789abcdef',
  streamName: 'Custom-AppLogs',
  token: 'local',
} as const;

afterAll(removeTempDirs);

function problems(options: IngestionOptions, env: Record<string, string> = {}): string[] {
  try {
    resolveConfig({ ...DEST, ...options }, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).message.split('\n').slice(1);
  }
  throw new Error('expected a ConfigurationError');
}

describe('spool options', () => {
  it('are off by default: no folder, a 1 GiB cap, retries for 10 minutes', () => {
    const { config } = resolveConfig(DEST, {});
    expect(config).toMatchObject({
      spoolDir: undefined,
      spoolMaxBytes: 1_073_741_824,
      maxRetryTimeMs: 600_000,
    });
  });

  it('come from the environment; a relative folder is taken from the working directory', () => {
    const env = { [ENV_VARS.spoolDir]: 'var/spool', [ENV_VARS.spoolMaxBytes]: '1_048_576' };
    expect(ENV_VARS.spoolDir).toBe('AZURE_LOGS_INGESTION_SPOOL_DIR');
    expect(ENV_VARS.spoolMaxBytes).toBe('AZURE_LOGS_INGESTION_SPOOL_MAX_BYTES');
    const { config } = resolveConfig(DEST, env);
    expect(config.spoolDir).toBe(resolve('var/spool'));
    expect(config.spoolMaxBytes).toBe(1_048_576);
  });

  it('retry each batch for 24 hours by default with a spool, unless maxRetryTimeMs is set', () => {
    expect(resolveConfig({ ...DEST, spoolDir: '/tmp/x' }, {}).config.maxRetryTimeMs).toBe(
      86_400_000,
    );
    const explicit = resolveConfig({ ...DEST, spoolDir: '/tmp/x', maxRetryTimeMs: 5000 }, {});
    expect(explicit.config.maxRetryTimeMs).toBe(5000);
    const fromEnv = resolveConfig(
      { ...DEST, spoolDir: '/tmp/x' },
      { [ENV_VARS.maxRetryTimeMs]: '60000' },
    );
    expect(fromEnv.config.maxRetryTimeMs).toBe(60_000);
  });

  it('refuse a blank folder and a cap out of range, naming the variable and the fix', () => {
    expect(problems({ spoolDir: '  ' })).toEqual([
      '  - spoolDir [env AZURE_LOGS_INGESTION_SPOOL_DIR]: must be a non-empty string (got "  "). Fix: set spoolDir to text',
    ]);
    expect(problems({}, { [ENV_VARS.spoolMaxBytes]: '1000' })).toEqual([
      '  - spoolMaxBytes [env AZURE_LOGS_INGESTION_SPOOL_MAX_BYTES]: is out of range 65536 … 1099511627776 (got "1000" from AZURE_LOGS_INGESTION_SPOOL_MAX_BYTES). Fix: use a whole number from 65536 to 1099511627776 (default 1073741824)',
    ]);
  });

  it('refuse, at construction, a folder that cannot be created', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'not a folder');
    let error: unknown;
    try {
      new IngestionClient({ ...DEST, spoolDir: join(file, 'spool') }, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(
      /- spoolDir \[env AZURE_LOGS_INGESTION_SPOOL_DIR\]: cannot be used as a spool folder \(ENOTDIR: .*\) \(got ".*a-file\/spool"\)\. Fix: point spoolDir at a folder this process can create and write, on a local disk/,
    );
  });
});
