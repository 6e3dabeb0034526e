/**
 * Sharding: one client spreading its requests over several rules of the emulator, each rule with
 * its own throttle and failure state (delivery/shard-set.ts).
 */
import { DEFAULT_DCR, DEFAULT_RULE_ID, type Emulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  clientFor,
  emulator,
  expectAccounted,
  ManualClock,
  record,
  TABLE,
  type TestOptions,
  until,
} from './helpers.js';

const RULE_B = 'dcr-0000000000000000000000000000000b';
const RULE_C = 'dcr-0000000000000000000000000000000c';
const RULES = [DEFAULT_RULE_ID, RULE_B, RULE_C];

let emu: Emulator;
beforeAll(async () => {
  const copy = (immutableId: string, name: string) => ({
    ...DEFAULT_DCR,
    name,
    properties: { ...DEFAULT_DCR.properties, immutableId },
  });
  emu = await emulator({ dcrs: [DEFAULT_DCR, copy(RULE_B, 'dcr-b'), copy(RULE_C, 'dcr-c')] });
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

function setup(options: TestOptions = {}) {
  const clock = new ManualClock();
  const url = emu.streamUrl().replace(DEFAULT_RULE_ID, '{rule}');
  const urls = RULES.map((r) => url.replace('{rule}', r));
  return { clock, ...clientFor(emu, { url: urls, maxConcurrency: 1, ...options }, clock) };
}

/** Which rule each logged request went to. */
const rulesHit = () =>
  emu
    .requests()
    .map((r) => [RULES.indexOf(/dataCollectionRules\/([^/]+)/.exec(r.path)?.[1] ?? ''), r.status]);

async function send(client: { push(r: object): boolean; flush(): Promise<unknown> }, i: number) {
  client.push(record(i));
  await client.flush();
}

describe('several rules (sharding)', () => {
  it('spreads requests round robin over the rules, every record stored once', async () => {
    const { client } = setup();
    for (let i = 0; i < 6; i++) await send(client, i);
    expect(rulesHit()).toEqual([
      [0, 204],
      [1, 204],
      [2, 204],
      [0, 204],
      [1, 204],
      [2, 204],
    ]);
    expect(emu.rows(TABLE)).toHaveLength(6);
    expectAccounted(await client.close());
  });

  it('avoids a throttled rule until its Retry-After, sending to the others meanwhile', async () => {
    const { clock, client } = setup();
    emu.faults.enqueue({ status: 429, retryAfter: '30' });
    await send(client, 0); // rule 0: 429, then at once rule 1
    for (let i = 1; i < 4; i++) await send(client, i);
    expect(rulesHit()).toEqual([
      [0, 429],
      [1, 204],
      [2, 204],
      [1, 204],
      [2, 204],
    ]);
    expect(clock.pending(30_000)).toHaveLength(0); // no pause: other rules were available
    clock.nowMs += 30_000;
    await send(client, 4);
    await send(client, 5);
    expect(rulesHit().slice(5)).toEqual([
      [0, 204],
      [1, 204],
    ]);
    const stats = await client.close();
    expect(stats).toMatchObject({ delivered: 6, retried: 1 });
    expectAccounted(stats);
  });

  it('pauses the client only when every rule is throttled, until the first is back', async () => {
    const { clock, client } = setup();
    emu.faults.enqueue(
      { status: 429, retryAfter: '20' },
      { status: 429, retryAfter: '10' },
      { status: 429, retryAfter: '30' },
    );
    client.push(record(0));
    const flushed = client.flush();
    await until(() => clock.pending(10_000).length === 1); // rule 1 is back first
    expect(emu.rows(TABLE)).toHaveLength(0);
    clock.nowMs += 10_000;
    clock.fire(10_000);
    await flushed;
    expect(rulesHit()).toEqual([
      [0, 429],
      [1, 429],
      [2, 429],
      [1, 204],
    ]);
    expectAccounted(await client.close());
  });

  it('moves a batch to another rule after a network-level failure of one', async () => {
    const { client } = setup();
    emu.faults.enqueue({ reset: true });
    await send(client, 0);
    expect(rulesHit()).toEqual([
      [0, 0],
      [1, 204],
    ]);
    expect(emu.rows(TABLE)).toHaveLength(1);
    expectAccounted(await client.close());
  });

  it('does not retry a permanent error on another rule', async () => {
    const { client, failures } = setup();
    emu.faults.enqueue({ status: 403 });
    await send(client, 0);
    expect(rulesHit()).toEqual([[0, 403]]);
    expect(failures.map((f) => f.error.code)).toEqual(['ERR_INGESTION_FORBIDDEN']);
    expectAccounted(await client.close());
  });
});
