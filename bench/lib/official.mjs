// The baseline of the end-to-end benches: @azure/monitor-ingestion's LogsIngestionClient
// uploading the same records the adapters produce, with the emulator's token, configured from
// the AZURE_LOGS_INGESTION_* variables (as the adapters are). Run it in a child process with
// NODE_EXTRA_CA_CERTS set to the emulator's CA (the official client refuses http with a token).
import { hostname } from 'node:os';
import { coreRequire } from './packages.mjs';

/** The merge object / meta every adapter bench logs (and the baseline uploads as Properties). */
export const message = (i) => ({ userId: 'u-1234', attempt: i, path: '/api/orders/42' });

/** The default record of the i-th log, as the baseline uploads it. */
export function defaultRecord(now, host, i) {
  return {
    TimeGenerated: new Date(now + i).toISOString(),
    Level: 'info',
    SeverityNumber: 9,
    Message: 'user signed in',
    Host: host,
    Properties: { pid: process.pid, ...message(i) },
  };
}

/**
 * Records/s of `upload()` of `n` records built beforehand (not timed), after a warm-up upload
 * of `warmup` records. Returns `{ rate, cpu }` (cpu: process CPU µs per record).
 */
export async function officialUploadRate(n, warmup) {
  const { LogsIngestionClient } = coreRequire('@azure/monitor-ingestion');
  const e = process.env;
  const credential = {
    getToken: async () => ({
      token: e.AZURE_LOGS_INGESTION_TOKEN,
      expiresOnTimestamp: Date.now() + 3_600_000,
    }),
  };
  const client = new LogsIngestionClient(e.AZURE_LOGS_INGESTION_ENDPOINT, credential);
  const now = Date.now();
  const host = hostname();
  const rule = e.AZURE_LOGS_INGESTION_RULE_ID;
  const stream = e.AZURE_LOGS_INGESTION_STREAM;
  const build = (count) => Array.from({ length: count }, (_, i) => defaultRecord(now, host, i));
  await client.upload(rule, stream, build(warmup));
  const records = build(n);
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await client.upload(rule, stream, records);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return { rate: n / s, cpu: (c.user + c.system) / n };
}

/**
 * The reference row of the e2e benchmarks, "core pushJson only": the same records as
 * `officialUploadRate`, as JSON text built beforehand (not timed), pushed into the core's
 * `IngestionClient` (the class given: the build under test) in one loop, then flushed, which
 * resolves once the service acknowledged them. `reps` batches after a warm-up of `warmup`
 * records; returns the fastest `{ rate, cpu }` (the rule of every role of those benchmarks).
 */
export async function corePushRate(IngestionClient, n, warmup, reps) {
  const client = new IngestionClient({});
  const now = Date.now();
  const host = hostname();
  const rec = (i) => JSON.stringify(defaultRecord(now, host, i));
  for (let i = 0; i < warmup; i++) client.pushJson(rec(i));
  await client.flush();
  let best;
  for (let rep = 0; rep < reps; rep++) {
    const records = Array.from({ length: n }, (_, i) => rec(i));
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (const r of records) client.pushJson(r);
    await client.flush();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    const run = { rate: n / s, cpu: (c.user + c.system) / n };
    if (best === undefined || run.rate > best.rate) best = run;
  }
  await client.close();
  return best;
}
