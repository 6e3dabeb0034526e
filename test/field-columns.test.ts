/**
 * `fieldColumns` end to end, configured by environment variables alone (as an app in Azure is):
 * winston, pino's real worker thread and the pino CLI pipe send the same log into a stream with
 * typed custom columns (a DCR loaded into the emulator). Each value lands in its column with
 * the column's type and is gone from Properties; the schema pre-flight (`AZURE_LOGS_INGESTION_DCR_FILE`)
 * finds nothing to say, and the emulator drops and nulls nothing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_COLUMN_TYPES } from 'azure-ingestion-core/adapter';
import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import pino from 'pino';
import { EVENTS } from 'pino-azure-ingestion';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import winston from 'winston';
import { AzureIngestionTransport } from 'winston-transport-azure-ingestion';
import { closePino } from './helpers/pino.js';

const RULE = `dcr-${'2'.repeat(32)}`;
const STREAM = 'Custom-Orders';
const TABLE = 'Orders_CL';
const CUSTOM = [
  ['UserId', 'string'],
  ['DurationMs', 'real'],
  ['StatusCode', 'int'],
  ['Paid', 'boolean'],
  ['PlacedAt', 'datetime'],
  ['Items', 'dynamic'],
  ['Route', 'string'],
] as const;

/** A DCR whose stream has the default columns and typed custom ones. */
const DCR = {
  name: 'dcr-orders',
  type: 'Microsoft.Insights/dataCollectionRules',
  properties: {
    immutableId: RULE,
    streamDeclarations: {
      [STREAM]: {
        columns: [...Object.entries(DEFAULT_COLUMN_TYPES), ...CUSTOM].map(([name, type]) => ({
          name,
          type,
        })),
      },
    },
    destinations: { logAnalytics: [{ name: 'w', workspaceResourceId: '/w' }] },
    dataFlows: [
      {
        streams: [STREAM],
        destinations: ['w'],
        transformKql: 'source',
        outputStream: `Custom-${TABLE}`,
      },
    ],
  },
};

const FIELD_COLUMNS =
  'UserId=user.id,DurationMs:real=responseTime,StatusCode:int=res.statusCode,Paid:boolean=paid,' +
  'PlacedAt:datetime=placedAt,Items:dynamic=order.items,Route=req.url\\.path';

const PLACED = Date.now() - 60_000;
/** The fields of the log: strings where the columns want numbers, a dotted key, nesting. */
const FIELDS = {
  user: { id: 'u-1', name: 'Ada' },
  responseTime: '12.5',
  res: { statusCode: '201' },
  paid: 'true',
  placedAt: PLACED,
  order: { id: 9, items: [{ sku: 'a', qty: 2 }] },
  req: { 'url.path': '/orders' },
  other: 'kept',
};
const EXPECTED_COLUMNS = {
  UserId: 'u-1',
  DurationMs: 12.5,
  StatusCode: 201,
  Paid: true,
  PlacedAt: new Date(PLACED).toISOString(),
  Items: [{ sku: 'a', qty: 2 }],
  Route: '/orders',
};
const EXPECTED_PROPERTIES = { user: { name: 'Ada' }, order: { id: 9 }, other: 'kept' };

let emu: Emulator;
let dir: string;
let env: Record<string, string>;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, dcrs: [DCR] });
  dir = mkdtempSync(join(tmpdir(), 'field-columns-'));
  const dcrFile = join(dir, 'orders-dcr.json');
  writeFileSync(dcrFile, JSON.stringify(DCR));
  env = {
    ...emu.env({ stream: STREAM, ruleId: RULE }),
    AZURE_LOGS_INGESTION_FIELD_COLUMNS: FIELD_COLUMNS,
    AZURE_LOGS_INGESTION_DCR_FILE: dcrFile,
    AZURE_LOGS_INGESTION_WARNING_INTERVAL_MS: '0',
  };
});
afterAll(async () => {
  await emu.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The stored row of the log whose message is `message`. */
async function rowOf(message: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const row = emu.rows(TABLE).find((r) => r.Message === message);
    if (row) return row;
    if (Date.now() > deadline) throw new Error(`no row with Message ${message}`);
    await emu.waitForRows(TABLE, emu.rows(TABLE).length + 1, 2000).catch(() => {});
  }
}

function expectTyped(row: Record<string, unknown>): void {
  expect(row).toMatchObject(EXPECTED_COLUMNS);
  expect(row.Properties).toEqual(EXPECTED_PROPERTIES);
  expect(row.Host).toBe(hostname());
}

/**
 * Delivers what the worker holds, then ends it: ending blocks this thread, where the emulator
 * runs, so the worker must have nothing left to send by then.
 */
async function flushAndEnd(logger: pino.Logger): Promise<void> {
  await new Promise<void>((resolve, reject) => logger.flush((e) => (e ? reject(e) : resolve())));
  await closePino(logger);
}

/** Runs `fn` with `vars` set in process.env (a pino worker copies it when it starts). */
function withProcessEnv<T>(vars: Record<string, string>, fn: () => T): T {
  const saved = { ...process.env };
  Object.assign(process.env, vars);
  try {
    return fn();
  } finally {
    for (const key of Object.keys(vars)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
}

describe('fieldColumns from the environment, into typed columns', () => {
  it('winston', async () => {
    const before = emu.counters();
    const warnings: string[] = [];
    const transport = new AzureIngestionTransport({ warn: (l) => warnings.push(l) }, env);
    const logger = winston.createLogger({ transports: [transport] });
    logger.info('winston order', FIELDS);
    await transport.close();
    expectTyped(await rowOf('winston order'));
    expect(warnings).toEqual([]);
    expect(emu.counters()).toMatchObject({
      columnsDropped: before.columnsDropped,
      typeErrors: before.typeErrors,
    });
  });

  it("pino's worker thread", async () => {
    const before = emu.counters();
    const transport = withProcessEnv(env, () => pino.transport({ target: 'pino-azure-ingestion' }));
    const warnings: string[] = [];
    transport.on(EVENTS.warning, (line: string) => warnings.push(line));
    const logger = pino({ base: { hostname: hostname() } }, transport);
    logger.info(FIELDS, 'pino worker order');
    await flushAndEnd(logger);
    expectTyped(await rowOf('pino worker order'));
    expect(warnings).toEqual([]);
    expect(emu.counters()).toMatchObject({
      columnsDropped: before.columnsDropped,
      typeErrors: before.typeErrors,
    });
  });

  it("pino's worker thread, with the object form in the (structured-cloned) options", async () => {
    const { AZURE_LOGS_INGESTION_FIELD_COLUMNS: _, ...destination } = env;
    const transport = withProcessEnv(destination, () =>
      pino.transport({
        target: 'pino-azure-ingestion',
        options: {
          fieldColumns: {
            UserId: 'user.id',
            DurationMs: { path: 'responseTime', type: 'real' },
            StatusCode: { path: ['res', 'statusCode'], type: 'int' },
            Paid: { path: 'paid', type: 'boolean' },
            PlacedAt: { path: 'placedAt', type: 'datetime' },
            Items: { path: 'order.items', type: 'dynamic' },
            Route: { path: ['req', 'url.path'] },
          },
        },
      }),
    );
    const logger = pino({ base: { hostname: hostname() } }, transport);
    logger.info(FIELDS, 'pino options order');
    await flushAndEnd(logger);
    expectTyped(await rowOf('pino options order'));
  });

  it('the pino CLI pipe', async () => {
    const before = emu.counters();
    const line = JSON.stringify({
      level: 30,
      time: Date.now(),
      hostname: hostname(),
      ...FIELDS,
      msg: 'pino cli order',
    });
    const pkg = createRequire(import.meta.url).resolve('pino-azure-ingestion/package.json');
    const cliEnv = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('AZURE_LOGS_INGESTION_')),
    );
    const child = spawn(process.execPath, [join(dirname(pkg), 'dist', 'cli.mjs')], {
      env: { ...cliEnv, ...env },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.end(`${line}\n`);
    expect(await code).toBe(0);
    expect(stderr).toMatch(/1 lines \(0 not JSON\), 1 delivered/);
    expect(stderr).not.toMatch(/pre-flight/);
    expectTyped(await rowOf('pino cli order'));
    expect(emu.counters()).toMatchObject({
      columnsDropped: before.columnsDropped,
      typeErrors: before.typeErrors,
    });
  });

  it('the pre-flight names a field column the stream does not declare', async () => {
    const warnings: string[] = [];
    const transport = new AzureIngestionTransport(
      { warn: (l) => warnings.push(l) },
      { ...env, AZURE_LOGS_INGESTION_FIELD_COLUMNS: `${FIELD_COLUMNS},Other=other` },
    );
    const logger = winston.createLogger({ transports: [transport] });
    logger.info('undeclared', FIELDS);
    await transport.close();
    expect(warnings.join('\n')).toMatch(
      /schema pre-flight: column Other \(field other \(fieldColumns\)\) is not declared in stream Custom-Orders of .*orders-dcr\.json: the service drops it\. Fix: declare \{"name":"Other","type":"string"\} in the stream and the table, or remove Other from fieldColumns/,
    );
    expect((await rowOf('undeclared')).Other).toBe(undefined);
  });
});
