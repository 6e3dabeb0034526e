/**
 * azure-ingestion-emulator: a local emulator of the Azure Monitor Logs Ingestion API.
 * The public surface is listed here explicitly.
 */

export { IDENTITY_PATH } from './auth/identity-endpoint.js';
export type { EmulatorIdentity } from './auth/identity-env.js';
export { IMDS_TOKEN_PATH } from './auth/imds.js';
export { EMULATOR_CLIENT_ID, EMULATOR_TENANT_ID } from './auth/jwt.js';
export {
  DEFAULT_DCR,
  DEFAULT_RULE_ID,
  DEFAULT_STREAM,
  DEFAULT_TABLE,
  DEFAULT_TABLE_DEFINITION,
} from './dcr/default-dcr.js';
export { MAX_FIELD_BYTES } from './dcr/shape.js';
export { LENIENT_MAX_DECODED_BYTES, MAX_BODY_BYTES } from './http/body.js';
export { API_VERSIONS } from './http/ingest.js';
export { startEmulator } from './server.js';
export type {
  DownMode,
  Emulator,
  EmulatorCounters,
  EmulatorOptions,
  Fault,
  RequestRecord,
  RowQuery,
  RuleInfo,
  StatusFault,
  TableInfo,
} from './types.js';
