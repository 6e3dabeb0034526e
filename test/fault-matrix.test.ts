/**
 * The fault matrix: the core (the built package, by name) against the emulator's faults, one
 * row per way the service or the network can fail. Every row ends with the same checks
 * (helpers/delivery-check.ts): the accounting identity, every acknowledged record stored once,
 * at most `maxConcurrency` requests in flight. Rows with permanent errors also check that they
 * were not retried. Waits are bounded by conditions (a request answered, an attempt failed),
 * never by sleeping.
 */

import diagnosticsChannel from 'node:diagnostics_channel';
import dns from 'node:dns';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CHANNELS,
  type DeliveryFailure,
  IngestionClient,
  type IngestionOptions,
  type IngestionStats,
  type RequestEndMessage,
  type TokenCredential,
} from 'azure-ingestion-core';
import { type Emulator, type Fault, startEmulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDelivery, numbered, watchInFlight } from './helpers/delivery-check.js';

const TABLE = 'AppLogs_CL';
const RECORDS = 300;
const CONCURRENCY = 2;
/** Small batches (about 30 records each) so that several are in flight at once. */
const OPTIONS: IngestionOptions = {
  recordId: true,
  maxConcurrency: CONCURRENCY,
  maxBatchBytes: 8192,
  flushIntervalMs: 50,
  retryBaseMs: 10,
  retryMaxMs: 300,
  requestTimeoutMs: 1000,
  maxRetryTimeMs: 30_000,
  closeTimeoutMs: 30_000,
  warnings: false,
};

let emu: Emulator;
const dataDir = mkdtempSync(join(tmpdir(), 'fault-matrix-'));
const TOKEN_SECRET = 'fault-matrix-shared-token-secret';
beforeAll(async () => {
  emu = await startEmulator({ port: 0, dataDir, tokenSecret: TOKEN_SECRET });
});
afterAll(async () => {
  await emu.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Resolves when the client reports an attempt ending as `match` says (a bound, not a sleep). */
function attemptEnded(match: (m: RequestEndMessage) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const on = (m: unknown): void => {
      if (!match(m as RequestEndMessage)) return;
      diagnosticsChannel.unsubscribe(CHANNELS.requestEnd, on);
      resolve();
    };
    diagnosticsChannel.subscribe(CHANNELS.requestEnd, on);
  });
}

interface Row {
  readonly name: string;
  readonly faults?: () => Fault[];
  /** Faults drawn for every request (after the scripted ones). */
  readonly random?: readonly { probability: number; fault: Fault }[];
  /** Runs beside the logging (e.g. takes the service down, then up). */
  readonly during?: () => Promise<void>;
  readonly options?: IngestionOptions;
  readonly duplicatesAllowed?: boolean;
  /** Row-specific checks. */
  readonly check?: (r: Result) => void;
}

interface Result {
  readonly stats: IngestionStats;
  readonly failures: readonly DeliveryFailure[];
  readonly failed: Set<number>;
}

/** Logs RECORDS records through a fresh client under `row`'s faults, closes it, checks. */
async function run(
  row: Row,
  options: IngestionOptions = {},
  url = emu.streamUrl(),
): Promise<Result> {
  emu.reset();
  const failures: DeliveryFailure[] = [];
  const watch = watchInFlight(new URL(url).origin);
  const client = new IngestionClient(
    {
      url,
      token: emu.token(),
      onError: (f) => failures.push(f),
      ...OPTIONS,
      ...row.options,
      ...options,
    },
    {},
  );
  if (row.faults) emu.faults.enqueue(...row.faults());
  if (row.random) emu.faults.random([...row.random], 1);
  const during = row.during?.();
  for (let i = 0; i < RECORDS; i++) client.push(numbered(row.name, i));
  const stats = await client.close();
  await during;
  watch.stop();
  const rows = emu.rows(TABLE).filter((r) => (r.Properties as { run: string }).run === row.name);
  const failed = expectDelivery({
    pushed: RECORDS,
    stats,
    failures,
    rows,
    ...(row.duplicatesAllowed ? { duplicatesAllowed: true } : {}),
  });
  expect(watch.max()).toBeGreaterThan(0);
  expect(watch.max()).toBeLessThanOrEqual(CONCURRENCY);
  const result = { stats, failures, failed };
  row.check?.(result);
  return result;
}

const times = (n: number, fault: Fault): Fault[] => Array.from({ length: n }, () => fault);
const everyRecordDelivered = (r: Result) => {
  expect(r.stats.delivered).toBe(RECORDS);
  expect(r.failed.size).toBe(0);
};

const TRANSIENT: readonly Row[] = [
  // Honoured as asked (retryMaxMs above it), then capped (below it), then 0 (the backoff).
  {
    name: '429 storm, Retry-After in seconds',
    faults: () => times(2, { status: 429, retryAfter: '1' }),
    options: { retryMaxMs: 2000 },
  },
  {
    name: '429 storm, Retry-After as an HTTP date',
    faults: () => times(2, { status: 429, retryAfter: new Date(Date.now() + 1500).toUTCString() }),
    options: { retryMaxMs: 2000 },
  },
  {
    name: '429 storm, huge Retry-After (capped at retryMaxMs)',
    faults: () => times(4, { status: 429, retryAfter: '86400' }),
  },
  { name: '429 storm, Retry-After: 0', faults: () => times(4, { status: 429, retryAfter: '0' }) },
  { name: '429 storm without Retry-After', faults: () => times(4, { status: 429 }) },
  { name: '500 run', faults: () => times(5, { status: 500 }) },
  { name: '502 run', faults: () => times(5, { status: 502 }) },
  { name: '503 run, with Retry-After', faults: () => times(3, { status: 503, retryAfter: '1' }) },
  { name: '503 run, without Retry-After', faults: () => times(5, { status: 503 }) },
  { name: '504 run', faults: () => times(5, { status: 504 }) },
  { name: 'resets before the body', faults: () => times(4, { reset: true }) },
  { name: 'hang-ups in the middle of the body', faults: () => times(3, { hangUp: 'mid-request' }) },
  { name: 'resets after the whole body', faults: () => times(3, { hangUp: 'after-body' }) },
  {
    name: 'answers lost after storing (a retry stores again: same RecordId)',
    faults: () => times(2, { dropAnswer: true }),
    duplicatesAllowed: true,
  },
  {
    name: 'slow reads past the request timeout',
    faults: () => times(2, { slowReadBytesPerSec: 200 }),
    options: { gzipLevel: 0 },
  },
  {
    name: 'a service that accepts and never answers',
    during: async () => {
      await emu.down('hang');
      await attemptEnded((m) => m.errorCode === 'TIMEOUT');
      await emu.up();
    },
  },
  {
    name: 'a service that refuses connections',
    during: async () => {
      await emu.down('refuse');
      await attemptEnded((m) => m.errorCode === 'ECONNREFUSED');
      await emu.up();
    },
  },
  {
    name: 'a service that resets every connection',
    during: async () => {
      await emu.down('reset');
      await attemptEnded((m) => m.errorCode !== undefined);
      await emu.up();
    },
  },
];

describe('fault matrix: transient failures lose nothing', () => {
  it.each(TRANSIENT.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const result = await run(row);
    if (!row.duplicatesAllowed) everyRecordDelivered(result);
  });

  it('the emulator restarted mid-run (rows kept in its data directory)', async () => {
    const port = Number(new URL(emu.endpoint).port);
    await run({
      name: 'restart',
      during: async () => {
        await attemptEnded((m) => m.status === 204);
        await emu.stop();
        emu = await startEmulator({ port, dataDir, tokenSecret: TOKEN_SECRET });
      },
      check: everyRecordDelivered,
    });
  });

  it('DNS failures, then the name resolves again', async () => {
    const lookup = dns.lookup;
    let failures = 0;
    // The resolver fails for the first attempts, as a DNS outage would (ENOTFOUND from lookup).
    (dns as { lookup: unknown }).lookup = (host: string, options: unknown, callback: unknown) => {
      const cb = (typeof options === 'function' ? options : callback) as (
        e: NodeJS.ErrnoException,
      ) => void;
      if (host === 'localhost' && failures < 3) {
        failures++;
        const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${host}`);
        error.code = 'ENOTFOUND';
        process.nextTick(cb, error);
        return;
      }
      const opts = typeof options === 'object' && options !== null ? options : {};
      return (lookup as (...a: unknown[]) => void)(host, { ...opts, family: 4 }, cb);
    };
    try {
      const url = emu.streamUrl().replace('127.0.0.1', 'localhost');
      await run({ name: 'dns', check: everyRecordDelivered }, {}, url);
      expect(failures).toBe(3);
    } finally {
      (dns as { lookup: unknown }).lookup = lookup;
    }
  });

  it('the token endpoint failing, then recovering', async () => {
    const issuer = await startEmulator({ port: 0, tokenSecret: TOKEN_SECRET });
    const vars = issuer.env({ identity: 'app-service' });
    let refused = 0;
    // A managed-identity credential (App Service protocol) against the second emulator.
    const credential: TokenCredential = {
      async getToken(scopes) {
        const url = new URL(vars.IDENTITY_ENDPOINT as string);
        url.searchParams.set('api-version', '2019-08-01');
        url.searchParams.set('resource', String(scopes).replace(/\/\.default$/, ''));
        let res: Response;
        try {
          res = await fetch(url, { headers: { 'X-IDENTITY-HEADER': vars.IDENTITY_HEADER ?? '' } });
        } catch (error) {
          refused++;
          throw error;
        }
        const body = (await res.json()) as { access_token: string; expires_on: string };
        return { token: body.access_token, expiresOnTimestamp: Number(body.expires_on) * 1000 };
      },
    };
    try {
      await issuer.down('refuse');
      await run({
        name: 'token endpoint',
        options: { credential, token: undefined },
        during: async () => {
          const deadline = Date.now() + 20_000; // a bound on a condition, not a timing assertion
          while (refused < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
          await issuer.up();
        },
        check: everyRecordDelivered,
      });
      expect(refused).toBeGreaterThanOrEqual(2);
    } finally {
      await issuer.stop();
    }
  });

  it('TLS errors (a certificate nobody trusts): given up after maxRetryTimeMs, every record counted', async () => {
    const tls = await startEmulator({ port: 0, https: true, tokenSecret: TOKEN_SECRET });
    try {
      const { stats, failures } = await run(
        { name: 'tls', options: { maxRetryTimeMs: 300 } },
        {},
        tls.streamUrl(),
      );
      expect(stats.delivered).toBe(0);
      expect(stats.rejected + stats.dropped).toBe(RECORDS);
      expect(new Set(failures.map((f) => f.error.code))).toEqual(
        new Set(['ERR_INGESTION_RETRIES_EXHAUSTED']),
      );
      expect(tls.requests()).toHaveLength(0); // no request got past the handshake
    } finally {
      await tls.stop();
    }
  });
});

describe('fault matrix: permanent errors are not retried', () => {
  it.each([
    [403, 'ERR_INGESTION_FORBIDDEN'],
    [404, 'ERR_INGESTION_NOT_FOUND'],
  ])('%s: the batch is rejected after one request', async (status, code) => {
    const { stats, failures } = await run({
      name: `permanent ${status}`,
      faults: () => [{ status }],
    });
    expect(failures.map((f) => f.error.code)).toEqual([code]);
    expect(stats.retried).toBe(0);
    // One request answered with the error, every other one accepted: nothing sent twice.
    expect(emu.requests().filter((r) => r.status !== 204)).toHaveLength(1);
    expect(stats.rejected).toBe(failures[0]?.records.length);
  });

  it('400 on a one-record batch: rejected after one request', async () => {
    const failures: DeliveryFailure[] = [];
    emu.reset();
    const client = new IngestionClient(
      { url: emu.streamUrl(), token: emu.token(), onError: (f) => failures.push(f), ...OPTIONS },
      {},
    );
    emu.faults.enqueue({ status: 400 });
    client.push(numbered('400', 0));
    const stats = await client.close();
    expect(failures.map((f) => f.error.code)).toEqual(['ERR_INGESTION_BAD_REQUEST']);
    expect(emu.requests()).toHaveLength(1);
    expect(stats).toMatchObject({ accepted: 1, rejected: 1, retried: 0 });
  });

  it('a systematic 400: split once to look for a bad record, never the same body twice', async () => {
    const sizes: number[] = [];
    const on = (m: unknown): void => {
      sizes.push((m as RequestEndMessage).records);
    };
    diagnosticsChannel.subscribe(CHANNELS.requestEnd, on);
    try {
      const { stats } = await run({
        name: '400 systematic',
        random: [{ probability: 1, fault: { status: 400 } }],
        options: { maxBatchBytes: 1_048_576 },
      });
      expect(stats.rejected).toBe(RECORDS);
      expect(sizes).toEqual([RECORDS, RECORDS / 2, RECORDS / 2]);
    } finally {
      diagnosticsChannel.unsubscribe(CHANNELS.requestEnd, on);
      emu.faults.clear();
    }
  });
});
