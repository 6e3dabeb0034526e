// pino-azure-ingestion's ESM declarations; see expect.ts.
import type { IngestionStats } from 'azure-ingestion-core';
import type pinoAzureIngestion from 'pino-azure-ingestion';
import type {
  AzureIngestionStream,
  EVENTS,
  FailureSummary,
  InProcessOptions,
  PinoTransportOptions,
  TransportStats,
} from 'pino-azure-ingestion';
import { assert, type Equal } from './expect.js';

assert<
  Equal<
    typeof pinoAzureIngestion,
    (options?: PinoTransportOptions | InProcessOptions) => Promise<AzureIngestionStream>
  >
>();
// Worker options are plain data (structured-cloned into pino's worker): no functions.
assert<Equal<Extract<'credential' | 'onError' | 'warn', keyof PinoTransportOptions>, never>>();
assert<
  Equal<
    Extract<'credential' | 'onError' | 'warn', keyof InProcessOptions>,
    'credential' | 'onError' | 'warn'
  >
>();
declare const stream: AzureIngestionStream;
assert<Equal<ReturnType<typeof stream.stats>, TransportStats>>();
const stats: IngestionStats = stream.stats();
assert<Equal<(typeof EVENTS)['failure'], 'azure-ingestion:failure'>>();
assert<Equal<FailureSummary['code'], import('azure-ingestion-core').ErrorCode>>();

// One flush helper: the core's flushAll (pino's own flushLogger is gone).
// @ts-expect-error flushLogger is not exported
import { flushLogger } from 'pino-azure-ingestion';

export { flushLogger, stats };
