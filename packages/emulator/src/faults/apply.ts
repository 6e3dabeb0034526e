/**
 * Applying a fault to one POST: latency first (then the given or the normal answer), a scripted
 * status, a reset without an answer, a hang-up after part or all of the body, an answer lost
 * after the request was processed.
 */
import type { IncomingMessage } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { dropAnswer, errorBody } from '../http/answers.js';
import { MAX_BODY_BYTES, readBody } from '../http/body.js';
import type { Exchange } from '../http/ingest.js';
import type { State } from '../state.js';
import type { Fault, StatusFault } from '../types.js';

const DEFAULT_CODES: Record<number, string> = {
  400: 'InvalidPayload',
  401: 'InvalidAuthenticationToken',
  403: 'OperationFailed',
  404: 'NotFound',
  408: 'RequestTimeout',
  413: 'ContentLengthLimitExceeded',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/** Wait, unless the emulator stops first; false when the request should be dropped. */
async function pause(state: State, req: IncomingMessage, ms: number): Promise<boolean> {
  try {
    await delay(ms, undefined, { signal: state.closing });
  } catch {
    return false;
  }
  return !req.socket.destroyed;
}

/**
 * Draw the fault of this request (told to `drawn`) and serve its latency part; returns what
 * remains to apply.
 */
export async function takeFault(
  state: State,
  req: IncomingMessage,
  drawn?: (fault: Fault) => void,
): Promise<Fault | undefined> {
  let fault = state.faults.next();
  if (fault) drawn?.(fault);
  if (state.latencyMs > 0 && !(await pause(state, req, state.latencyMs))) return { reset: true };
  while (fault && 'latencyMs' in fault) {
    if (!(await pause(state, req, fault.latencyMs))) return { reset: true };
    fault = fault.then;
  }
  return fault;
}

function sendStatus(ex: Exchange, f: StatusFault): void {
  const headers: Record<string, string> = {};
  if (f.retryAfter !== undefined) headers['retry-after'] = f.retryAfter;
  if (f.body !== undefined) {
    headers['content-type'] =
      f.contentType ?? (f.body.trimStart().startsWith('<') ? 'text/html' : 'application/json');
    if (f.errorCode) headers['x-ms-error-code'] = f.errorCode;
    ex.raw(f.status, f.body, headers, f.errorCode);
    return;
  }
  if (f.status < 300) {
    ex.raw(f.status, undefined, headers);
    return;
  }
  const code = f.errorCode ?? DEFAULT_CODES[f.status] ?? 'InjectedFault';
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['x-ms-error-code'] = code;
  ex.raw(f.status, errorBody(code, `Injected fault: ${f.status} ${code}.`), headers, code);
}

/** Apply a fault; true when the request is finished (answered or dropped). */
export async function applyFault(ex: Exchange, fault: Fault): Promise<boolean> {
  const { req } = ex;
  if ('reset' in fault) {
    req.socket.destroy();
    ex.gone('reset');
    return true;
  }
  if ('hangUp' in fault) {
    const whole = fault.hangUp === 'after-body';
    const length = Number(req.headers['content-length'] ?? 0);
    const stopAfter = Math.max(1, Math.floor((Number.isFinite(length) ? length : 0) / 2));
    const read = await readBody(req, { maxBytes: MAX_BODY_BYTES, ...(whole ? {} : { stopAfter }) });
    ex.wireBytes = read.wireBytes;
    req.socket.destroy();
    ex.gone(whole ? 'hang-up-after-body' : 'hang-up');
    return true;
  }
  if ('dropAnswer' in fault) {
    dropAnswer(ex.res);
    return false; // processed as usual; the answer is never written
  }
  if ('status' in fault) {
    // Read (bounded) before answering so the client sees the answer, not a reset mid-upload.
    const read = await readBody(req, { maxBytes: MAX_BODY_BYTES });
    ex.wireBytes = read.wireBytes;
    if (read.kind === 'aborted') {
      ex.gone('aborted');
      return true;
    }
    sendStatus(ex, fault);
    return true;
  }
  return false;
}
