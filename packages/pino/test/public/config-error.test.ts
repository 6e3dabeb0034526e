/**
 * A configuration error in worker mode never takes the application down: the worker prints the
 * problems once, counts and discards the lines, and flush still calls back. Applications that
 * want to fail at start-up check the options in their own thread with azureIngestionTransport().
 */
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from 'azure-ingestion-core';
import pino from 'pino';
import { azureIngestionTransport } from 'pino-azure-ingestion';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  emulatorOptions,
  endAndClose,
  flush,
  messages,
  runNode,
  TABLE,
  useEmulator,
} from '../helpers.js';

const APP = fileURLToPath(new URL('../fixtures/config-error-app.mjs', import.meta.url));
const emulator = useEmulator();

/** The emulator's variables, with a rule id that is not an immutable id. */
const badEnv = () => ({
  ...process.env,
  ...emulator().env(),
  AZURE_LOGS_INGESTION_RULE_ID: 'my-rule',
});

const count = (text: string, part: string) => text.split(part).length - 1;

describe('worker mode with an invalid configuration', () => {
  it('keeps the app alive: problems printed once, lines counted and discarded, flush calls back, exit 0', async () => {
    emulator().reset();
    const run = await runNode([APP, 'target'], badEnv());
    expect(run.code).toBe(0);
    // The app went on running and printing after the worker found the problem.
    expect(run.stdout).toContain('configError ERR_INGESTION_CONFIG ruleId');
    expect(run.stdout).toContain('tick 5');
    const counts = { lines: 15, accepted: 15, delivered: 0, rejected: 15, dropped: 0 };
    expect(run.stdout).toContain(`flushed ok ${JSON.stringify(counts)}`);
    // Every problem once, with its variable and fix; the loss counted at the end.
    expect(count(run.stderr, 'ruleId [env AZURE_LOGS_INGESTION_RULE_ID]')).toBe(1);
    expect(run.stderr).toMatch(/got "my-rule" from AZURE_LOGS_INGESTION_RULE_ID\)\. Fix: /);
    expect(run.stderr).toContain('15 log lines discarded');
    expect(emulator().rows(TABLE)).toHaveLength(0);
  });

  it('keeps the app alive among pino.transport({ targets }), the other target still writing', async () => {
    const run = await runNode([APP, 'targets'], badEnv());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('tick 5');
    expect(run.stdout).toContain('"msg":"record 9"'); // pino/file to stdout
    expect(count(run.stderr, 'ruleId [env AZURE_LOGS_INGESTION_RULE_ID]')).toBe(1);
  });
});

describe('azureIngestionTransport(): fail fast in the main thread', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('throws the ConfigurationError synchronously, reading the variables as the worker would', () => {
    for (const [key, value] of Object.entries(emulator().env())) vi.stubEnv(key, value);
    vi.stubEnv('AZURE_LOGS_INGESTION_RULE_ID', 'my-rule');
    let error: unknown;
    try {
      azureIngestionTransport({ flushIntervalMs: -1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const problems = (error as ConfigurationError).problems;
    expect(problems.map((p) => [p.option, p.envVar])).toEqual([
      ['ruleId', 'AZURE_LOGS_INGESTION_RULE_ID'],
      ['flushIntervalMs', 'AZURE_LOGS_INGESTION_FLUSH_INTERVAL_MS'],
    ]);
  });

  it('throws on an invalid adapter option', () => {
    const options = emulatorOptions(emulator(), { levelSeverities: { audit: 99 } });
    expect(() => azureIngestionTransport(options)).toThrow(ConfigurationError);
    expect(() => azureIngestionTransport(options)).toThrow(/levelSeverities\.audit/);
  });

  it('returns the pino.transport() stream when the options are valid', async () => {
    emulator().reset();
    const transport = azureIngestionTransport(emulatorOptions(emulator()));
    const logger = pino(transport as unknown as pino.DestinationStream);
    logger.info('checked');
    await flush(logger);
    expect(messages(emulator())).toEqual(['checked']);
    await endAndClose(transport);
  });
});
