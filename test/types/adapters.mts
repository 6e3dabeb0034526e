// Both adapters re-export the core's user-facing names, the very same types and values (ESM
// declarations); see expect.ts.
import type * as core from 'azure-ingestion-core';
import * as pino from 'pino-azure-ingestion';
import * as winston from 'winston-transport-azure-ingestion';
import { assert, type Equal, type PinoValues, type WinstonValues } from './expect.js';

assert<Equal<keyof typeof winston, WinstonValues>>();
assert<Equal<keyof typeof pino, PinoValues>>();

for (const adapter of [winston, pino]) {
  assert<Equal<typeof adapter.IngestionError, typeof core.IngestionError>>();
  assert<Equal<typeof adapter.ConfigurationError, typeof core.ConfigurationError>>();
  assert<Equal<typeof adapter.ErrorCodes, typeof core.ErrorCodes>>();
  assert<Equal<typeof adapter.CHANNELS, typeof core.CHANNELS>>();
  assert<Equal<typeof adapter.withFlush, typeof core.withFlush>>();
  assert<Equal<typeof adapter.flushAll, typeof core.flushAll>>();
  assert<Equal<typeof adapter.azureFunctionsFlushHook, typeof core.azureFunctionsFlushHook>>();
}

// The shared types are the core's own.
assert<Equal<winston.DeliveryFailure, core.DeliveryFailure>>();
assert<Equal<pino.DeliveryFailure, core.DeliveryFailure>>();
assert<Equal<winston.ErrorCode, core.ErrorCode>>();
assert<Equal<pino.ErrorCode, core.ErrorCode>>();
assert<Equal<winston.ConfigProblem, core.ConfigProblem>>();
assert<Equal<pino.ConfigProblem, core.ConfigProblem>>();
assert<Equal<winston.IngestionStats, core.IngestionStats>>();
assert<Equal<pino.IngestionStats, core.IngestionStats>>();
assert<Equal<winston.TokenCredential, core.TokenCredential>>();
assert<Equal<pino.TokenCredential, core.TokenCredential>>();
assert<Equal<winston.RequestEndMessage, core.RequestEndMessage>>();
assert<Equal<pino.RequestEndMessage, core.RequestEndMessage>>();
assert<Equal<winston.FlushOptions, core.FlushOptions>>();
assert<Equal<pino.FlushOptions, core.FlushOptions>>();
assert<Equal<winston.DefaultColumn, pino.DefaultColumn>>();
