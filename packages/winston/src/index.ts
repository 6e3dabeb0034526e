/**
 * winston-transport-azure-ingestion: a winston transport for the Azure Monitor Logs Ingestion API.
 * The public surface is listed here explicitly.
 */

export type {
  DefaultColumn,
  DeliveryFailure,
  IngestionStats,
  LevelSet,
  TokenCredential,
} from 'azure-ingestion-core';
export { ConfigurationError, ErrorCodes, IngestionError } from 'azure-ingestion-core';
export type { AzureIngestionTransportOptions, WinstonInfo } from './options.js';
export { AzureIngestionTransport } from './transport.js';
