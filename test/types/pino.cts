// pino-azure-ingestion's CommonJS declarations; see expect.ts.
import pino = require('pino-azure-ingestion');

import type { Equal, PinoValues } from './expect.js';

/** Compiles only when given `true` (expect.ts's assert is a value of an ES module). */
declare function assert<_T extends true>(): void;

assert<Equal<keyof typeof pino, PinoValues>>();
assert<Equal<typeof pino.default, typeof pino.pinoAzureIngestion>>();
assert<Equal<pino.DeliveryFailure['error'], pino.IngestionError>>();
