/**
 * `POST /dataCollectionRules/{ruleId}/streams/{stream}?api-version=…`: the Logs Ingestion call.
 * Checks run in the order the service answers them: api-version, token (and its cloud), rule,
 * role, stream, rate limit, size, content type; then the body is read (bounded), decoded,
 * parsed and ingested.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyToken } from '../auth/jwt.js';
import { parseJsonExact } from '../dcr/exact-json.js';
import { type IngestOutcome, ingestRecords } from '../dcr/rows.js';
import { applyFault, takeFault } from '../faults/apply.js';
import { describeFault } from '../faults/plan.js';
import { countIngest, logRequest, type State, warn } from '../state.js';
import type { RequestRecord } from '../types.js';
import { baseHeaders, loggedHeaders, queryObject, send, sendError } from './answers.js';
import { decodeBody, LENIENT_MAX_DECODED_BYTES, MAX_BODY_BYTES, readBody } from './body.js';
import { audienceFits, cloudAudience } from './cloud.js';

/** Stateless between calls (fatal, no streaming), so one instance serves every request. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** api-versions the service accepts. */
export const API_VERSIONS = ['2023-01-01', '2021-11-01-preview', '2023-04-01-preview'];

/** Builds the request log entry as the handler learns more. */
export class Exchange {
  wireBytes = 0;
  decodedBytes = 0;
  records = 0;
  columnsDropped: number | undefined;
  tableColumnsDropped: number | undefined;
  /** The injected fault that shaped this request, described. */
  fault: string | undefined;
  readonly #start: RequestRecord;
  /** performance.now() at arrival: durations in real time, whatever clock `now` is. */
  readonly #t0 = performance.now();
  #logged = false;

  constructor(
    readonly state: State,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly url: URL,
    ruleId?: string,
    stream?: string,
  ) {
    const clientRequestId = req.headers['x-ms-client-request-id'];
    this.#start = {
      method: req.method ?? 'POST',
      path: url.pathname,
      query: queryObject(url),
      headers: loggedHeaders(req),
      status: 0,
      wireBytes: 0,
      decodedBytes: 0,
      records: 0,
      ...(typeof clientRequestId === 'string' ? { clientRequestId } : {}),
      receivedAt: new Date(state.now()).toISOString(),
      ...(ruleId === undefined ? {} : { ruleId }),
      ...(stream === undefined ? {} : { stream }),
    };
  }

  #log(status: number, extra: { errorCode?: string; outcome?: string }): void {
    if (this.#logged) return;
    this.#logged = true;
    logRequest(this.state, {
      ...this.#start,
      status,
      wireBytes: this.wireBytes,
      decodedBytes: this.decodedBytes,
      records: this.records,
      ...(this.columnsDropped === undefined ? {} : { columnsDropped: this.columnsDropped }),
      ...(this.tableColumnsDropped === undefined
        ? {}
        : { tableColumnsDropped: this.tableColumnsDropped }),
      durationMs: Math.round((performance.now() - this.#t0) * 10) / 10,
      ...(this.fault === undefined ? {} : { fault: this.fault }),
      ...extra,
    });
  }

  fail(status: number, code: string, message: string, headers: Record<string, string> = {}): void {
    sendError(this.req, this.res, status, code, message, headers);
    this.#log(status, { errorCode: code });
  }

  raw(
    status: number,
    body: string | undefined,
    headers: Record<string, string>,
    code?: string,
  ): void {
    send(this.res, status, body, { ...baseHeaders(this.req), ...headers });
    this.#log(status, code === undefined ? {} : { errorCode: code });
  }

  /** The socket was closed without an answer. */
  gone(outcome: string): void {
    this.#log(0, { outcome });
  }
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : '';
}

/** Checks before the body: returns false when an answer was sent. */
function precheck(ex: Exchange, ruleId: string, streamName: string): boolean {
  const { state, req, url } = ex;
  const version = url.searchParams.get('api-version');
  if (version === null || version === '') {
    ex.fail(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
    return false;
  }
  if (!API_VERSIONS.includes(version)) {
    ex.fail(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${version}' is invalid. The supported versions are '${API_VERSIONS.join(',')}'.`,
    );
    return false;
  }
  const token = bearer(req);
  const verified = verifyToken(state.secret, token, state.now());
  // A token of another cloud (monitor.azure.us on the public endpoint) is the wrong audience.
  const verdict =
    verified.ok && !audienceFits(verified.claims.aud, state.cloud)
      ? ({ ok: false, problem: 'audience' } as const)
      : verified;
  if (!verdict.ok) {
    const p = verdict.problem;
    if (p === 'missing')
      ex.fail(
        401,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is missing or not a Bearer token.",
      );
    else if (p === 'audience')
      ex.fail(
        401,
        'InvalidAudience',
        `The access token has been obtained for the wrong audience. It should be ${cloudAudience(state.cloud)} (this endpoint's cloud).`,
      );
    else if (p === 'expired')
      ex.fail(401, 'InvalidAuthenticationToken', 'The access token is expired or not yet valid.');
    else
      ex.fail(
        401,
        'InvalidAuthenticationToken',
        'The access token is invalid (not issued by this emulator, or garbled).',
      );
    return false;
  }
  const rule = state.rules.get(ruleId);
  if (!rule) {
    ex.fail(404, 'NotFound', `Data collection rule with immutable Id '${ruleId}' not found.`);
    return false;
  }
  if (state.forbidden.has(ruleId)) {
    ex.fail(
      403,
      'OperationFailed',
      `The authentication token provided does not have access to ingest data for the data collection rule with immutable Id '${ruleId}' PipelineAccessResult: AccessGranted: False, IsRbacPresent: False, IsDcrDceBindingValid: , DcrArmId: ${rule.armId}, Message: Required authorization action was not found for tenantId ${verdict.claims.tid} objectId ${verdict.claims.oid} on resourceId ${rule.armId}.`,
    );
    return false;
  }
  if (!rule.streams.has(streamName)) {
    // A guess: no public source shows Azure's answer to an undeclared stream (docs/FIDELITY.md).
    ex.fail(
      400,
      'InvalidStream',
      `Stream '${streamName}' is not declared in data collection rule '${ruleId}'. Declared: ${[...rule.streams.keys()].join(', ')}.`,
    );
    return false;
  }
  const length = Number(req.headers['content-length'] ?? 0);
  const decision = state.limiter.admit(ruleId, Number.isFinite(length) ? length : 0);
  if (!decision.ok) {
    ex.fail(
      429,
      'TooManyRequests',
      `Rate limit of ${decision.which} per minute for data collection rule '${ruleId}' exceeded. Retry after ${decision.retryAfterSec} seconds.`,
      { 'retry-after': String(decision.retryAfterSec) },
    );
    return false;
  }
  if (length > MAX_BODY_BYTES) {
    ex.fail(
      413,
      'ContentLengthLimitExceeded',
      `Maximum allowed content length: ${MAX_BODY_BYTES} bytes (1 MB). Provided content length: ${length} bytes.`,
    );
    return false;
  }
  return contentTypeOk(ex);
}

/**
 * `Content-Type: application/json` is required (Logs Ingestion API docs, "Request headers").
 * 415 UnsupportedMediaType for anything else is a guess at Azure's answer.
 */
function contentTypeOk(ex: Exchange): boolean {
  const type = ex.req.headers['content-type'];
  const mime = typeof type === 'string' ? type.split(';')[0]!.trim().toLowerCase() : '';
  if (mime === 'application/json') return true;
  ex.fail(
    415,
    'UnsupportedMediaType',
    `Content-Type must be application/json, got ${type === undefined ? 'none' : JSON.stringify(type)}.`,
  );
  return false;
}

/** Ingest the records; read the body again exactly when a long beyond 2^53 was rounded. */
function ingest(
  ex: Exchange,
  streamName: string,
  ruleId: string,
  parsed: unknown[],
  text: string,
): IngestOutcome {
  const stream = ex.state.rules.get(ruleId)!.streams.get(streamName)!;
  const now = ex.state.now();
  const outcome = ingestRecords(stream, parsed, now, ex.decodedBytes);
  if (!outcome.inexact) return outcome;
  return ingestRecords(stream, parseJsonExact(text) as unknown[], now, ex.decodedBytes);
}

/** Read, decode, parse, ingest; answer. */
async function ingestBody(ex: Exchange, ruleId: string, streamName: string, bytesPerSec?: number) {
  const { state, req } = ex;
  const read = await readBody(req, {
    maxBytes: MAX_BODY_BYTES,
    ...(bytesPerSec ? { bytesPerSec } : {}),
  });
  ex.wireBytes = read.wireBytes;
  if (read.kind === 'aborted') return ex.gone('aborted');
  const tooLarge = `Maximum allowed content length: ${MAX_BODY_BYTES} bytes (1 MB), compressed and uncompressed.`;
  if (read.kind === 'too-large') return ex.fail(413, 'ContentLengthLimitExceeded', tooLarge);
  const decodedLimit = state.lenientSize ? LENIENT_MAX_DECODED_BYTES : MAX_BODY_BYTES;
  const decoded = await decodeBody(read.body, req.headers['content-encoding'], decodedLimit);
  if (decoded.kind === 'too-large') {
    // With lenientSize the code and text are a guess (the field report names no answer).
    return state.lenientSize
      ? ex.fail(
          413,
          'PayloadSizeLimitExceeded',
          `The decompressed body is over ${LENIENT_MAX_DECODED_BYTES} bytes (50 MB).`,
        )
      : ex.fail(413, 'ContentLengthLimitExceeded', tooLarge);
  }
  if (decoded.kind === 'unsupported')
    return ex.fail(
      415,
      'UnsupportedContentEncoding',
      `Content-Encoding '${decoded.encoding}' is not supported; use gzip or none.`,
    );
  if (decoded.kind === 'bad-encoding')
    return ex.fail(
      400,
      'InvalidContentEncoding',
      `The request body could not be decompressed: ${decoded.message}`,
    );
  ex.decodedBytes = decoded.text.length;
  let parsed: unknown;
  let text: string;
  try {
    text = UTF8.decode(decoded.text);
    parsed = JSON.parse(text);
  } catch (err) {
    return ex.fail(
      400,
      'InvalidPayload',
      `The request body is not valid UTF-8 JSON: ${(err as Error).message}`,
    );
  }
  const stream = state.rules.get(ruleId)?.streams.get(streamName);
  if (!stream)
    return ex.fail(404, 'NotFound', `Data collection rule '${ruleId}' is no longer served.`);
  if (!Array.isArray(parsed)) {
    if (typeof parsed === 'object' && parsed !== null) {
      // Azure answers 204 and ingests nothing: a silent loss worth making visible here.
      warn(
        state,
        `${ruleId}/${streamName}: body is a JSON object, not an array; answered 204 and stored nothing (as Azure does)`,
      );
      return ex.raw(204, undefined, {});
    }
    return ex.fail(400, 'InvalidPayload', 'The request body must be a JSON array of objects.');
  }
  const outcome = ingest(ex, streamName, ruleId, parsed, text);
  ex.records = parsed.length;
  ex.columnsDropped = outcome.columnsDropped;
  ex.tableColumnsDropped = outcome.tableColumnsDropped;
  countIngest(state, ruleId, streamName, outcome);
  if (stream.flows.length === 0) {
    warn(
      state,
      `${ruleId}/${streamName}: the stream has no data flow; rows were accepted and stored nowhere`,
    );
  }
  if (outcome.notObjects > 0)
    warn(
      state,
      `${ruleId}/${streamName}: ${outcome.notObjects} array elements were not objects and were dropped`,
    );
  for (const [table, rows] of outcome.rowsByTable) {
    state.store.append(table, rows, outcome.verbatim ? text : undefined);
  }
  if (req.headers['content-length'] === undefined) state.limiter.addBytes(ruleId, read.wireBytes);
  ex.raw(204, undefined, {});
}

/** Handle one ingestion POST. Never throws. */
export async function handleIngest(
  state: State,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ruleId: string,
  streamName: string,
): Promise<void> {
  const ex = new Exchange(state, req, res, url, ruleId, streamName);
  const fault = await takeFault(state, req, (f) => {
    ex.fault = describeFault(f);
  });
  if (fault && (await applyFault(ex, fault))) return;
  if (!precheck(ex, ruleId, streamName)) return;
  const slow = fault && 'slowReadBytesPerSec' in fault ? fault.slowReadBytesPerSec : undefined;
  await ingestBody(ex, ruleId, streamName, slow);
}
