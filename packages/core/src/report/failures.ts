/**
 * Final failures: builds the `IngestionError` (status, service error code, request ids, record
 * count, hint) and reports it everywhere it must go: the counters (rejected or dropped), the
 * rate-limited warning and the `onError` dead-letter hook (whose own errors are counted and
 * ignored). Messages never contain headers, hence never a token.
 */
import type { Outcome } from '../delivery/attempt.js';
import { describeServiceError, hintFor } from '../delivery/service-answer.js';
import { type ErrorCode, ErrorCodes, IngestionError } from '../errors.js';
import type { DeliveryFailure } from '../types.js';
import type { StatsCounter } from './stats.js';
import type { Warner } from './warner.js';

export interface FailureSink {
  readonly stats: StatsCounter;
  readonly warner: Warner;
  readonly onError: ((failure: DeliveryFailure) => void) | undefined;
}

/** Codes that count as `dropped` (the records were fine; we gave up on them). */
const DROP_CODES: ReadonlySet<ErrorCode> = new Set([ErrorCodes.BUFFER_OVERFLOW, ErrorCodes.CLOSED]);

/** Builds the error of a batch that failed after an HTTP answer or a transport error. */
export function outcomeError(code: ErrorCode, outcome: Outcome, records: number): IngestionError {
  const answer = outcome.answer;
  const status = outcome.status;
  const described = answer ? describeServiceError(answer.status, answer.headers, answer.body) : {};
  const requestId = headerValue(answer?.headers['x-ms-request-id']);
  let hint = hintFor(status, described.serviceCode);
  if (code === ErrorCodes.CREDENTIAL) {
    hint =
      'check the credential (DefaultAzureCredential: managed identity, workload identity, AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, or a developer login)';
  }
  const what = status !== undefined ? `HTTP ${status}` : (outcome.errorCode ?? 'an unknown error');
  const service = described.serviceCode
    ? ` (${described.serviceCode}${described.serviceMessage ? `: ${described.serviceMessage}` : ''})`
    : described.serviceMessage
      ? ` (${described.serviceMessage})`
      : '';
  const plural = records === 1 ? 'record' : 'records';
  return new IngestionError(code, `${records} ${plural} not delivered: ${what}${service}`, {
    status,
    serviceCode: described.serviceCode,
    requestId,
    clientRequestId: outcome.clientRequestId,
    recordCount: records,
    hint,
    cause: outcome.cause,
  });
}

/** Counts, warns about and dead-letters records that will never be delivered. */
export function reportFailure(
  sink: FailureSink,
  error: IngestionError,
  records: readonly string[],
  reason?: string,
): void {
  countFailure(sink, error.code, Math.max(error.recordCount, records.length));
  notifyFailure(sink, error, records, reason);
}

/** Counts failed records as dropped or rejected, by code. */
export function countFailure(sink: FailureSink, code: ErrorCode, count: number): void {
  if (DROP_CODES.has(code)) sink.stats.dropped += count;
  else sink.stats.rejected += count;
}

/** Warns about and dead-letters failed records already counted. */
export function notifyFailure(
  sink: FailureSink,
  error: IngestionError,
  records: readonly string[],
  reason?: string,
): void {
  const count = Math.max(error.recordCount, records.length);
  if (DROP_CODES.has(error.code)) sink.warner.dropped(count, reason ?? error.code);
  else sink.warner.rejected(count, reason ?? rejectReason(error));
  if (!sink.onError) return;
  try {
    sink.onError({ error, records });
  } catch {
    // The dead-letter hook must not break delivery; its failures are only counted.
    sink.stats.hookErrors++;
  }
}

function rejectReason(error: IngestionError): string {
  const head = error.status !== undefined ? `${error.status} ${error.code}` : error.code;
  return error.hint ? `${head}: ${error.hint}` : head;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
