// Type tests of the ESM declarations (dist/index.d.mts, dist/adapter.d.mts); see expect.ts.
import type * as core from 'azure-ingestion-core';
import type {
  ColumnType,
  DeliveryFailure,
  ErrorCode,
  FieldColumn,
  FieldColumnsOption,
  IngestionClient,
  IngestionError,
  IngestionOptions,
  IngestionStats,
  ResolvedConfig,
} from 'azure-ingestion-core';
import type { LogEntry, RecordWriter } from 'azure-ingestion-core/adapter';
import * as adapter from 'azure-ingestion-core/adapter';
import { type AdapterValues, assert, type Equal, type RootValues } from './expect.js';

assert<Equal<keyof typeof core, RootValues>>();
assert<Equal<keyof typeof adapter, AdapterValues>>();

// A failure's error is an IngestionError, whose code is one of ErrorCodes.
assert<Equal<DeliveryFailure['error'], IngestionError>>();
assert<Equal<IngestionError['code'], ErrorCode>>();
assert<Equal<ErrorCode, (typeof core.ErrorCodes)[keyof typeof core.ErrorCodes]>>();

// The public constructor: options and env, no test seam.
assert<Equal<ConstructorParameters<typeof IngestionClient>['length'], 0 | 1 | 2>>();
assert<Equal<ConstructorParameters<typeof IngestionClient>[0], IngestionOptions | undefined>>();
declare const client: IngestionClient;
assert<Equal<ReturnType<typeof client.flush>, Promise<IngestionStats>>>();
assert<Equal<typeof client.config, ResolvedConfig>>();
// @ts-expect-error the adapters' unchecked entry is a function of /adapter, not a method
client.pushJsonUnchecked('{}');
assert<Equal<ReturnType<typeof adapter.pushJsonUnchecked>, boolean>>();

// The writer's text goes to pushJsonUnchecked; an entry always gives text.
declare const writer: RecordWriter;
declare const entry: LogEntry;
assert<Equal<ReturnType<typeof writer.entry>, string>>();
adapter.pushJsonUnchecked(client, writer.entry(entry));

// fieldColumns: the string form or column → path / { path, type }; resolved in client.config.
const fieldColumns: FieldColumnsOption[] = [
  'UserId=user.id,DurationMs:real=responseTime',
  { UserId: 'user.id', DurationMs: { path: 'responseTime', type: 'real' }, P: { path: ['a.b'] } },
];
void fieldColumns;
// @ts-expect-error a type that is not a stream column type
const badType: FieldColumnsOption = { A: { path: 'a', type: 'guid' } };
void badType;
assert<Equal<ResolvedConfig['fieldColumns'], readonly FieldColumn[] | undefined>>();
assert<Equal<FieldColumn['type'], ColumnType | undefined>>();
assert<Equal<IngestionOptions['dcrFile'], string | undefined>>();
// The record path takes the resolved columns.
adapter.toDefaultRecord(entry, {}, client.config.fieldColumns);
