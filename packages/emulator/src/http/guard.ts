/**
 * What keeps a dev tool on a port from being driven by a web page the developer visits:
 *
 * - DNS rebinding: a page on `evil.example` whose name is made to resolve to 127.0.0.1 reaches
 *   the emulator as a same-origin server. Its requests carry `Host: evil.example`, so only host
 *   names the emulator answers to are served: IP literals, `localhost` (and `*.localhost`), the
 *   machine's name, the `host` it listens on, and `allowedHosts`.
 * - Cross-origin requests: a page may POST a "simple" request (form content types, no custom
 *   header) to any origin without asking first. A request whose `Origin` is not one of the names
 *   above is refused, and the control endpoints that change state (faults, reset) take only
 *   `Content-Type: application/json` or an `X-Emulator-Control` header, which a page can send
 *   cross-origin only after a CORS preflight the emulator never grants.
 *
 * Node clients (the transports, `@azure/monitor-ingestion`, curl) send neither a foreign Host
 * nor an Origin: nothing changes for them.
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

/** A request refused before routing: its error code and message. */
export interface Refusal {
  readonly code: 'HostNotAllowed' | 'OriginNotAllowed';
  readonly message: string;
}

/** Why a request is refused before routing (a foreign Host or Origin), or undefined. */
export function refusal(req: IncomingMessage, names: ReadonlySet<string>): Refusal | undefined {
  const host = req.headers.host;
  if (host !== undefined && !isServedHost(hostOf(host), names)) {
    const name = hostOf(host);
    return {
      code: 'HostNotAllowed',
      message: `Host "${name}" is not a name this emulator answers to (a DNS rebinding guard). Use 127.0.0.1 or localhost, or start it with --allowed-host ${name} (option allowedHosts).`,
    };
  }
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  let authority: string | undefined;
  try {
    authority = new URL(origin).host; // "null" (a sandboxed page) does not parse
  } catch {
    authority = undefined;
  }
  if (authority && isServedHost(hostOf(authority), names)) return undefined;
  return {
    code: 'OriginNotAllowed',
    message: `Requests from the web page at ${JSON.stringify(origin)} are refused: the emulator serves its own pages and Node clients only.`,
  };
}

/** Whether a control request (faults, reset) is one a web page cannot send without a preflight. */
export function isControlRequest(req: IncomingMessage): boolean {
  if (req.headers[CONTROL_HEADER] !== undefined) return true;
  const type = req.headers['content-type'] ?? '';
  return /^application\/json\s*(;|$)/i.test(type);
}
