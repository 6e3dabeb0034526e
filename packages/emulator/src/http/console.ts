/**
 * The web console: one page at `/` (`/?q=<query>` opens with that query), its style sheet and
 * script under `/console/`, and its JSON under `/console/api/` (console-api.ts). The page is
 * served with a strict Content-Security-Policy: its own script and styles only, no inline
 * script, no frames, requests to this origin only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { UI_FILES, uiFile } from '../ui-files.js';
import { baseHeaders, sendError } from './answers.js';
import { type ConsoleHooks, handleConsoleApi } from './console-api.js';

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

/** Whether a path belongs to the console (and so is checked by the guard first). */
export function isConsolePath(path: string): boolean {
  return path === '/' || path === '/index.html' || path.startsWith('/console/');
}

function serveFile(req: IncomingMessage, res: ServerResponse, name: string): void {
  const text = uiFile(name);
  const headers = {
    ...baseHeaders(req),
    ...SECURITY_HEADERS,
    'content-type': UI_FILES[name]!,
    'content-length': String(Buffer.byteLength(text)),
  };
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : text);
}

/** Answer a console request (page, files, API). */
export async function handleConsole(
  state: Parameters<typeof handleConsoleApi>[0],
  hooks: ConsoleHooks,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const path = url.pathname;
  const method = req.method ?? 'GET';
  const read = method === 'GET' || method === 'HEAD';
  if (read && (path === '/' || path === '/index.html')) return serveFile(req, res, 'index.html');
  const file = path.slice('/console/'.length);
  if (read && file !== 'index.html' && Object.hasOwn(UI_FILES, file))
    return serveFile(req, res, file);
  if (await handleConsoleApi(state, hooks, req, res, url)) return;
  sendError(req, res, 404, 'NotFound', `No route for ${method} ${path}.`);
}
