/**
 * Who may use the emulator's own endpoints (the web console and its JSON, rows, counters, the
 * request log, rules, faults, reset). A dev tool on a port must not be driven by a web page the
 * developer visits:
 *
 * - DNS rebinding: a page on `evil.example` whose name is made to resolve to 127.0.0.1 reaches
 *   the emulator as a same-origin server. Its requests carry `Host: evil.example`, so only host
 *   names the emulator answers to are served: IP literals, `localhost` (and `*.localhost`), the
 *   machine's name, the `host` it listens on, and `allowedHosts` (`--allowed-host`).
 * - Cross-origin requests: a request whose `Origin` is not the emulator's own (the authority it
 *   is sent to, port included: another dev server on localhost is another origin), or that the
 *   browser marks `Sec-Fetch-Site: cross-site`, is refused; the emulator sends no CORS headers,
 *   so a browser never lets another origin read an answer either.
 * - Simple cross-site requests: POST, PUT and DELETE need `Content-Type: application/json` or an
 *   `X-Emulator-Control` (or `X-Requested-With`) header, which no HTML form can send; a script
 *   that sets them triggers a CORS preflight, which the emulator never grants.
 *
 * The ingestion call and the token endpoints are not guarded: SDK clients in containers reach
 * them by any name, and they check a token or a secret anyway. Node clients (the transports,
 * `@azure/monitor-ingestion`, curl) send neither a foreign Host nor an Origin.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { hostname } from 'node:os';

/** The header a script sets to call a control endpoint without a JSON body. */
export const CONTROL_HEADER = 'x-emulator-control';

/** The host name of a `Host` header or an origin's authority, lower case, without the port. */
export function hostOf(authority: string): string {
  const a = authority.trim().toLowerCase();
  if (a.startsWith('[')) return a.slice(0, a.indexOf(']') + 1);
  const colon = a.indexOf(':');
  // More than one colon and no brackets: a bare IPv6 address, no port.
  return colon >= 0 && a.indexOf(':', colon + 1) < 0 ? a.slice(0, colon) : a;
}

/** The names served besides IP literals and localhost: the machine's, the host option's, extras. */
export function servedNames(host: string, allowedHosts: readonly string[]): Set<string> {
  const names = new Set([hostname().toLowerCase(), ...allowedHosts.map((h) => hostOf(h))]);
  if (!isIP(host)) names.add(host.toLowerCase());
  return names;
}

/** Whether a host name (from `hostOf`) is one the emulator answers to. */
export function isServedHost(name: string, names: ReadonlySet<string>): boolean {
  const bare = name.startsWith('[') ? name.slice(1, -1) : name;
  if (isIP(bare) !== 0) return true;
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  return names.has(bare);
}

/** Why a request may not use one of the emulator's own endpoints. */
export interface GuardRefusal {
  readonly status: 403 | 415;
  readonly code: 'HostNotAllowed' | 'OriginNotAllowed' | 'ControlNeedsJson';
  readonly message: string;
}

/** An origin is the emulator's own only when it is the very authority the request is sent to. */
function originRefusal(req: IncomingMessage): GuardRefusal | undefined {
  const origin = req.headers.origin;
  const crossSite = req.headers['sec-fetch-site'] === 'cross-site';
  if (origin === undefined && !crossSite) return undefined;
  let authority: string | undefined;
  try {
    authority = origin === undefined ? undefined : new URL(origin).host; // "null" does not parse
  } catch {
    authority = undefined;
  }
  const host = (req.headers.host ?? '').trim().toLowerCase();
  if (!crossSite && authority !== undefined && authority === host) return undefined;
  return {
    status: 403,
    code: 'OriginNotAllowed',
    message: `Requests from the web page at ${JSON.stringify(origin ?? 'another site')} are refused: the emulator's own endpoints serve its own console and Node clients only.`,
  };
}

/** Whether a state-changing request is one a web page cannot send without a preflight. */
export function isControlRequest(req: IncomingMessage): boolean {
  if (req.headers[CONTROL_HEADER] !== undefined) return true;
  if (req.headers['x-requested-with'] !== undefined) return true;
  return /^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '');
}

/** Checks a request to one of the emulator's own endpoints; undefined when it may proceed. */
export function guardRequest(
  req: IncomingMessage,
  names: ReadonlySet<string>,
): GuardRefusal | undefined {
  const host = req.headers.host;
  if (host !== undefined && !isServedHost(hostOf(host), names)) {
    const name = hostOf(host);
    return {
      status: 403,
      code: 'HostNotAllowed',
      message: `Host "${name}" is not a name this emulator answers to (a DNS rebinding guard). Use 127.0.0.1 or localhost, or start it with --allowed-host ${name} (option allowedHosts).`,
    };
  }
  const cross = originRefusal(req);
  if (cross) return cross;
  const method = req.method ?? 'GET';
  if (method !== 'POST' && method !== 'PUT' && method !== 'DELETE') return undefined;
  if (isControlRequest(req)) return undefined;
  return {
    status: 415,
    code: 'ControlNeedsJson',
    message: `${method} on the emulator's own endpoints takes Content-Type: application/json (or an ${CONTROL_HEADER} header), so that no web page can send it as a simple cross-origin request; e.g. curl -X ${method} -H 'content-type: application/json' …`,
  };
}
