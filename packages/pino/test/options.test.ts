import { ConfigurationError } from 'azure-ingestion-core';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { splitOptions } from '../src/options.js';
import { VERSION } from '../src/version.js';

describe('splitOptions', () => {
  it('gives the core only its own keys (adapter keys and pino worker keys stripped)', () => {
    const lineOptions = {
      customLevels: { audit: 35 },
      levelSeverities: { audit: 10 },
      messageKey: 'message',
      errorKey: 'error',
      timeKey: '@t',
      levelKey: 'lvl',
      columns: { Host: null },
    };
    const { core, line } = splitOptions({
      endpoint: 'https://x.ingest.monitor.azure.com',
      maxRetries: 2,
      ...lineOptions,
      // What pino and thread-stream add to a single target's options:
      ...({ pinoWillSendConfig: true, $context: { threadStreamVersion: '4' } } as object),
    });
    expect(core).toEqual({ endpoint: 'https://x.ingest.monitor.azure.com', maxRetries: 2 });
    expect(line).toEqual(lineOptions);
  });

  it('leaves messageKey/errorKey open for pino to tell, and defaults time/level keys', () => {
    const { line } = splitOptions(undefined);
    expect(line.messageKey).toBeUndefined();
    expect(line.errorKey).toBeUndefined();
    expect(line.timeKey).toBe('time');
    expect(line.levelKey).toBe('level');
  });

  it('lists every bad adapter option in one ConfigurationError', () => {
    let error: unknown;
    try {
      splitOptions({
        customLevels: { audit: Number.NaN },
        levelSeverities: { audit: 0 },
        messageKey: '',
        columns: { Nope: 'x', Host: '1bad' } as never,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const options = (error as ConfigurationError).problems.map((p) => p.option);
    expect(options).toEqual([
      'customLevels.audit',
      'levelSeverities.audit',
      'messageKey',
      'columns.Nope',
      'columns.Host',
    ]);
    expect((error as Error).message).toMatch(
      /is not a severity number \(an integer from 1 to 24\)/,
    );
  });

  it('VERSION matches package.json', () => {
    expect(VERSION).toBe(pkg.version);
  });
});
