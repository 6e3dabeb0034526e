/**
 * One attempt of one batch: get a token, encode the body (once per batch), POST it, and report
 * what happened as an `Outcome`. Never rejects: every failure becomes an outcome the retry
 * policy can judge.
 *
 * `x-ms-client-request-id` is a fresh UUID per attempt: each HTTP request is then traceable on
 * its own in a support case, and the diagnostics `attempt` field links the attempts of a batch.
 */
import { randomUUID } from 'node:crypto';
import { type Batch, batchBody, batchSize } from '../engine/batch.js';
import {
  hasStartSubscribers,
  publishStart,
  type RequestStartMessage,
} from '../report/diagnostics.js';
import type { StatsCounter } from '../report/stats.js';
import { encodeBody } from './gzip-body.js';
import { type HttpAnswer, type HttpSender, TransportError } from './http-sender.js';
import type { TokenProvider } from './token-provider.js';

export interface Outcome {
  readonly status?: number;
  readonly errorCode?: string;
  readonly answer?: HttpAnswer;
  readonly cause?: unknown;
  readonly clientRequestId: string;
  readonly start: RequestStartMessage;
  readonly durationMs: number;
}

export interface DeliveryDeps {
  readonly tokens: TokenProvider;
  readonly stats: StatsCounter;
  readonly gzipLevel: number;
  readonly userAgent: string;
  readonly now: () => number;
}

/**
 * One attempt, POSTed by `http` (the rule it goes to); `signal` aborts it (close() or destroy()
 * gave up): the outcome is then `ABORTED`.
 */
export async function attemptBatch(
  batch: Batch,
  deps: DeliveryDeps,
  http: HttpSender,
  signal?: AbortSignal,
): Promise<Outcome> {
  const clientRequestId = randomUUID();
  const started = deps.now();
  let start = startMessage(batch, http, clientRequestId);
  try {
    const token = await deps.tokens.get(batch.forceRefresh, signal);
    batch.forceRefresh = false;
    batch.encoded ??= await encodeBody(batchBody(batch), deps.gzipLevel);
    start = startMessage(batch, http, clientRequestId);
    if (hasStartSubscribers()) publishStart(start);
    deps.stats.bytesRaw += batch.encoded.rawBytes;
    deps.stats.bytesGzipped += batch.encoded.body.length;
    const answer = await http.post(
      batch.encoded.body,
      headers(batch, deps, token, clientRequestId),
      signal,
    );
    deps.stats.countRequest(String(answer.status));
    return {
      status: answer.status,
      answer,
      clientRequestId,
      start,
      durationMs: deps.now() - started,
    };
  } catch (error) {
    const errorCode = codeOf(error);
    if (errorCode !== 'CREDENTIAL' && errorCode !== 'ABORTED') {
      deps.stats.countRequest(errorCode.includes('TIMEOUT') ? 'timeout' : 'network');
    }
    return { errorCode, cause: error, clientRequestId, start, durationMs: deps.now() - started };
  }
}

function headers(
  batch: Batch,
  deps: DeliveryDeps,
  token: string,
  clientRequestId: string,
): Record<string, string> {
  const h: Record<string, string> = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    'x-ms-client-request-id': clientRequestId,
    'user-agent': deps.userAgent,
  };
  if (batch.encoded?.gzipped) h['content-encoding'] = 'gzip';
  return h;
}

function startMessage(
  batch: Batch,
  http: HttpSender,
  clientRequestId: string,
): RequestStartMessage {
  return {
    clientRequestId,
    url: http.url,
    records: batchSize(batch),
    bytesRaw: batch.encoded?.rawBytes ?? 0,
    bytesGzipped: batch.encoded?.body.length ?? 0,
    attempt: batch.attempt,
  };
}

function codeOf(error: unknown): string {
  if (error instanceof TransportError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}
