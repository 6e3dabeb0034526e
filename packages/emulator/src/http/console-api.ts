/**
 * The JSON the web console reads (all behind the guard, see guard.ts):
 *
 *   GET  /console/api/overview              tables and row counts, counters per stream, faults
 *                                           planned, `seq` (changes when a request is logged)
 *   GET  /console/api/query?q=…&max=500     a query's columns and rows, or the error with its
 *                                           line and column
 *   GET  /console/api/requests?limit=100    the latest requests, newest first
 *   POST /console/api/faults                {"spec":"503:2"} queues a fault, {"rate":"0.1:503",
 *                                           "seed":1} sets a fault rate (the CLI's specs)
 *
 * Nothing here reads or returns a token or the identity secrets: request records are sent
 * without their headers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseFaultRate, parseFaultSpec } from '../cli-args.js';
import { KqlError } from '../kql/errors.js';
import { compileTableQuery } from '../kql/query.js';
import { type Column, type Schema, typeFromColumn } from '../kql/types.js';
import type { State } from '../state.js';
import { normalizeTable } from '../store/row-store.js';
import type { RequestRecord, RuleInfo, TableInfo } from '../types.js';
import { sendError, sendJson } from './answers.js';
import { readBody } from './body.js';

/** What the console needs from the emulator besides its state. */
export interface ConsoleHooks {
  tables(): ReadonlyArray<TableInfo>;
  rules(): ReadonlyArray<RuleInfo>;
}

/** Rows a query returns at most (the page shows them all; Log Analytics stops at 30,000). */
const DEFAULT_MAX_ROWS = 500;
const MAX_ROWS = 10_000;
const DEFAULT_REQUESTS = 100;

function intParam(url: URL, name: string, fallback: number, max: number): number {
  const v = url.searchParams.get(name);
  return v !== null && /^\d+$/.test(v) ? Math.min(Number(v), max) : fallback;
}

/** Every table: declared (given or inferred at load) and any the store holds (a data dir's). */
function tableNames(state: State, hooks: ConsoleHooks): string[] {
  const names = new Set(hooks.tables().map((t) => t.name));
  for (const t of state.store.tables()) names.add(t);
  return [...names];
}

/** A table's columns, `_TimeReceived` last; a table only the store knows reads as dynamic. */
function schemaOf(state: State, hooks: ConsoleHooks, table: string): Schema | undefined {
  const name = normalizeTable(table);
  const info = hooks.tables().find((t) => t.name === name);
  const columns: Column[] = [];
  if (info) {
    for (const c of info.columns)
      columns.push({ name: c.name, type: typeFromColumn(c.type) ?? 'dynamic' });
  } else if (state.store.tables().includes(name)) {
    const seen = new Set<string>();
    for (const row of state.store.query(name, { limit: 100 }))
      for (const k of Object.keys(row)) seen.add(k);
    seen.delete('_TimeReceived');
    for (const k of seen) columns.push({ name: k, type: 'dynamic' });
  } else return undefined;
  if (!columns.some((c) => c.name === '_TimeReceived'))
    columns.push({ name: '_TimeReceived', type: 'datetime' });
  return columns;
}

function overview(state: State, hooks: ConsoleHooks) {
  const { warnings, byStream, ...totals } = state.counters;
  return {
    seq: state.seq,
    tables: tableNames(state, hooks).map((name) => ({
      name,
      rows: state.store.count(name),
      received: state.store.received(name),
      columns: schemaOf(state, hooks, name) ?? [],
    })),
    rules: hooks.rules(),
    streams: Object.values(byStream),
    totals,
    warnings: warnings.slice(-20),
    faults: state.faults.describe(),
    requests: state.requestLog.length,
  };
}

function query(
  state: State,
  hooks: ConsoleHooks,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) {
  const text = url.searchParams.get('q') ?? '';
  const started = performance.now();
  try {
    const compiled = compileTableQuery(text, (t) => schemaOf(state, hooks, t));
    const rows = [...state.store.readAll(compiled.table)].reverse();
    const maxRows = intParam(url, 'max', DEFAULT_MAX_ROWS, MAX_ROWS);
    const result = compiled.run(rows, { now: state.now(), maxRows });
    sendJson(req, res, 200, {
      table: normalizeTable(compiled.table),
      ...result,
      elapsedMs: Math.round(performance.now() - started),
    });
  } catch (err) {
    if (!(err instanceof KqlError)) throw err;
    sendJson(req, res, 400, {
      error: {
        code: 'InvalidQuery',
        message: err.format(text),
        detail: err.detail,
        kind: err.kind,
        at: err.at,
        ...err.position(text),
      },
    });
  }
}

/** A request record without its headers and query (the console shows no header, no token). */
function slim(r: RequestRecord) {
  const { headers, query: _query, ...rest } = r;
  return {
    ...rest,
    ...(headers['content-encoding'] ? { contentEncoding: headers['content-encoding'] } : {}),
    ...(headers['user-agent'] ? { userAgent: headers['user-agent'] } : {}),
  };
}

async function faults(state: State, req: IncomingMessage, res: ServerResponse) {
  const read = await readBody(req, { maxBytes: 16 * 1024 });
  let body: { spec?: unknown; rate?: unknown; seed?: unknown };
  try {
    if (read.kind !== 'ok') throw new Error('the body is too large');
    body = JSON.parse(read.body.toString('utf8')) as typeof body;
    if (typeof body !== 'object' || body === null) throw new Error('not an object');
  } catch (err) {
    return sendError(
      req,
      res,
      400,
      'InvalidPayload',
      `Expected {"spec":"503:2"} or {"rate":"0.1:503"}: ${(err as Error).message}.`,
    );
  }
  try {
    if (typeof body.spec === 'string') state.faults.enqueue(parseFaultSpec(body.spec));
    else if (typeof body.rate === 'string') {
      const seed = typeof body.seed === 'number' ? body.seed : undefined;
      state.faults.random([parseFaultRate(body.rate)], seed);
    } else throw new Error('give "spec" (a fault to queue) or "rate" (p:spec)');
  } catch (err) {
    return sendError(req, res, 400, 'InvalidFault', (err as Error).message);
  }
  sendJson(req, res, 200, state.faults.describe());
}

/** Answer a console API request; false when `path` is not one. */
export async function handleConsoleApi(
  state: State,
  hooks: ConsoleHooks,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const method = req.method ?? 'GET';
  switch (`${method} ${url.pathname}`) {
    case 'GET /console/api/overview':
      sendJson(req, res, 200, overview(state, hooks));
      return true;
    case 'GET /console/api/query':
      query(state, hooks, req, res, url);
      return true;
    case 'GET /console/api/requests': {
      const n = intParam(url, 'limit', DEFAULT_REQUESTS, 1_000);
      const log = state.requestLog;
      sendJson(
        req,
        res,
        200,
        log
          .slice(Math.max(0, log.length - n))
          .reverse()
          .map(slim),
      );
      return true;
    }
    case 'POST /console/api/faults':
      await faults(state, req, res);
      return true;
    default:
      return false;
  }
}
