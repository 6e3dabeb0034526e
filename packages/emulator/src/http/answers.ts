/**
 * Small helpers for answers in the service's shapes: the JSON error body, `x-ms-error-code`,
 * `x-ms-request-id`, and the echoed `x-ms-client-request-id`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Headers every answer carries. */
export function baseHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = { 'x-ms-request-id': randomUUID() };
  const clientId = req.headers['x-ms-client-request-id'];
  if (typeof clientId === 'string' && clientId.length > 0 && clientId.length <= 256) {
    headers['x-ms-client-request-id'] = clientId;
  }
  return headers;
}

/** The service's error body. */
export function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

/** Send a JSON error with `x-ms-error-code`. */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
): void {
  const body = errorBody(code, message);
  send(res, status, body, {
    ...baseHeaders(req),
    'content-type': 'application/json; charset=utf-8',
    'x-ms-error-code': code,
    ...extra,
  });
}

/** Send a body (or none) unless the socket is gone. */
/** Answers that are lost on the way (the `dropAnswer` fault): the connection closes instead. */
const dropped = new WeakSet<ServerResponse>();

/** The answer to `res` will not be written: its connection is closed instead. */
export function dropAnswer(res: ServerResponse): void {
  dropped.add(res);
}

export function send(
  res: ServerResponse,
  status: number,
  body: string | undefined,
  headers: Record<string, string>,
): void {
  if (res.headersSent || res.destroyed) return;
  if (dropped.has(res)) {
    res.socket?.destroy();
    return;
  }
  const h: Record<string, string | number> = { ...headers };
  if (body !== undefined) h['content-length'] = Buffer.byteLength(body);
  else h['content-length'] = 0;
  res.writeHead(status, h);
  res.end(body);
}

/** Send a JSON value (emulator-specific endpoints). */
export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  value: unknown,
): void {
  send(res, status, JSON.stringify(value), {
    ...baseHeaders(req),
    'content-type': 'application/json; charset=utf-8',
  });
}

/** Query parameters as a plain object (last value wins). */
export function queryObject(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) out[k] = v;
  return out;
}

/** Headers for the request log; the bearer token is never kept. */
export function loggedHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  if (out.authorization !== undefined) {
    out.authorization = out.authorization.startsWith('Bearer ')
      ? 'Bearer <redacted>'
      : '<redacted>';
  }
  return out;
}
