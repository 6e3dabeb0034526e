/**
 * startEmulator: load the rules, open the http(s) server, expose the library handle.
 */
import { randomBytes } from 'node:crypto';
import {
  createServer as createHttp,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { Socket } from 'node:net';
import { IdentityEnv } from './auth/identity-env.js';
import { signToken } from './auth/jwt.js';
import { DEFAULT_TABLE } from './dcr/default-dcr.js';
import { type LoadedRules, loadRules, type RuleModel } from './dcr/load.js';
import { loadTables } from './dcr/tables.js';
import { FaultPlan } from './faults/plan.js';
import { sendError } from './http/answers.js';
import { cloudAudience } from './http/cloud.js';
import { servedNames } from './http/guard.js';
import { RateLimiter } from './http/rate-limit.js';
import { type RouteHooks, route } from './http/routes.js';
import { generateCertificate } from './http/tls.js';
import { type ResolvedOptions, resolveOptions } from './options.js';
import { emptyCounters, type State } from './state.js';
import { RowStore } from './store/row-store.js';
import type { DownMode, Emulator, EmulatorCounters, EmulatorOptions, RuleInfo } from './types.js';

const CLIENT_ERROR_STATUS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};

/**
 * Garbage on the wire, huge headers and timed-out requests: answer like Node's default handler
 * (400/431/408) unless an answer has started, then just close. Never a crash.
 */
function onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  const started = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage
    ?.headersSent;
  if (err.code === 'ECONNRESET' || !socket.writable || started) {
    socket.destroy();
    return;
  }
  const status = CLIENT_ERROR_STATUS[err.code ?? ''] ?? '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function ruleInfo(rules: RuleModel[]): RuleInfo[] {
  return rules.map((r) => ({
    ruleId: r.ruleId,
    streams: [...r.streams.values()].map((s) => ({
      name: s.name,
      outputTable: s.flows[0]?.table ?? '',
    })),
  }));
}

/** Every stream served, for the per-stream counters. */
function streamsOf(rules: RuleModel[]): Array<{ ruleId: string; stream: string }> {
  return rules.flatMap((r) =>
    [...r.streams.keys()].map((stream) => ({ ruleId: r.ruleId, stream })),
  );
}

function makeState(opts: ResolvedOptions, loaded: LoadedRules, closing: AbortSignal): State {
  const state: State = {
    rules: new Map(loaded.rules.map((r) => [r.ruleId, r])),
    store: new RowStore(opts.dataDir, opts.maxRowsPerTable),
    counters: emptyCounters(loaded.warnings, streamsOf(loaded.rules)),
    requestLog: [],
    faults: new FaultPlan(),
    limiter: new RateLimiter(
      opts.requestsPerMinute,
      opts.bytesPerMinute,
      opts.now,
      opts.rateWindowMs,
    ),
    forbidden: new Set(opts.forbiddenRules),
    secret: opts.tokenSecret,
    identityHeader: randomBytes(16).toString('hex'),
    clientSecret: `emu~${randomBytes(24).toString('base64url')}`,
    tokenLifetimeSec: opts.tokenLifetimeSec,
    now: opts.now,
    latencyMs: opts.latencyMs,
    cloud: opts.cloud,
    lenientSize: opts.lenientSize,
    closing,
    seq: 0,
    issueToken(audience, lifetimeSec) {
      const { token, claims } = signToken(opts.tokenSecret, audience, opts.now(), lifetimeSec);
      state.counters.tokensIssued++;
      return { token, expiresOn: claims.exp };
    },
  };
  return state;
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string')
    throw new Error('startEmulator: the server has no TCP address');
  return addr.port;
}

/** Start an emulator. Rejects on invalid options or DCRs, or when the port is taken. */
export async function startEmulator(options?: EmulatorOptions): Promise<Emulator> {
  const opts = resolveOptions(options);
  const loaded = loadRules(opts.dcrs, loadTables(opts.tables));
  const closing = new AbortController();
  const state = makeState(opts, loaded, closing.signal);
  const tls = opts.https ? await generateCertificate(opts.host) : undefined;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    // Down, hanging: the request is read and never answered (the socket stays until up()).
    if (down === 'hang') return;
    route(state, hooks, req, res).catch((err: unknown) => {
      // A bug here must not take the server down: answer 500 and keep serving.
      if (!res.headersSent && !res.destroyed)
        sendError(
          req,
          res,
          500,
          'InternalServerError',
          `Emulator error: ${(err as Error).message}`,
        );
      else res.destroy();
    });
  };
  // Node checks request/header timeouts every connectionsCheckingInterval (30 s by default):
  // check often enough that a slow or half-sent request is cut close to its deadline.
  const serverOpts = {
    requestTimeout: opts.requestTimeoutMs,
    headersTimeout: Math.min(opts.requestTimeoutMs, 10_000),
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval: Math.min(
      1_000,
      Math.max(50, Math.floor(opts.requestTimeoutMs / 4)),
    ),
  };
  const server: Server = tls
    ? createHttps({ ...serverOpts, key: tls.key, cert: tls.cert }, handler)
    : createHttp(serverOpts, handler);
  const sockets = new Set<Socket>();
  /** Simulated outage (see Emulator.down). */
  let down: DownMode | undefined;
  server.on('connection', (s: Socket) => {
    if (down === 'reset') {
      s.destroy();
      return;
    }
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const dropSockets = (): void => {
    for (const s of sockets) s.destroy();
  };
  server.on('clientError', onClientError);
  const port = await listen(server, opts.port, opts.host);
  const hostPart = opts.host.includes(':')
    ? `[${opts.host}]`
    : opts.host === '0.0.0.0'
      ? '127.0.0.1'
      : opts.host;
  const endpoint = `${tls ? 'https' : 'http'}://${hostPart}:${port}`;
  const infos = ruleInfo(loaded.rules);
  const firstRule = infos[0]!;
  const hooks: RouteHooks = {
    reset: () => emulator.reset(),
    rules: () => infos,
    tables: () => loaded.tables,
    names: servedNames(opts.host, opts.allowedHosts),
  };
  let stopping: Promise<void> | undefined;
  const identities = new IdentityEnv(endpoint, state, () => emulator.token());

  const emulator: Emulator = {
    endpoint,
    rules: infos,
    tables: loaded.tables,
    ...(tls ? { caCertPem: tls.cert } : {}),
    streamUrl(stream, ruleId) {
      const rule = ruleId ?? firstRule.ruleId;
      const name =
        stream ?? (infos.find((r) => r.ruleId === rule) ?? firstRule).streams[0]?.name ?? '';
      return `${endpoint}/dataCollectionRules/${rule}/streams/${name}`;
    },
    token(o = {}) {
      return state.issueToken(
        o.audience ?? cloudAudience(opts.cloud),
        o.lifetimeSec ?? opts.tokenLifetimeSec,
      ).token;
    },
    env(o = {}) {
      const ruleId = o.ruleId ?? firstRule.ruleId;
      const stream =
        o.stream ?? (infos.find((r) => r.ruleId === ruleId) ?? firstRule).streams[0]?.name ?? '';
      const base: Record<string, string> = {
        AZURE_LOGS_INGESTION_ENDPOINT: endpoint,
        AZURE_LOGS_INGESTION_RULE_ID: ruleId,
        AZURE_LOGS_INGESTION_STREAM: stream,
      };
      const identity = o.identity ?? (o.managedIdentity ? 'app-service' : 'token');
      Object.assign(base, identities.vars(identity));
      return base;
    },
    rows: (table = DEFAULT_TABLE, q) => state.store.query(table, q),
    counters: (): EmulatorCounters => structuredClone(state.counters),
    requests: () => state.requestLog.slice(),
    faults: {
      enqueue: (...f) => state.faults.enqueue(...f),
      random: (r, seed) => state.faults.random(r, seed),
      clear: () => state.faults.clear(),
    },
    waitForRows: (table, count, timeoutMs = 10_000) => state.store.waitFor(table, count, timeoutMs),
    reset() {
      state.store.clear();
      state.counters = emptyCounters(loaded.warnings, streamsOf(loaded.rules));
      state.requestLog.length = 0;
      state.faults.clear();
      state.limiter.reset();
      state.seq++;
    },
    async down(mode = 'refuse') {
      if (stopping) throw new Error('down(): the emulator is stopped');
      if (down === 'refuse') await listen(server, port, opts.host);
      down = mode;
      dropSockets(); // open keep-alive connections go down with the service
      if (mode === 'refuse') await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async up() {
      if (stopping || down === undefined) return;
      const was = down;
      down = undefined;
      if (was === 'refuse') await listen(server, port, opts.host);
      else dropSockets(); // hanging requests end as the service comes back
    },
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        closing.abort();
        state.store.close();
        identities.cleanup();
        if (down === 'refuse') resolve();
        else server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections?.();
      });
      return stopping;
    },
  };
  return emulator;
}
