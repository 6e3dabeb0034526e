/**
 * The bad day, against the emulator over real sockets: outages, throttling, a hung credential,
 * a service that never answers, token-echoing error pages, and diagnostics that say what
 * happened. Long outages run on a virtual clock (the emulator is really down, the waits are
 * scaled); every test ends with accepted = delivered + rejected + dropped.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import type { DownMode, Emulator } from 'azure-ingestion-emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCodes, type IngestionError } from '../src/errors.js';
import { CHANNELS, type RequestStartMessage } from '../src/report/diagnostics.js';
import type { AccessToken, TokenCredential } from '../src/types.js';
import {
  clientFor,
  emulator,
  expectAccounted,
  ManualClock,
  record,
  TABLE,
  until,
  VirtualClock,
} from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());
afterEach(() => emu.up());

const port = (): string => new URL(emu.endpoint).port;

/** Request starts seen on the diagnostics channel, with the virtual time of each. */
function watchStarts(clock: { now(): number }) {
  const starts: { at: number; message: RequestStartMessage }[] = [];
  const fn = (m: unknown) => starts.push({ at: clock.now(), message: m as RequestStartMessage });
  diagnosticsChannel.subscribe(CHANNELS.requestStart, fn);
  return { starts, stop: () => diagnosticsChannel.unsubscribe(CHANNELS.requestStart, fn) };
}

describe('an outage shorter than maxRetryTimeMs', () => {
  it.each(['refuse', 'reset'] as const)(
    'endpoint down 20 s (%s) while logging 20/s: everything delivered with the defaults',
    async (mode: DownMode) => {
      const clock = new VirtualClock();
      const { client, failures, warnings } = clientFor(emu, {}, clock);
      clock.settled = () => client.stats().inFlight === 0;
      let inFlightWhileDown = 0;
      let sent = 0;
      // 5 s up, 20 s down, 5 s up: one record every 50 ms (20/s), 600 in all.
      for (let t = 0; t < 30_000; t += 50) {
        if (t === 5000) await emu.down(mode);
        if (t === 25_000) await emu.up();
        client.push(record(sent++));
        if (t >= 5000 && t < 25_000) {
          inFlightWhileDown = Math.max(inFlightWhileDown, client.stats().inFlight);
        }
        await clock.advance(50);
      }
      // The next probe comes within the backoff cap (30 s); then the backlog goes.
      for (let t = 0; t < 60_000 && client.stats().delivered < sent; t += 500) {
        await clock.advance(500);
      }
      const stats = client.stats();
      expect(stats).toMatchObject({ delivered: sent, rejected: 0, dropped: 0, bufferedBytes: 0 });
      expect(emu.rows(TABLE)).toHaveLength(sent);
      expect(failures).toEqual([]);
      expect(inFlightWhileDown).toBeLessThanOrEqual(1); // probed one request at a time
      const failing =
        mode === 'refuse'
          ? `connection refused by 127.0.0.1:${port()} (ECONNREFUSED)`
          : // A connection closed right after it was accepted: undici's "other side closed".
            new RegExp(
              `connection to 127\\.0\\.0\\.1:${port()} reset \\((ECONNRESET|UND_ERR_SOCKET|EPIPE)\\)`,
            );
      expect(warnings.join('\n')).toMatch(failing);
      expect(warnings.join('\n')).toMatch(/delivery failing: .*retrying one request at a time/);
      expect(warnings.join('\n')).toMatch(/delivery recovered after \d+ s/);
      await client.close();
      expectAccounted(client.stats());
    },
  );

  it('after an answer, the backlog goes oldest first', async () => {
    const clock = new VirtualClock();
    const { client } = clientFor(emu, { maxBatchRecords: 10, maxConcurrency: 1 }, clock);
    clock.settled = () => client.stats().inFlight === 0;
    await emu.down('refuse');
    for (let i = 0; i < 80; i++) client.push(record(i)); // 8 full batches
    await clock.advance(5000);
    await emu.up();
    await clock.advance(31_000, 250);
    await until(() => client.stats().delivered === 80);
    const order = emu.rows(TABLE).map((r) => (r.Properties as { i: number }).i);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    await client.close();
    expectAccounted(client.stats());
  });

  it('after an answer, the backlog goes at full concurrency', async () => {
    const clock = new VirtualClock();
    const { client } = clientFor(emu, { maxBatchRecords: 10, maxConcurrency: 4 }, clock);
    clock.settled = () => client.stats().inFlight === 0;
    emu.faults.enqueue({ latencyMs: 200 }); // the first answer comes late: the rest is queued
    await emu.down('refuse');
    for (let i = 0; i < 200; i++) client.push(record(i));
    let most = 0;
    const watch = setInterval(() => {
      most = Math.max(most, client.stats().inFlight);
    }, 1);
    try {
      await clock.advance(2000);
      expect(most).toBeLessThanOrEqual(4); // the first batches, before the outage was known
      await until(() => client.stats().inFlight === 0);
      most = 0;
      await emu.up();
      for (let t = 0; t < 60_000 && client.stats().delivered < 200; t += 250) {
        await clock.advance(250, 250);
      }
      expect(client.stats().delivered).toBe(200);
      expect(most).toBeGreaterThan(1); // one probe, then several at once
    } finally {
      clearInterval(watch);
    }
    await client.close();
    expectAccounted(client.stats());
  });
});

describe('an outage longer than maxRetryTimeMs', () => {
  it('gives each batch up once it has been failing that long, naming host, cause and hint', async () => {
    const clock = new VirtualClock();
    const { client, failures } = clientFor(emu, { maxRetryTimeMs: 10_000 }, clock);
    clock.settled = () => client.stats().inFlight === 0;
    await emu.down('refuse');
    for (let i = 0; i < 5; i++) client.push(record(i));
    await clock.advance(45_000, 250);
    await until(() => failures.length === 1);
    const error = failures[0]?.error as IngestionError;
    expect(error.code).toBe(ErrorCodes.RETRIES_EXHAUSTED);
    expect(error.message).toBe(
      `5 records not delivered: connection refused by 127.0.0.1:${port()} (ECONNREFUSED), retried for ${error.message.match(/retried for (\d+ s)/)?.[1]}`,
    );
    const retriedFor = Number(error.message.match(/retried for (\d+) s/)?.[1]);
    expect(retriedFor).toBeGreaterThanOrEqual(10);
    expect(retriedFor).toBeLessThanOrEqual(10 + 30); // the last wait is at most the backoff cap
    expect(error.hint).toMatch(/check the endpoint URL and port/);
    // The service comes back: new records go through.
    await emu.up();
    client.push(record(9));
    await clock.advance(31_000, 250);
    await until(() => client.stats().delivered === 1);
    await client.close();
    expect(client.stats()).toMatchObject({ delivered: 1, rejected: 5 });
    expectAccounted(client.stats());
  });
});

describe('a batch that keeps failing on its own', () => {
  it('does not hold the others: they go on, it retries on its own backoff', async () => {
    const clock = new VirtualClock();
    const { client, failures } = clientFor(
      emu,
      { maxBatchRecords: 5, maxConcurrency: 1, maxRetryTimeMs: 60_000 },
      clock,
    );
    // The first batch gets 500s: as the first attempt and as the two probes after it; then a
    // new batch is the probe, gets through and ends the outage; the first batch, sent again at
    // once, fails a fourth time: now a suspect, it waits on its own backoff, the others go on.
    emu.faults.enqueue({ status: 500 }, { status: 500 }, { status: 500 });
    for (let i = 0; i < 5; i++) client.push(record(i));
    await clock.advance(100);
    await until(() => emu.requests().length === 1);
    for (let i = 5; i < 20; i++) client.push(record(i));
    await clock.advance(1200, 50); // two probes of the first batch fail (at 350 and 850 ms)
    await until(() => emu.requests().length === 3);
    emu.faults.enqueue({ latencyMs: 0 }, { status: 500 }); // the new probe passes, then the 4th 500
    await clock.advance(1500, 50); // less than the first batch's own backoff now (2 s)
    await until(() => emu.rows(TABLE).length === 15);
    const order = emu.rows(TABLE).map((r) => (r.Properties as { i: number }).i);
    expect(order).not.toContain(0); // the three later batches went while the first waited
    expect(client.stats().requests['500']).toBe(4);
    await clock.advance(40_000, 250);
    await until(() => client.stats().delivered === 20);
    expect(failures).toEqual([]);
    await client.close();
    expectAccounted(client.stats());
  });
});

describe('throttling', () => {
  it('a Retry-After pauses every request until it has passed', async () => {
    const clock = new VirtualClock();
    const { client } = clientFor(emu, { maxBatchRecords: 5, maxConcurrency: 4 }, clock);
    clock.settled = () => client.stats().inFlight === 0;
    const watch = watchStarts(clock);
    try {
      emu.faults.enqueue({ status: 429, retryAfter: '3' });
      for (let i = 0; i < 40; i++) client.push(record(i));
      await clock.advance(50);
      await until(() => emu.requests().length >= 4);
      const t0 = clock.now();
      await clock.advance(6000, 50);
      await until(() => client.stats().delivered === 40);
      const after = watch.starts.filter((s) => s.at > t0);
      // Nothing started within the 3 s asked for (the other requests were already in flight).
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((s) => s.at >= t0 + 2950)).toBe(true);
      expect(client.stats().requests['429']).toBe(1);
      await client.close();
      expectAccounted(client.stats());
    } finally {
      watch.stop();
    }
  });

  it('Retry-After: 0 waits the normal backoff instead of retrying at once', async () => {
    const clock = new ManualClock();
    const { client } = clientFor(emu, {}, clock);
    emu.faults.enqueue({ status: 503, retryAfter: '0' }, { status: 429, retryAfter: '0' });
    client.push(record(1));
    const flushed = client.flush();
    await until(() => clock.pending(250).length === 1); // backoff: 0.5 × 500 ms
    expect(emu.requests()).toHaveLength(1); // nothing else went in the meantime
    clock.fire(250);
    await until(() => clock.pending(500).length === 1); // then 0.5 × 1000 ms
    expect(emu.requests()).toHaveLength(2);
    clock.fire(500);
    expect(await flushed).toMatchObject({ delivered: 1, retried: 2 });
    await client.close();
    expectAccounted(client.stats());
  });
});

/** A credential whose getToken never settles; it remembers the signals it was given. */
class HangingCredential implements TokenCredential {
  readonly signals: AbortSignal[] = [];
  getToken(_scopes: string | string[], options?: { abortSignal?: AbortSignal }) {
    if (options?.abortSignal) this.signals.push(options.abortSignal);
    return new Promise<AccessToken | null>(() => {});
  }
}

describe('every wait is bounded', () => {
  it('a credential that never answers: timed out, warned by name, flush settles', async () => {
    const credential = new HangingCredential();
    const { client, failures, warnings } = clientFor(emu, {
      token: undefined,
      credential,
      tokenTimeoutMs: 200,
      maxRetryTimeMs: 1000,
      retryBaseMs: 100,
      retryMaxMs: 200,
    });
    for (let i = 0; i < 3; i++) client.push(record(i));
    const stats = await client.flush();
    expect(stats).toMatchObject({ delivered: 0, rejected: 3, inFlight: 0 });
    expect(failures.map((f) => f.error.code)).toEqual([ErrorCodes.CREDENTIAL]);
    expect(failures[0]?.error.message).toContain(
      'HangingCredential did not return a token within 200 ms (tokenTimeoutMs)',
    );
    const error = failures[0]?.error as IngestionError | undefined;
    expect(error?.hint).toMatch(/check HangingCredential/);
    expect(credential.signals.length).toBeGreaterThan(1);
    expect(credential.signals.every((s) => s.aborted)).toBe(true); // asked to stop each time
    await client.close();
    const text = warnings.join('\n');
    expect(text).toContain('delivery failing: HangingCredential did not return a token');
    expect(text).not.toContain('DefaultAzureCredential');
    expect(client.stats().inFlight).toBe(0);
    expectAccounted(client.stats());
  });

  it('close() ends within closeTimeoutMs while the credential hangs, nothing left in flight', async () => {
    const { client, failures } = clientFor(emu, {
      token: undefined,
      credential: new HangingCredential(),
      closeTimeoutMs: 300,
    });
    client.push(record(1));
    client.push(record(2));
    await until(() => client.stats().inFlight === 1);
    const started = Date.now();
    const stats = await client.close();
    expect(Date.now() - started).toBeLessThan(300 + 2000);
    expect(stats).toMatchObject({ inFlight: 0, dropped: 2, delivered: 0 });
    expect(failures.map((f) => f.error.code)).toEqual([ErrorCodes.CLOSED]);
    expectAccounted(stats);
  });

  it('close() ends within closeTimeoutMs when the service never answers, aborting the request', async () => {
    const { client } = clientFor(emu, { closeTimeoutMs: 500 });
    await emu.down('hang');
    client.push(record(1));
    await until(() => client.stats().inFlight === 1);
    const started = Date.now();
    const stats = await client.close();
    expect(Date.now() - started).toBeLessThan(500 + 2000);
    expect(stats).toMatchObject({ inFlight: 0, dropped: 1 });
    expectAccounted(stats);
  });

  it('flush() settles during an outage once the records are given up', async () => {
    const { client } = clientFor(emu, { maxRetryTimeMs: 300, retryBaseMs: 50, retryMaxMs: 100 });
    await emu.down('refuse');
    client.push(record(1));
    const stats = await client.flush();
    expect(stats).toMatchObject({ delivered: 0, rejected: 1, bufferedBytes: 0 });
    await client.close();
    expectAccounted(client.stats());
  });
});

describe('honest diagnostics', () => {
  it('redacts a bearer token and a JWT that an error page echoes back', async () => {
    const token = emu.token();
    const page = `<html><body><h1>400 Bad Request</h1><pre>POST /dataCollectionRules HTTP/1.1
Authorization: Bearer ${token}
X-Debug: ${token}
</pre></body></html>`;
    const { client, failures, warnings } = clientFor(emu, { token });
    const published: unknown[] = [];
    const sub = (m: unknown) => published.push(m);
    diagnosticsChannel.subscribe(CHANNELS.requestEnd, sub);
    try {
      emu.faults.enqueue({ status: 400, body: page });
      client.push(record(1));
      await client.close();
    } finally {
      diagnosticsChannel.unsubscribe(CHANNELS.requestEnd, sub);
    }
    expect(failures).toHaveLength(1);
    const error = failures[0]?.error as IngestionError;
    const everything = [
      ...warnings,
      error.message,
      error.stack ?? '',
      JSON.stringify(error),
      JSON.stringify(published),
    ].join('\n');
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(token.split('.')[1]); // not even the payload
    expect(error.message).toContain('Authorization: [redacted]');
    expect(error.message).toContain('X-Debug: [redacted JWT]');
    expectAccounted(client.stats());
  });

  it('names the host and the DNS failure of an unknown endpoint', async () => {
    const { client, failures } = clientFor(emu, {
      url: 'https://ingest-test.invalid/dataCollectionRules/dcr-00000000000000000000000000000000/streams/Custom-AppLogs',
      maxRetryTimeMs: 0,
    });
    client.push(record(1));
    await client.close();
    const error = failures[0]?.error as IngestionError;
    expect(error.message).toMatch(
      /^1 record not delivered: (the host name ingest-test\.invalid was not found \(DNS: ENOTFOUND\)|DNS lookup of ingest-test\.invalid failed \(EAI_AGAIN\))/,
    );
    expect(error.hint).toMatch(/host name .*DNS/);
    expectAccounted(client.stats());
  });

  it('names the TLS failure of an untrusted certificate', async () => {
    const tlsEmu = await emulator({ https: true });
    try {
      const { client, failures } = clientFor(tlsEmu, { maxRetryTimeMs: 0 });
      client.push(record(1));
      await client.close();
      const error = failures[0]?.error as IngestionError;
      const at = `127.0.0.1:${new URL(tlsEmu.endpoint).port}`;
      expect(error.message).toMatch(
        new RegExp(
          `^1 record not delivered: TLS with ${at} failed \\(DEPTH_ZERO_SELF_SIGNED_CERT: `,
        ),
      );
      expect(error.hint).toMatch(/NODE_EXTRA_CA_CERTS/);
      expectAccounted(client.stats());
    } finally {
      await tlsEmu.stop();
    }
  });

  it('names the credential the application passed, not DefaultAzureCredential', async () => {
    class MyAppCredential implements TokenCredential {
      async getToken(): Promise<AccessToken | null> {
        throw new Error('AADSTS700016: application not found in the directory');
      }
    }
    const { client, failures, warnings } = clientFor(emu, {
      token: undefined,
      credential: new MyAppCredential(),
      maxRetryTimeMs: 0,
    });
    client.push(record(1));
    await client.close();
    const error = failures[0]?.error as IngestionError;
    expect(error.code).toBe(ErrorCodes.CREDENTIAL);
    expect(error.message).toContain('MyAppCredential could not get a token');
    expect(error.message).toContain('AADSTS700016');
    expect(error.hint).toMatch(/^check MyAppCredential/);
    expect([...warnings, error.message, error.hint].join('\n')).not.toContain(
      'DefaultAzureCredential',
    );
    expectAccounted(client.stats());
  });

  it('a 10 MB field: the marker states the bytes really cut', async () => {
    const { client } = clientFor(emu);
    const big = 'x'.repeat(10_000_000);
    client.push({ ...record(1), Properties: { big } });
    await client.close();
    const properties = emu.rows(TABLE)[0]?.Properties as string;
    expect(typeof properties).toBe('string'); // cut as text: the service would garble the JSON
    const cut = /…\[truncated (\d+) bytes\]$/.exec(properties);
    expect(cut).not.toBeNull();
    const kept = Buffer.byteLength(properties.slice(0, properties.lastIndexOf('…[truncated')));
    const original = Buffer.byteLength(JSON.stringify({ big }));
    expect(Number(cut?.[1])).toBe(original - kept);
    expectAccounted(client.stats());
  });
});
