/**
 * Who may use the emulator's own endpoints (the web console and its JSON, rows, counters, the
 * request log, rules, faults, reset). A web page the developer visits must not reach them:
 *
 * - DNS rebinding: a page on evil.example whose name then resolves to 127.0.0.1 sends requests
 *   with `Host: evil.example:8042`. Only the names the emulator listens on are answered
 *   (127.0.0.1, localhost, [::1], the --host given, with the port; for 0.0.0.0 or :: the
 *   machine's addresses and host name too).
 * - Cross-origin requests: a request whose `Origin` (or `Sec-Fetch-Site: cross-site`) says it
 *   comes from another page is refused; the emulator sends no CORS headers, so a browser never
 *   lets another origin read an answer either.
 * - Simple cross-site forms: POST and DELETE need `Content-Type: application/json` or an
 *   `X-Requested-With` header, which no HTML form can send (a script that sets them triggers a
 *   CORS preflight, which the emulator does not grant).
 *
 * The ingestion call and the token endpoints are not guarded: SDK clients in containers reach
 * them by any name, and they check a token or a secret anyway.
 */
import type { IncomingMessage } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';

/** `host:port` texts (lowercase, IPv6 in brackets) a request may be addressed to. */
export type AllowedHosts = ReadonlySet<string>;

function bracket(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The names the emulator answers on, given the interface it listens on and its port. */
export function allowedHosts(listenHost: string, port: number): AllowedHosts {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]', bracket(listenHost.toLowerCase())]);
  if (listenHost === '0.0.0.0' || listenHost === '::') {
    names.add(hostname().toLowerCase());
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) names.add(bracket(a.address.toLowerCase()));
    }
  }
  return new Set([...names].map((n) => `${n}:${port}`));
}

/** `Host` as `host:port`, the scheme's default port filled in. */
function hostOf(value: string, https: boolean): string {
  const v = value.trim().toLowerCase();
  return /:\d+$/.test(v) ? v : `${v}:${https ? 443 : 80}`;
}

/** Why a request may not use an emulator endpoint. */
export interface GuardRefusal {
  readonly status: 403 | 415;
  readonly code: string;
  readonly message: string;
}

function hostRefusal(host: string, allowed: AllowedHosts): GuardRefusal {
  const first = [...allowed][0] ?? '127.0.0.1';
  return {
    status: 403,
    code: 'HostNotAllowed',
    message: `Host '${host}' is not a name this emulator listens on (${[...allowed].join(', ')}); its own endpoints answer only requests addressed to it (protection against DNS rebinding). Open http://${first}/ instead.`,
  };
}

/** Check a request to one of the emulator's own endpoints; undefined when it may proceed. */
export function guardRequest(
  req: IncomingMessage,
  allowed: AllowedHosts,
  https: boolean,
): GuardRefusal | undefined {
  const rawHost = req.headers.host ?? '';
  const host = hostOf(rawHost, https);
  if (!allowed.has(host)) return hostRefusal(rawHost, allowed);
  const origin = req.headers.origin;
  let originHost: string | undefined;
  if (origin !== undefined) {
    try {
      const u = new URL(origin);
      originHost = hostOf(u.host, u.protocol === 'https:');
    } catch {
      originHost = undefined;
    }
  }
  const crossSite = req.headers['sec-fetch-site'] === 'cross-site';
  if ((origin !== undefined && originHost !== host) || crossSite) {
    return {
      status: 403,
      code: 'CrossOriginRefused',
      message: `Requests from another origin (${origin ?? 'a cross-site page'}) may not use the emulator's own endpoints; open the console at its own address instead.`,
    };
  }
  const method = req.method ?? 'GET';
  if (method !== 'POST' && method !== 'DELETE' && method !== 'PUT') return undefined;
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (type === 'application/json' || req.headers['x-requested-with'] !== undefined)
    return undefined;
  return {
    status: 415,
    code: 'JsonRequired',
    message: `${method} on the emulator's own endpoints needs Content-Type: application/json (or an X-Requested-With header), so that no web page can send it as a simple form; e.g. curl -X ${method} -H 'content-type: application/json' …`,
  };
}
