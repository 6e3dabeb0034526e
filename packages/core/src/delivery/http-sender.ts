/**
 * The HTTP leg: one undici `Pool` per stream URL (keep-alive, at most `maxConcurrency` sockets, no
 * pipelining since a POST is not idempotent), a per-request timeout covering headers and body,
 * and response bodies always consumed so sockets return to the pool.
 *
 * undici is imported at the first send, not at module load: importing it costs ~50-150 ms,
 * which a serverless cold start (or a CLI that never logs) should not pay for a logger.
 */
import type { Pool } from 'undici';
import type { ResolvedConfig } from '../types.js';

type Undici = typeof import('undici');
let undiciModule: Promise<Undici> | undefined;

/** The undici module, imported once per process on first use. */
function loadUndici(): Promise<Undici> {
  undiciModule ??= import('undici');
  return undiciModule;
}

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

/** Splits a resolved stream URL (`…/streams/{stream}?api-version=…`) into origin and path. */
export function requestTarget(streamUrl: string): { origin: string; path: string } {
  const url = new URL(streamUrl);
  return { origin: url.origin, path: url.pathname + url.search };
}

export class HttpSender {
  readonly url: string;
  readonly #origin: string;
  readonly #path: string;
  readonly #timeoutMs: number;
  readonly #connections: number;
  #pool: Pool | undefined;
  #opening: Promise<Pool> | undefined;

  /** `url`: the stream URL to POST to (one shard's; default: the first). */
  constructor(config: ResolvedConfig, url = config.url) {
    const { origin, path } = requestTarget(url);
    this.url = origin + path;
    this.#origin = origin;
    this.#path = path;
    this.#timeoutMs = config.requestTimeoutMs;
    this.#connections = config.maxConcurrency;
  }

  /** The pool, created at the first send (concurrent first sends share one). */
  #open(): Promise<Pool> {
    this.#opening ??= loadUndici().then((undici) => {
      this.#pool = new undici.Pool(this.#origin, {
        connections: this.#connections,
        pipelining: 1,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
        keepAliveTimeout: 30_000,
      });
      return this.#pool;
    });
    return this.#opening;
  }

  /**
   * POSTs one body. Resolves with any HTTP answer; rejects only with a `TransportError`
   * (`ABORTED` when `signal` aborted it: close() or destroy() gave up on it).
   */
  async post(
    body: Buffer,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<HttpAnswer> {
    // undici's timeouts cover the waits for headers and between body chunks; this one bounds
    // the whole exchange (a server that reads the upload slowly included).
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, this.#timeoutMs);
    timer.unref();
    const onAbort = (): void => abort.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) abort.abort();
    try {
      const pool = this.#pool ?? (await this.#open());
      const res = await pool.request({
        path: this.#path,
        method: 'POST',
        headers,
        body,
        signal: abort.signal,
      });
      const text = await readBody(res.body, res.statusCode);
      return { status: res.statusCode, headers: res.headers, body: text };
    } catch (error) {
      const code = timedOut ? 'TIMEOUT' : abort.signal.aborted ? 'ABORTED' : errorCode(error);
      throw new TransportError(code, error);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Waits for requests in flight, then closes the sockets (none if nothing was ever sent). */
  async close(): Promise<void> {
    if (this.#opening) await (await this.#opening).close();
  }

  /** Aborts requests in flight and closes the sockets at once. */
  async destroy(): Promise<void> {
    if (this.#opening) await (await this.#opening).destroy();
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

/**
 * The most telling code of a failed request: the error's own, or its cause's (undici wraps some
 * socket and TLS errors), e.g. ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED, UND_ERR_SOCKET.
 */
function errorCode(error: unknown): string {
  let e = error as { code?: unknown; cause?: unknown } | null | undefined;
  let fallback: string | undefined;
  for (let depth = 0; e && depth < 4; depth++) {
    const code = e.code;
    if (typeof code === 'string') {
      // undici's generic socket code hides the system error that caused it.
      if (code !== 'UND_ERR_SOCKET') return code;
      fallback ??= code;
    }
    e = e.cause as typeof e;
  }
  return fallback ?? 'UNKNOWN';
}
