/**
 * The User-Agent of an adapter's client: the user's product tokens (the `userAgent` option,
 * else `AZURE_LOGS_INGESTION_USER_AGENT`), then the adapter's own token; the core then adds its
 * own and the runtime's, e.g. `my-app/1.2.0 pino-azure-ingestion/0.1.0 azure-ingestion-core/0.1.0
 * Node.js/20.18.1 (linux)`. The service's support can then tell which adapter sent a request.
 */
import type { IngestionOptions } from '../types.js';
import { ENV_VARS } from './option-table.js';

/**
 * `options` with the adapter's product token (`name/version`) appended to the user's tokens.
 * A `userAgent` that is not a string is left as it is, for the core to report.
 */
export function withProductToken<T extends IngestionOptions>(
  options: T,
  product: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): T {
  const given: unknown = options.userAgent;
  if (given !== undefined && typeof given !== 'string') return options;
  // Blank counts as unset, as for every option of the core.
  const user = (given ?? env[ENV_VARS.userAgent] ?? '').trim();
  return { ...options, userAgent: user === '' ? product : `${user} ${product}` };
}
