/**
 * Why rows or columns went missing, per stream and by name (what the console shows), and the
 * request log's rule, stream, duration and injected-fault marks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_NAMES, OTHER_NAMES } from '../src/dcr/shape.js';
import type { Emulator } from '../src/index.js';
import { DEFAULT_TABLE, MAX_FIELD_BYTES, startEmulator } from '../src/index.js';
import { post, record, V } from './helpers.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

describe('per-stream counters by name', () => {
  it('has an entry for every stream from the start, and again after reset', async () => {
    emu = await startEmulator();
    const { ruleId, streams } = emu.rules[0]!;
    const key = `${ruleId}/${streams[0]!.name}`;
    const empty = {
      ruleId,
      stream: streams[0]!.name,
      rowsReceived: 0,
      rowsIngested: 0,
      rowsDropped: 0,
      columnsDropped: {},
      valuesNulled: {},
      valuesTruncated: {},
      tableColumnsDropped: {},
      timeGeneratedReplaced: 0,
    };
    expect(emu.counters().byStream).toEqual({ [key]: empty });
    await post(emu.streamUrl() + V, [record({ Extra: 1 })], { token: emu.token() });
    expect(emu.counters().byStream[key]!.columnsDropped).toEqual({ Extra: 1 });
    emu.reset();
    expect(emu.counters().byStream).toEqual({ [key]: empty });
  });

  it('names the dropped properties, nulled and truncated columns, and counts replaced times', async () => {
    emu = await startEmulator();
    const body = [
      record({ TimeGenerated: '2020-05-01T00:00:00Z', userId: 'u1', __proto__x: 1 }),
      record({ SeverityNumber: 'high', userId: 'u2', Properties: 'y'.repeat(MAX_FIELD_BYTES + 5) }),
      JSON.parse('{"Message":"m","__proto__":{"polluted":true}}'),
    ];
    expect((await post(emu.streamUrl() + V, body, { token: emu.token() })).status).toBe(204);
    const c = emu.counters();
    const s = Object.values(c.byStream)[0]!;
    expect(s).toMatchObject({
      rowsReceived: 3,
      rowsIngested: 3,
      rowsDropped: 0,
      timeGeneratedReplaced: 1,
    });
    expect({ ...s.columnsDropped }).toEqual({ userId: 2, __proto__x: 1, ['__proto__']: 1 });
    expect({ ...s.valuesNulled }).toEqual({ SeverityNumber: 1 });
    expect({ ...s.valuesTruncated }).toEqual({ Properties: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The totals are as before.
    expect(c).toMatchObject({
      columnsDropped: 4,
      typeErrors: 1,
      valuesTruncated: 1,
      timeGeneratedReplaced: 1,
    });
    expect(emu.rows(DEFAULT_TABLE)).toHaveLength(3);
  });

  it('keeps at most MAX_NAMES names, counting the others together', async () => {
    emu = await startEmulator();
    const body = Array.from({ length: MAX_NAMES + 20 }, (_, i) => record({ [`k${i}`]: i }));
    await post(emu.streamUrl() + V, body, { token: emu.token() });
    await post(emu.streamUrl() + V, [record({ k0: 1, fresh: 1 })], { token: emu.token() });
    const dropped = Object.values(emu.counters().byStream)[0]!.columnsDropped;
    expect(Object.keys(dropped)).toHaveLength(MAX_NAMES + 1);
    expect(dropped.k0).toBe(2);
    expect(dropped[OTHER_NAMES]).toBe(21);
  });

  it('names the transform output columns the table lacks', async () => {
    const dcr = {
      properties: {
        immutableId: 'dcr-00000000000000000000000000000001',
        streamDeclarations: {
          'Custom-In': {
            columns: [
              { name: 'TimeGenerated', type: 'datetime' },
              { name: 'Message', type: 'string' },
            ],
          },
        },
        destinations: { logAnalytics: [{ name: 'la' }] },
        dataFlows: [
          {
            streams: ['Custom-In'],
            destinations: ['la'],
            outputStream: 'Custom-Out_CL',
            transformKql: "source | extend Extra = strcat(Message, '!')",
          },
        ],
      },
    };
    const table = {
      name: 'Out_CL',
      schema: {
        columns: [
          { name: 'TimeGenerated', type: 'datetime' },
          { name: 'Message', type: 'string' },
        ],
      },
    };
    emu = await startEmulator({ dcrs: [dcr], tables: [table] });
    const rows = [{ TimeGenerated: new Date().toISOString(), Message: 'a' }];
    expect((await post(emu.streamUrl() + V, rows, { token: emu.token() })).status).toBe(204);
    const s = emu.counters().byStream['dcr-00000000000000000000000000000001/Custom-In']!;
    expect({ ...s.tableColumnsDropped }).toEqual({ Extra: 1 });
  });
});

describe('the request log', () => {
  it('has the rule, the stream, a duration, and marks injected faults', async () => {
    emu = await startEmulator();
    emu.faults.enqueue(
      { status: 503 },
      // biome-ignore lint/suspicious/noThenProperty: `then` is the Fault API's name for the follow-up answer.
      { latencyMs: 1, then: { status: 429, retryAfter: '2' } },
    );
    const url = emu.streamUrl() + V;
    expect((await post(url, [record()], { token: emu.token() })).status).toBe(503);
    expect((await post(url, [record()], { token: emu.token() })).status).toBe(429);
    expect((await post(url, [record()], { token: emu.token() })).status).toBe(204);
    const { ruleId, streams } = emu.rules[0]!;
    const log = emu.requests();
    expect(log.map((r) => r.fault)).toEqual([
      '503',
      'latency 1 ms then 429 retry-after 2',
      undefined,
    ]);
    for (const r of log) {
      expect(r).toMatchObject({ ruleId, stream: streams[0]!.name });
      expect(r.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(log[2]).toMatchObject({ status: 204, records: 1 });
    expect(log[2]!.fault).toBeUndefined();
  });
});
