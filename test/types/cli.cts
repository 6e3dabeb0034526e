// azure-ingestion-cli's CommonJS declarations; see expect.ts.
import cli = require('azure-ingestion-cli');

import type { CliValues, Equal } from './expect.js';

/** Compiles only when given `true` (expect.ts's assert is a value of an ES module). */
declare function assert<_T extends true>(): void;

assert<Equal<keyof typeof cli, CliValues>>();
assert<Equal<ReturnType<typeof cli.doctor>, Promise<cli.DoctorReport>>>();
