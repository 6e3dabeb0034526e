/** The built package as users import it: exports, configuration errors, a logger end to end. */
import { startEmulator } from 'azure-ingestion-emulator';
import { describe, expect, it } from 'vitest';
import winston from 'winston';
import TransportStream from 'winston-transport';
import {
  AzureIngestionTransport,
  azureFunctionsFlushHook,
  ConfigurationError,
  ErrorCodes,
  flushAll,
  withFlush,
} from 'winston-transport-azure-ingestion';

describe('winston-transport-azure-ingestion (built)', () => {
  it('is a winston TransportStream configured from AZURE_LOGS_INGESTION_* alone', async () => {
    const emu = await startEmulator({ port: 0 });
    try {
      const t = new AzureIngestionTransport(undefined, emu.env());
      expect(t).toBeInstanceOf(TransportStream);
      const logger = winston.createLogger({ transports: [t] });
      logger.warn('configured from env', { a: 1 });
      await t.close();
      expect(emu.rows('AppLogs_CL')).toMatchObject([
        { Level: 'warn', SeverityNumber: 13, Message: 'configured from env', Properties: { a: 1 } },
      ]);
      const ua = emu.requests()[0]?.headers['user-agent'];
      expect(ua).toMatch(/^winston-transport-azure-ingestion\/\S+ azure-ingestion-core\//);
    } finally {
      await emu.stop();
    }
  });

  it('re-exports the serverless helpers: a wrapped handler returns only after delivery', async () => {
    const emu = await startEmulator({ port: 0 });
    const t = new AzureIngestionTransport({ flushIntervalMs: 600_000 }, emu.env());
    try {
      const logger = winston.createLogger({ transports: [t] });
      const handler = withFlush(async (event: { id: number }) => {
        logger.info('handled', { id: event.id });
        return event.id;
      }, t);
      await expect(handler({ id: 7 })).resolves.toBe(7);
      expect(emu.rows('AppLogs_CL')).toMatchObject([{ Message: 'handled', Properties: { id: 7 } }]);
      logger.info('second');
      await flushAll(t);
      expect(emu.rows('AppLogs_CL')).toHaveLength(2);
      const hooks: Array<(context: unknown) => Promise<void>> = [];
      const app = {
        hook: { postInvocation: (h: (context: unknown) => Promise<void>) => hooks.push(h) },
      };
      logger.info('third');
      azureFunctionsFlushHook(app, t);
      await hooks[0]?.({});
      expect(emu.rows('AppLogs_CL')).toHaveLength(3);
    } finally {
      await t.close();
      await emu.stop();
    }
  });

  it('throws a ConfigurationError naming the option, its variable and the fix', () => {
    const missing = () => new AzureIngestionTransport({}, {});
    expect(missing).toThrow(ConfigurationError);
    expect(missing).toThrow(/AZURE_LOGS_INGESTION_ENDPOINT/);

    const env = {
      AZURE_LOGS_INGESTION_URL:
        'http://127.0.0.1:1/dataCollectionRules/dcr-00000000000000000000000000000000/streams/Custom-X',
      AZURE_LOGS_INGESTION_TOKEN: 't',
    };
    const typo = () => new AzureIngestionTransport({ flushIntervallMs: 5 } as never, env);
    expect(typo).toThrow(/flushIntervallMs/);

    let caught: unknown;
    try {
      new AzureIngestionTransport({ levels: { audit: 99 }, levelSet: 'log4j' as never }, env);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as ConfigurationError).code).toBe(ErrorCodes.CONFIG);
    expect((caught as Error).message).toMatch(/levels\.audit.*99.*Fix:/);
    expect((caught as Error).message).toMatch(/levelSet.*log4j.*Fix: use one of npm/);
  });
});
