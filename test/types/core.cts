// Type tests of the CommonJS declarations (dist/index.d.cts, dist/adapter.d.cts); see expect.ts.
import core = require('azure-ingestion-core');
import adapter = require('azure-ingestion-core/adapter');

import type { AdapterValues, Equal, RootValues } from './expect.js';

/** Compiles only when given `true` (expect.ts's assert is a value of an ES module). */
declare function assert<_T extends true>(): void;

assert<Equal<keyof typeof core, RootValues>>();
assert<Equal<keyof typeof adapter, AdapterValues>>();
assert<Equal<core.DeliveryFailure['error'], core.IngestionError>>();
assert<Equal<core.IngestionError['code'], core.ErrorCode>>();
assert<Equal<ConstructorParameters<typeof core.IngestionClient>['length'], 0 | 1 | 2>>();
assert<Equal<ReturnType<typeof adapter.isoTime>, string | undefined>>();
