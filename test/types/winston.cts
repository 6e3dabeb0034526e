// winston-transport-azure-ingestion's CommonJS declarations (most winston users); see expect.ts.
import winston = require('winston-transport-azure-ingestion');

import type { Equal, WinstonValues } from './expect.js';

/** Compiles only when given `true` (expect.ts's assert is a value of an ES module). */
declare function assert<_T extends true>(): void;

assert<Equal<keyof typeof winston, WinstonValues>>();
assert<Equal<winston.DeliveryFailure['error'], winston.IngestionError>>();
declare const transport: winston.AzureIngestionTransport;
assert<Equal<Awaited<ReturnType<typeof transport.flush>>, winston.IngestionStats>>();
