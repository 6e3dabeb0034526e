/**
 * Final failures: builds the `IngestionError` (status, service error code, request ids, record
 * count, hint) and reports it everywhere it must go: the counters (rejected or dropped), the
 * rate-limited warning and the `onError` dead-letter hook (whose own errors are counted and
 * ignored). Messages never contain our headers, and token-looking text from an answer is
 * redacted.
 */
import type { Outcome } from '../delivery/attempt.js';
import { describeServiceError } from '../delivery/service-answer.js';
import { type ErrorCode, ErrorCodes, IngestionError } from '../errors.js';
import type { DeliveryFailure } from '../types.js';
import { describeOutcome, duration } from './describe.js';
import { redact } from './redact.js';
import type { StatsCounter } from './stats.js';
import type { Warner } from './warner.js';

export interface FailureSink {
  readonly stats: StatsCounter;
  readonly warner: Warner;
  readonly onError: ((failure: DeliveryFailure) => void) | undefined;
}

/** Codes that count as `dropped` (the records were fine; we gave up on them). */
const DROP_CODES: ReadonlySet<ErrorCode> = new Set([
  ErrorCodes.BUFFER_OVERFLOW,
  ErrorCodes.CLOSED,
  ErrorCodes.SPOOL_CORRUPT,
]);

/**
 * Builds the error of a batch that failed after an HTTP answer or a transport error.
 * `retriedForMs`: how long it had been failing (retries used up). Messages never contain our
 * headers, and anything token-like from an answer body is redacted (see redact.ts).
 */
export function outcomeError(
  code: ErrorCode,
  outcome: Outcome,
  records: number,
  retriedForMs?: number,
): IngestionError {
  const status = outcome.status;
  const requestId = headerValue(outcome.answer?.headers['x-ms-request-id']);
  const described = outcome.answer
    ? describeServiceError(outcome.answer.status, outcome.answer.headers, outcome.answer.body)
    : {};
  const text = describeOutcome(outcome);
  const retried = retriedForMs === undefined ? '' : `, retried for ${duration(retriedForMs)}`;
  const plural = records === 1 ? 'record' : 'records';
  const message = `${records} ${plural} not delivered: ${text.what}${retried}`;
  return new IngestionError(code, redact(message), {
    status,
    serviceCode: described.serviceCode,
    requestId,
    clientRequestId: outcome.clientRequestId,
    recordCount: records,
    hint: text.hint,
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

/**
 * The warning's reason: the status and code, what happened (the message after its count: the
 * service's error, or the network failure with its host) and the hint.
 */
function rejectReason(error: IngestionError): string {
  const what = error.message.replace(/^\d+ records? not delivered: /, '');
  const head =
    error.status !== undefined
      ? `${error.status} ${error.code}${what.replace(/^HTTP \d+/, '')}`
      : `${error.code}: ${what}`;
  return error.hint ? `${head}: ${error.hint}` : head;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
