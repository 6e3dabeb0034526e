/**
 * The HTTP leg: one undici `Pool` per client (keep-alive, at most `maxConcurrency` sockets, no
 * pipelining since a POST is not idempotent), a per-request timeout covering headers and body,
 * and response bodies always consumed so sockets return to the pool.
 */
import { Pool } from 'undici';
import type { ResolvedConfig } from './types.js';

/** Error bodies are read up to this size (enough for a JSON error or an HTML page's head). */
const MAX_ERROR_BODY = 16 * 1024;

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The error body text (empty for 2xx, truncated at 16 KB). */
  readonly body: string;
}

/** A transport failure: no HTTP answer. `code` is a Node/undici code or `TIMEOUT`. */
export class TransportError extends Error {
  readonly code: string;
  constructor(code: string, cause: unknown) {
    super(`request failed: ${code}`, { cause });
    this.code = code;
  }
}

/** Splits the resolved stream URL (`…/streams/{stream}?api-version=…`) into origin and path. */
export function requestTarget(config: ResolvedConfig): { origin: string; path: string } {
  const url = new URL(config.url);
  return { origin: url.origin, path: url.pathname + url.search };
}

export class HttpSender {
  readonly url: string;
  readonly #pool: Pool;
  readonly #path: string;
  readonly #timeoutMs: number;

  constructor(config: ResolvedConfig) {
    const { origin, path } = requestTarget(config);
    this.url = origin + path;
    this.#path = path;
    this.#timeoutMs = config.requestTimeoutMs;
    this.#pool = new Pool(origin, {
      connections: config.maxConcurrency,
      pipelining: 1,
      headersTimeout: config.requestTimeoutMs,
      bodyTimeout: config.requestTimeoutMs,
      keepAliveTimeout: 30_000,
    });
  }

  /** POSTs one body. Resolves with any HTTP answer; rejects only with a `TransportError`. */
  async post(body: Buffer, headers: Record<string, string>): Promise<HttpAnswer> {
    // undici's timeouts cover the waits for headers and between body chunks; this one bounds
    // the whole exchange (a server that reads the upload slowly included).
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.#timeoutMs);
    timer.unref();
    try {
      const res = await this.#pool.request({
        path: this.#path,
        method: 'POST',
        headers,
        body,
        signal: abort.signal,
      });
      const text = await readBody(res.body, res.statusCode);
      return { status: res.statusCode, headers: res.headers, body: text };
    } catch (error) {
      throw new TransportError(abort.signal.aborted ? 'TIMEOUT' : errorCode(error), error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits for requests in flight, then closes the sockets. */
  close(): Promise<void> {
    return this.#pool.close();
  }

  /** Aborts requests in flight and closes the sockets at once. */
  destroy(): Promise<void> {
    return this.#pool.destroy();
  }
}

type Body = AsyncIterable<Buffer> & { dump(opts?: { limit: number }): Promise<void> };

async function readBody(body: Body, status: number): Promise<string> {
  if (status >= 200 && status < 300) {
    await body.dump();
    return '';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    // Keep reading past the cap (discarding) so the socket can be reused.
    if (size < MAX_ERROR_BODY) chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).toString('utf8', 0, Math.min(size, MAX_ERROR_BODY));
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}
