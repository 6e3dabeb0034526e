/**
 * Request routing. The service's one call, plus the emulator's own endpoints:
 *
 *   POST /dataCollectionRules/{ruleId}/streams/{stream}   the Logs Ingestion call
 *   GET  /tables/{table}/rows?since=&until=&limit=       stored rows (JSON array)
 *   GET  /counters                                       counters (JSON)
 *   GET  /requests                                       the request log (JSON array)
 *   GET  /rules                                          rules and streams served
 *   POST /faults                                         enqueue faults (JSON array), or
 *                                                        {"random":[{probability,fault}],"seed"}
 *   DELETE /faults                                       clear faults
 *   POST /reset                                          clear rows, counters, log, faults
 *   GET  /msi/token                                      managed-identity tokens
 *   POST /{tenant}/oauth2/v2.0/token                     Entra ID tokens (secret, assertion)
 *   GET  /metadata/identity/oauth2/token                 IMDS managed-identity tokens
 *   GET  /health                                         200 {"status":"ok"}
 *   GET  /, /console/…                                   the web console (console.ts)
 *
 * The emulator's own endpoints (rows, counters, requests, rules, faults, reset, the console)
 * answer only requests that pass the guard (guard.ts: Host, Origin, and for POST/DELETE a JSON
 * content type or an X-Emulator-Control header).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleIdentity, IDENTITY_PATH } from '../auth/identity-endpoint.js';
import { handleImds, IMDS_TOKEN_PATH } from '../auth/imds.js';
import { handleTokenRequest, TOKEN_PATH } from '../auth/token-endpoint.js';
import { parseTimeMs } from '../dcr/iso-time.js';
import { faultProblem } from '../faults/plan.js';
import type { State } from '../state.js';
import type { Fault, RuleInfo } from '../types.js';
import { sendError, sendJson } from './answers.js';
import { readBody } from './body.js';
import { handleConsole, isConsolePath } from './console.js';
import type { ConsoleHooks } from './console-api.js';
import { guardRequest } from './guard.js';
import { handleIngest } from './ingest.js';

const INGEST = /^\/dataCollectionRules\/([^/]+)\/streams\/([^/]+)\/?$/;
const ROWS = /^\/tables\/([^/]+)\/rows\/?$/;
/** The emulator's own control endpoints (besides the console's). */
const CONTROL = /^\/(tables\/[^/]+\/rows\/?|counters|requests|rules|faults|reset)$/;
const CONTROL_BODY_LIMIT = 256 * 1024;

/** Hooks the router needs from the emulator object. */
export interface RouteHooks extends ConsoleHooks {
  reset(): void;
  rules(): ReadonlyArray<RuleInfo>;
  /** Host names served besides IP literals and localhost (see guard.ts). */
  readonly names: ReadonlySet<string>;
}

/** Percent-decoding that never throws: a malformed escape stays as written (and matches nothing). */
function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function timeParam(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : parseTimeMs(value);
  return Number.isNaN(n) ? undefined : n;
}

function handleRows(
  state: State,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  table: string,
) {
  const limit = url.searchParams.get('limit');
  const since = timeParam(url.searchParams.get('since'));
  const until = timeParam(url.searchParams.get('until'));
  const rows = state.store.query(decode(table), {
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(limit !== null && /^\d+$/.test(limit) ? { limit: Number(limit) } : {}),
  });
  sendJson(req, res, 200, rows);
}

async function handleFaults(state: State, req: IncomingMessage, res: ServerResponse) {
  const read = await readBody(req, { maxBytes: CONTROL_BODY_LIMIT });
  if (read.kind !== 'ok')
    return sendError(req, res, 413, 'TooLarge', 'Fault lists are limited to 256 KB.');
  let value: unknown;
  try {
    value = JSON.parse(read.body.toString('utf8'));
  } catch {
    return sendError(
      req,
      res,
      400,
      'InvalidPayload',
      'POST /faults expects a JSON array of faults or {"random":[…],"seed":n}.',
    );
  }
  try {
    if (Array.isArray(value)) {
      for (const f of value) {
        const p = faultProblem(f);
        if (p) return sendError(req, res, 400, 'InvalidFault', p);
      }
      state.faults.enqueue(...(value as Fault[]));
    } else if (
      typeof value === 'object' &&
      value !== null &&
      Array.isArray((value as { random?: unknown }).random)
    ) {
      const v = value as { random: Array<{ probability: number; fault: Fault }>; seed?: number };
      state.faults.random(v.random, v.seed);
    } else {
      return sendError(
        req,
        res,
        400,
        'InvalidPayload',
        'POST /faults expects a JSON array of faults or {"random":[…],"seed":n}.',
      );
    }
  } catch (err) {
    return sendError(req, res, 400, 'InvalidFault', (err as Error).message);
  }
  sendJson(req, res, 200, { ok: true });
}

/** Route one request. Never throws. */
export async function route(
  state: State,
  hooks: RouteHooks,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const path = url.pathname;
  const method = req.method ?? 'GET';
  const ingest = INGEST.exec(path);
  if (ingest) {
    if (method !== 'POST')
      return sendError(req, res, 405, 'MethodNotAllowed', `Use POST on ${path}.`, {
        allow: 'POST',
      });
    return handleIngest(state, req, res, url, decode(ingest[1]!), decode(ingest[2]!));
  }
  if (path === IDENTITY_PATH) return handleIdentity(state, req, res, url);
  // MSAL asks for the IMDS path with a trailing slash.
  if (path === IMDS_TOKEN_PATH || path === `${IMDS_TOKEN_PATH}/`) {
    return handleImds(state, req, res, url);
  }
  const tokenPath = TOKEN_PATH.exec(path);
  if (tokenPath) return handleTokenRequest(state, req, res, decode(tokenPath[1]!));
  const isConsole = isConsolePath(path);
  if (isConsole || CONTROL.test(path)) {
    const refusal = guardRequest(req, hooks.names);
    if (refusal) return sendError(req, res, refusal.status, refusal.code, refusal.message);
    if (isConsole) return handleConsole(state, hooks, req, res, url);
  }
  const rows = ROWS.exec(path);
  if (rows && method === 'GET') return handleRows(state, req, res, url, rows[1]!);
  if (path === '/counters' && method === 'GET') return sendJson(req, res, 200, state.counters);
  if (path === '/requests' && method === 'GET') return sendJson(req, res, 200, state.requestLog);
  if (path === '/rules' && method === 'GET') return sendJson(req, res, 200, hooks.rules());
  if (path === '/health' && method === 'GET') return sendJson(req, res, 200, { status: 'ok' });
  if (path === '/faults' && method === 'POST') return handleFaults(state, req, res);
  if (path === '/faults' && method === 'DELETE') {
    state.faults.clear();
    return sendJson(req, res, 200, { ok: true });
  }
  if (path === '/reset' && method === 'POST') {
    hooks.reset();
    return sendJson(req, res, 200, { ok: true });
  }
  sendError(req, res, 404, 'NotFound', `No route for ${method} ${path}.`);
}
