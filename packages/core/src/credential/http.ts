/**
 * The one HTTP exchange of every built-in credential: a GET or a form POST to a token endpoint,
 * bounded by a timeout, the answer body capped. node:http(s) and not the delivery's undici pool:
 * a token is fetched about once an hour, and a fresh socket closed after the answer (`agent:
 * false`) leaves nothing behind that could keep the process alive.
 *
 * node:http and node:https are imported at the first token request, not with the core: loading
 * them (and node:tls) at import would cost every cold start, also where no token is ever asked.
 *
 * Nothing here logs or throws request headers or bodies: they carry secrets (IDENTITY_HEADER,
 * a client secret, a federated token). Errors name the credential and the endpoint only.
 */
import type { IncomingMessage, RequestOptions, request } from 'node:http';
import { userAgent } from '../version.js';

/** Upper bound of one token request (connect, headers and body). */
export const TOKEN_REQUEST_TIMEOUT_MS = 10_000;
/** Token answers are a few KB; anything longer is cut (and then fails to parse). */
const MAX_ANSWER_BYTES = 64 * 1024;

/** A token request failed: no answer, an error answer, or an answer without a usable token. */
export class CredentialError extends Error {
  /** The HTTP status, when the endpoint answered. */
  readonly status: number | undefined;

  constructor(message: string, status?: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CredentialError';
    this.status = status;
  }
}

export interface TokenRequest {
  /** The credential's name, for messages. */
  readonly name: string;
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  /** Form fields: sent as `application/x-www-form-urlencoded` with POST; GET when absent. */
  readonly form?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal | undefined;
}

export interface TokenAnswer {
  readonly status: number;
  readonly body: string;
}

/** Where a request went, for messages: origin and path, never the query. */
export function target(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** The request function of the URL's protocol, imported on first use. */
async function requestFor(url: URL): Promise<typeof request> {
  return url.protocol === 'https:'
    ? (await import('node:https')).request
    : (await import('node:http')).request;
}

/** Sends one token request. Resolves with any HTTP answer; rejects with a CredentialError. */
export async function sendTokenRequest(req: TokenRequest): Promise<TokenAnswer> {
  const body = req.form ? new URLSearchParams(req.form).toString() : undefined;
  const headers: Record<string, string> = {
    accept: 'application/json',
    'user-agent': userAgent(undefined),
    ...req.headers,
  };
  if (body !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  const timeout = AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const options: RequestOptions = {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    agent: false,
    signal,
  };
  const send = await requestFor(req.url);
  return new Promise((resolve, reject) => {
    const fail = (error: Error & { code?: string }) => {
      const why = timeout.aborted
        ? `no answer within ${TOKEN_REQUEST_TIMEOUT_MS} ms`
        : (error.code ?? error.message);
      reject(new CredentialError(`${req.name}: ${target(req.url)} failed: ${why}`));
    };
    const call = send(req.url, options, (res) => readAnswer(res).then(resolve, fail));
    call.on('error', fail);
    call.end(body);
  });
}

async function readAnswer(res: IncomingMessage): Promise<TokenAnswer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
    size += chunk.length;
  }
  const body = Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8');
  return { status: res.statusCode ?? 0, body };
}
