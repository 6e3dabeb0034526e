/**
 * azure-ingestion-cli: the `azure-ingestion` command (bin), and what it does as functions, for
 * scripts: `doctor()` (check the configuration and the way to Azure) and `proposeSchema()` with
 * its renderers (table and stream columns, and fieldColumns, from sample logs).
 */
export type { Problem, ProblemKind } from './doctor/explain.js';
export type { Check, CheckName, CheckStatus, DoctorOptions, DoctorReport } from './doctor/run.js';
export { doctor } from './doctor/run.js';
export { proposeSchema } from './schema/api.js';
export type { Shape } from './schema/collect.js';
export type {
  ProposedColumn,
  ProposeOptions,
  SchemaColumn,
  SchemaProposal,
} from './schema/propose.js';
export { armTemplate, bicepFragment } from './schema/render.js';
