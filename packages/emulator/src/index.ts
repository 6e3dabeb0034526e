/**
 * azure-ingestion-emulator: a local emulator of the Azure Monitor Logs Ingestion API.
 * The public surface is listed here explicitly.
 */

export { MAX_BODY_BYTES } from './body.js';
export { DEFAULT_DCR, DEFAULT_RULE_ID, DEFAULT_STREAM, DEFAULT_TABLE } from './default-dcr.js';
export { IDENTITY_PATH } from './identity.js';
export { API_VERSIONS } from './ingest.js';
export { MAX_FIELD_BYTES } from './schema.js';
export { startEmulator } from './server.js';
export type {
  Emulator,
  EmulatorCounters,
  EmulatorOptions,
  Fault,
  RequestRecord,
  RowQuery,
  RuleInfo,
  StatusFault,
} from './types.js';
