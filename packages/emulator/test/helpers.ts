import { request } from 'node:http';
import { gzipSync } from 'node:zlib';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request without keep-alive (no socket left open after the test). */
export function http(
  url: string,
  opts: { method?: string; headers?: Record<string, string | number>; body?: Buffer | string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: opts.method ?? 'GET', headers: opts.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** POST a JSON value (gzipped unless `gzip: false`) with a token. */
export function post(
  url: string,
  value: unknown,
  opts: {
    token?: string;
    gzip?: boolean;
    headers?: Record<string, string | number>;
    raw?: Buffer | string;
  } = {},
): Promise<Answer> {
  const json = Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  const gzip = opts.gzip ?? true;
  const body = opts.raw ?? (gzip ? gzipSync(json) : json);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    ...opts.headers,
  };
  if (gzip && opts.raw === undefined) headers['content-encoding'] = 'gzip';
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  return http(url, { method: 'POST', headers, body });
}

export const V = '?api-version=2023-01-01';

export function record(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    TimeGenerated: new Date().toISOString(),
    Level: 'info',
    SeverityNumber: 9,
    Message: 'hello',
    ...over,
  };
}
