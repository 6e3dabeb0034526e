// winston-transport-azure-ingestion's ESM declarations; see expect.ts.
import type { Writable } from 'node:stream';
import type { IngestionStats } from 'azure-ingestion-core';
import type {
  AzureIngestionTransport,
  AzureIngestionTransportOptions,
  DefaultColumn,
  LevelSet,
} from 'winston-transport-azure-ingestion';
import { assert, type Equal } from './expect.js';

declare const transport: AzureIngestionTransport;
assert<Equal<ReturnType<typeof transport.flush>, Promise<IngestionStats>>>();
assert<Equal<ReturnType<typeof transport.close>, Promise<IngestionStats>>>();
assert<Equal<ReturnType<typeof transport.stats>, IngestionStats>>();
// A winston-transport TransportStream, hence a Writable.
const asStream: Writable = transport;
assert<Equal<ConstructorParameters<typeof AzureIngestionTransport>['length'], 0 | 1 | 2>>();
assert<Equal<AzureIngestionTransportOptions['levelSet'], LevelSet | undefined>>();
assert<
  Equal<
    NonNullable<AzureIngestionTransportOptions['columns']>,
    Readonly<Partial<Record<DefaultColumn, string | null>>>
  >
>();
// Every option of the core's client is one of the transport's.
const options: AzureIngestionTransportOptions = {
  url: 'https://x',
  maxBatchRecords: 10,
  onError() {},
};

export { asStream, options };
