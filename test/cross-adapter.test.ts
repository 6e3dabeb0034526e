/**
 * The two adapters map the same log to the same record: the same logical logs go through
 * winston and through pino (package names, the built dist) to the emulator, and the stored rows
 * are compared column by column. A difference here is a rule one adapter applies and the other
 * does not.
 */
import { fileURLToPath } from 'node:url';
import { DEFAULT_COLUMNS } from 'azure-ingestion-core/adapter';
import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, type LogicalLog, type MakeAdapter } from './helpers/adapters.js';

const TABLE = 'AppLogs_CL';
/** Every column of the default record (RecordId is off: it is random per record). */
const COLUMNS = DEFAULT_COLUMNS.filter((c) => c !== 'RecordId');

// Recent times: the service (and the emulator) replace a TimeGenerated older than 2 days.
const T = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
const iso = (ms: number) => new Date(ms).toISOString();
/** The same instant written in UTC+02:00. */
const isoPlus2 = (ms: number) => `${iso(ms + 7_200_000).slice(0, -1)}+02:00`;

function failure(): Error {
  const error = new TypeError('payment declined');
  (error as Error & { code?: string }).code = 'E_DECLINED';
  return error;
}

/** Each message is unique: rows are matched by it. */
const LOGS: readonly LogicalLog[] = [
  { level: 'info', message: 'plain', time: T },
  { level: 'debug', message: 'debug level', time: T + 1 },
  { level: 'warn', message: 'warn level', time: T + 2 },
  { level: 'error', message: 'error level', time: T + 3 },
  {
    level: 'info',
    message: 'fields of every JSON kind',
    time: T + 4,
    fields: {
      userId: 'u-1',
      attempt: 3,
      ratio: 0.25,
      ok: true,
      none: null,
      tags: ['a', 'b'],
      nested: { deep: { deeper: 1 } },
    },
  },
  { level: 'info', message: 'epoch seconds', time: T / 1000 },
  { level: 'info', message: 'epoch ms as text', time: String(T + 5) },
  { level: 'info', message: 'ISO time', time: iso(T + 6) },
  { level: 'info', message: 'ISO time with an offset', time: isoPlus2(T + 14) },
  { level: 'info', message: 'unreadable time', time: 'yesterday', fields: { a: 1 } },
  {
    level: 'info',
    message: 'ids, snake_case',
    time: T + 7,
    fields: { trace_id: 't-1', span_id: 's-1', trace_flags: '01' },
  },
  {
    level: 'info',
    message: 'ids, camelCase',
    time: T + 8,
    fields: { traceId: 't-2', spanId: 's-2' },
  },
  {
    level: 'info',
    message: 'ids, both spellings',
    time: T + 9,
    fields: { traceId: 'camel', trace_id: 'snake', spanId: '', span_id: 's-3' },
  },
  {
    level: 'info',
    message: 'ids, empty first',
    time: T + 10,
    fields: { trace_id: '', traceId: 'abc' },
  },
  {
    level: 'info',
    message: 'ids, not strings',
    time: T + 11,
    fields: { trace_id: 42, spanId: { id: 1 } },
  },
  { level: 'error', message: 'with an error', time: T + 12, error: failure() },
  {
    level: 'info',
    message: 'text that needs escapes: "quotes", \\ back\nslash, tab\t, caf\u00e9 \u{1f600}',
    time: T + 13,
    fields: { 'key with "quotes"': 'value\u0001' },
  },
];

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.stop());

/** The rows one adapter stores for LOGS, by message. */
async function rowsOf(make: MakeAdapter): Promise<Map<string, Record<string, unknown>>> {
  emu.reset();
  const adapter = await make({ url: emu.streamUrl(), token: emu.token(), warnings: false });
  for (const log of LOGS) adapter.log(log);
  await adapter.flush();
  await adapter.close();
  const c = emu.counters();
  expect([c.columnsDropped, c.typeErrors, c.rowsDropped]).toEqual([0, 0, 0]);
  return new Map(emu.rows(TABLE).map((r) => [String(r.Message), r]));
}

describe('winston and pino send the same rows for the same logs', () => {
  let winston: Map<string, Record<string, unknown>>;
  let pino: Map<string, Record<string, unknown>>;
  beforeAll(async () => {
    const [[, makeWinston], [, makePino]] = ADAPTERS as [
      [string, MakeAdapter],
      [string, MakeAdapter],
    ];
    winston = await rowsOf(makeWinston);
    pino = await rowsOf(makePino);
  });

  it('stores one row per log in both', () => {
    expect([...winston.keys()].sort()).toEqual(LOGS.map((l) => l.message).sort());
    expect([...pino.keys()].sort()).toEqual(LOGS.map((l) => l.message).sort());
  });

  for (const log of LOGS) {
    it(`column by column: ${log.message.split(':')[0]}`, () => {
      const w = winston.get(log.message);
      const p = pino.get(log.message);
      for (const column of COLUMNS) {
        // An unreadable time makes each record take the time of its own call.
        if (column === 'TimeGenerated' && log.message === 'unreadable time') continue;
        expect(p?.[column], column).toEqual(w?.[column]);
      }
    });
  }

  it('reads the times alike, and writes the error alike (the table is in adapter-rules.test.ts)', () => {
    for (const rows of [winston, pino]) {
      expect(rows.get('ISO time with an offset')?.TimeGenerated).toBe(iso(T + 14));
      expect(rows.get('epoch seconds')?.TimeGenerated).toBe(iso(T));
      expect(rows.get('with an error')?.Exception).toMatchObject({
        type: 'TypeError',
        message: 'payment declined',
        code: 'E_DECLINED',
      });
    }
  });

  it('keeps an unreadable time in Properties, under the same key, in both', () => {
    for (const rows of [winston, pino]) {
      expect(rows.get('unreadable time')?.Properties).toEqual({ a: 1, timestamp: 'yesterday' });
    }
  });
});

describe('the schema pre-flight against templates/dcr.json', () => {
  const DCR_FILE = fileURLToPath(new URL('../templates/dcr.json', import.meta.url));
  let template: Emulator;
  beforeAll(async () => {
    template = await startEmulator({ port: 0, dcrs: [DCR_FILE] });
  });
  afterAll(() => template.stop());

  it.each(ADAPTERS)(
    '%s: says nothing about the default record, and nothing is dropped',
    async (_name, make) => {
      template.reset();
      const warnings: string[] = [];
      const [rule] = template.rules;
      const adapter = await make({
        url: template.streamUrl('Custom-AppLogs', rule!.ruleId),
        token: template.token(),
        dcrFile: DCR_FILE,
        recordId: true,
        warn: (line: string) => warnings.push(line),
        warningIntervalMs: 0,
      });
      for (const log of LOGS) adapter.log(log);
      await adapter.flush();
      await adapter.close();
      expect(warnings).toEqual([]);
      const c = template.counters();
      expect([c.rowsIngested, c.columnsDropped, c.typeErrors]).toEqual([LOGS.length, 0, 0]);
    },
  );
});
