// azure-ingestion-cli's ESM declarations: what scripts call besides the bin; see expect.ts.

import type { DoctorReport, ProblemKind, SchemaProposal } from 'azure-ingestion-cli';
import * as cli from 'azure-ingestion-cli';
import { assert, type CliValues, type Equal } from './expect.js';

assert<Equal<keyof typeof cli, CliValues>>();
assert<Equal<ReturnType<typeof cli.doctor>, Promise<DoctorReport>>>();
assert<Equal<ReturnType<typeof cli.proposeSchema>, SchemaProposal>>();
assert<Equal<ReturnType<typeof cli.bicepFragment>, string>>();
// Every problem has a kind scripts can switch on.
assert<Equal<DoctorReport['checks'][number]['problems'][number]['kind'], ProblemKind>>();
cli.doctor({ dcrFile: 'dcr.json', env: {} });
// @ts-expect-error the shape is one of pino, winston, raw
cli.proposeSchema([], { shape: 'bunyan' });
