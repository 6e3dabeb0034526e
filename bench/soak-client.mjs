// The client side of the soak (see soak.mjs): logs SOAK_RATE records/s through the core for
// SOAK_SECONDS, each record carrying the time it was logged (Properties.t, for the latency the
// parent reads from the stored rows), and prints one JSON line of figures every SOAK_SAMPLE_MS:
// RSS, heap (after a GC), active handles, open file descriptors and sockets, and the client's
// counters (a request every 500 ms: flushIntervalMs is lowered to meet more faults). Then it
// closes the client and prints its final counters.
//
// Run with --expose-gc (soak.mjs does), so heap figures are live objects, not garbage.
import { readdirSync, readlinkSync } from 'node:fs';
import { IngestionClient } from 'azure-ingestion-core';

const env = process.env;
const rate = Number(env.SOAK_RATE ?? 500);
const seconds = Number(env.SOAK_SECONDS ?? 60);
const sampleMs = Number(env.SOAK_SAMPLE_MS ?? 5000);
const TICK_MS = 50;
const line = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);

let failures = 0;
const client = new IngestionClient(
  {
    url: env.SOAK_URL,
    token: env.SOAK_TOKEN,
    warnings: false,
    flushIntervalMs: 500,
    retryMaxMs: 2000,
    onError: (f) => {
      failures += f.records.length;
    },
  },
  {},
);

/**
 * Open file descriptors and, among them, sockets (Linux: /proc/self/fd). Idle keep-alive
 * sockets are unref'd, so the list of active handles does not show them; the fds do.
 */
function descriptors() {
  try {
    const fds = readdirSync('/proc/self/fd');
    let sockets = 0;
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:')) sockets++;
      } catch {
        // closed between the listing and the read
      }
    }
    return { fds: fds.length, sockets };
  } catch {
    return { fds: Number.NaN, sockets: Number.NaN }; // no /proc (macOS, Windows)
  }
}

function sample(t) {
  globalThis.gc?.();
  const mem = process.memoryUsage();
  const handles = {};
  for (const kind of process.getActiveResourcesInfo()) handles[kind] = (handles[kind] ?? 0) + 1;
  const s = client.stats();
  line({
    kind: 'sample',
    t,
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    external: mem.external, // Buffers included (arrayBuffers is a part of it)
    handles: Object.values(handles).reduce((a, b) => a + b, 0),
    ...descriptors(),
    bufferedBytes: s.bufferedBytes,
    inFlight: s.inFlight,
    accepted: s.accepted,
    delivered: s.delivered,
    retried: s.retried,
  });
}

const start = Date.now();
const end = start + seconds * 1000;
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
let i = 0;
let nextSample = start + sampleMs;
for (let now = Date.now(); now < end; now = Date.now()) {
  const due = Math.floor(((now - start) * rate) / 1000);
  for (; i < due; i++) {
    client.push({
      TimeGenerated: new Date(now).toISOString(),
      Level: i % 10 === 0 ? 'warn' : 'info',
      SeverityNumber: i % 10 === 0 ? 13 : 9,
      Message: `request ${i} completed in ${i % 300} ms`,
      Host: 'soak',
      Properties: { i, t: now, route: `/api/items/${i % 1000}` },
    });
  }
  if (now >= nextSample) {
    sample(now - start);
    nextSample += sampleMs;
  }
  await sleep(TICK_MS - ((Date.now() - start) % TICK_MS));
}
const stats = await client.close();
line({ kind: 'final', failures, ...stats });
