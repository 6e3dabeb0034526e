// One instance of the fleet (see fleet.mjs): a client of the core that pushes FLEET_RATE records/s
// from FLEET_START_AT (epoch ms) for FLEET_SECONDS, then close()s and prints its counters as JSON.
// Each record carries `Properties: { p, i }` (instance, sequence) so the parent can check that
// every record was stored once.
//
// FLEET_CORE=/path/to/dist/index.mjs runs another build of the core (e.g. main's, the baseline).
import { pathToFileURL } from 'node:url';
import { realisticRecord } from './lib/records.mjs';

const env = process.env;
const { IngestionClient } = env.FLEET_CORE
  ? await import(pathToFileURL(env.FLEET_CORE).href)
  : await import('azure-ingestion-core');

const instance = Number(env.FLEET_INSTANCE);
const rate = Number(env.FLEET_RATE);
const startAt = Number(env.FLEET_START_AT);
const endAt = startAt + Number(env.FLEET_SECONDS) * 1000;
const TICK_MS = 50;

let warnings = 0;
const client = new IngestionClient(
  {
    url: env.FLEET_URL,
    token: env.FLEET_TOKEN,
    closeTimeoutMs: Number(env.FLEET_CLOSE_TIMEOUT_MS ?? 60_000),
    warn: () => warnings++,
    userAgent: `fleet-${instance}/1`,
  },
  {},
);

let i = 0;
const t0 = Date.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
await sleep(startAt - Date.now());
// Pushes what is due at each tick, so a late tick catches up instead of lowering the rate.
for (let now = Date.now(); now < endAt; now = Date.now()) {
  const due = Math.floor(((now - startAt) * rate) / 1000);
  for (; i < due; i++) {
    const record = realisticRecord(i, t0);
    record.Properties = { ...record.Properties, p: instance, i };
    client.push(record);
  }
  await sleep(TICK_MS - ((Date.now() - startAt) % TICK_MS));
}
const stats = await client.close();
process.stdout.write(`${JSON.stringify({ instance, warnings, closedAt: Date.now(), ...stats })}\n`);
