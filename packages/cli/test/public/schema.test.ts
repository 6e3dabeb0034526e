/**
 * `azure-ingestion schema`: real pino and winston output (and plain NDJSON) in, a proposal out;
 * the ARM template it writes, loaded into the emulator as the DCR, accepts the same logs sent
 * with `azure-ingestion send` and the proposed fieldColumns: no column dropped, no value nulled,
 * every proposed column filled with its type. The core's DCR reader takes the template too.
 */
import { Writable } from 'node:stream';
import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import winston from 'winston';
import { cli, ndjson, tempDir } from '../helpers.js';

const file = tempDir();

/** What a logger writes to a stream, as text. */
function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { stream, text: () => text };
}

/** Request logs with nested, typed fields (strings where numbers are meant, too). */
function requestFields(i: number) {
  return {
    user: { id: `u-${i % 7}`, name: `user ${i}` },
    responseTime: i % 3 === 0 ? `${i}.5` : i + 0.25,
    res: { statusCode: 200 + (i % 3) },
    paid: i % 2 === 0,
    startedAt: new Date(Date.now() - 60_000 + i).toISOString(),
    'x.request-id': `req-${i}`,
    tags: ['a', 'b'],
  };
}

function pinoLogs(): string {
  const out = capture();
  const logger = pino({ base: { pid: 1, hostname: 'web-1' } }, out.stream);
  for (let i = 0; i < 40; i++) logger.info(requestFields(i), 'request done');
  for (let i = 0; i < 3; i++) logger.warn({ cache: 'miss' }, 'slow cache');
  logger.error(new TypeError('boom'), 'failed');
  return out.text();
}

function winstonLogs(): string {
  const out = capture();
  const logger = winston.createLogger({
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      winston.format.json(),
    ),
    transports: [new winston.transports.Stream({ stream: out.stream })],
  });
  for (let i = 0; i < 40; i++) logger.info('request done', requestFields(i));
  logger.error(new TypeError('boom'));
  return out.text();
}

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

/** Proposes, loads the template into an emulator, sends the logs: checks nothing was lost. */
async function roundTrip(logs: string, map: 'pino' | 'winston') {
  const proposed = await cli(['schema', '--json', '--stream', 'Custom-Requests'], {}, logs);
  expect(proposed.code).toBe(0);
  const result = JSON.parse(proposed.stdout);
  expect(result.shape).toBe(map);
  const template = file(`${map}-template.json`, result.template);
  emu = await startEmulator({ port: 0, dcrs: [template] });
  const ruleId = emu.rules[0]!.ruleId;
  const env = {
    ...emu.env({ stream: 'Custom-Requests', ruleId }),
    AZURE_LOGS_INGESTION_FIELD_COLUMNS: result.fieldColumns,
  };
  // The template is a DCR file for the pre-flight too: it has nothing to say.
  const sent = await cli(['send', '--map', map, '--dcr', template], env, logs);
  expect(sent.stderr).not.toMatch(/pre-flight/);
  expect(sent.code).toBe(0);
  const lines = logs.trim().split('\n').length;
  await emu.waitForRows('Requests_CL', lines);
  expect(emu.counters()).toMatchObject({ rowsIngested: lines, columnsDropped: 0, typeErrors: 0 });
  return { result, rows: emu.rows('Requests_CL') };
}

const COLUMNS = [
  { name: 'UserId', type: 'string', field: 'user.id' },
  { name: 'UserName', type: 'string', field: 'user.name' },
  { name: 'ResponseTime', type: 'real', field: 'responseTime' },
  { name: 'ResStatusCode', type: 'int', field: 'res.statusCode' },
  { name: 'Paid', type: 'boolean', field: 'paid' },
  { name: 'StartedAt', type: 'datetime', field: 'startedAt' },
  { name: 'XRequestId', type: 'string', field: 'x\\.request-id' },
];

describe('azure-ingestion schema', () => {
  it('pino output: columns for the frequent fields, and the template takes the logs whole', async () => {
    const { result, rows } = await roundTrip(pinoLogs(), 'pino');
    expect(
      result.columns.map(({ name, type, field }: Record<string, string>) => ({
        name,
        type,
        field,
      })),
    ).toEqual(expect.arrayContaining(COLUMNS));
    // pid is in every line (Properties), cache in 3 of 44 (under 10 %), tags are not scalars.
    expect(result.columns.map((c: { name: string }) => c.name)).toContain('Pid');
    expect(result.columns.map((c: { name: string }) => c.name)).not.toContain('Cache');
    expect(result.columns.map((c: { name: string }) => c.name)).not.toContain('Tags');
    expect(result.fieldColumns).toContain('UserId:string=user.id');
    expect(result.fieldColumns).toContain('XRequestId:string=x\\.request-id');
    expect(result.alternativeTransformKql).toContain(
      "XRequestId = tostring(Properties['x.request-id'])",
    );
    const row = rows.find((r) => r.UserId === 'u-1')!;
    expect(row).toMatchObject({
      Message: 'request done',
      Host: 'web-1',
      ResStatusCode: 201,
      Paid: false,
      XRequestId: 'req-1',
      ResponseTime: 1.25,
    });
    expect(row.Properties).toEqual({ tags: ['a', 'b'] });
    expect(rows.find((r) => r.Level === 'error')).toMatchObject({
      Exception: { type: 'TypeError', message: 'boom' },
    });
  });

  it('winston output, the same way', async () => {
    const { result, rows } = await roundTrip(winstonLogs(), 'winston');
    expect(
      result.columns.map(({ name, type }: Record<string, string>) => ({ name, type })),
    ).toEqual(expect.arrayContaining(COLUMNS.map(({ name, type }) => ({ name, type }))));
    expect(rows.find((r) => r.UserId === 'u-2')).toMatchObject({
      Level: 'info',
      ResStatusCode: 202,
      Paid: true,
    });
  });

  it('other NDJSON: a column per key, reserved names renamed, TimeGenerated added', async () => {
    const records = Array.from({ length: 10 }, (_, i) => ({
      id: i,
      TenantId: 't',
      name: `n${i}`,
      ok: i > 4,
      meta: { a: i },
    }));
    const input = `${ndjson(records)}{"bad-key":1}\n`;
    const proposed = await cli(['schema', '--json', '--stream', 'Custom-Things'], {}, input);
    expect(proposed.code).toBe(0);
    const result = JSON.parse(proposed.stdout);
    expect(result.shape).toBe('raw');
    expect(result.streamColumns).toEqual([
      { name: 'id', type: 'int' },
      { name: 'TenantId', type: 'string' },
      { name: 'name', type: 'string' },
      { name: 'ok', type: 'boolean' },
      { name: 'meta', type: 'dynamic' },
    ]);
    expect(result.tableColumns.map((c: { name: string }) => c.name)).toEqual([
      'TimeGenerated',
      'IdField',
      'TenantIdField',
      'name',
      'ok',
      'meta',
    ]);
    expect(result.transformKql).toBe(
      'source | extend TimeGenerated = now() | project-rename IdField = id, TenantIdField = TenantId',
    );
    expect(result.notes).toEqual([expect.stringMatching(/^bad-key: not a valid column name/)]);
    emu = await startEmulator({ port: 0, dcrs: [result.template] });
    const sent = await cli(
      ['send'],
      emu.env({ stream: 'Custom-Things', ruleId: emu.rules[0]!.ruleId }),
      ndjson(records),
    );
    expect(sent.code).toBe(0);
    await emu.waitForRows('Things_CL', 10);
    expect(emu.counters()).toMatchObject({ columnsDropped: 0, typeErrors: 0 });
    expect(emu.rows('Things_CL')[3]).toMatchObject({
      IdField: 3,
      TenantIdField: 't',
      name: 'n3',
      ok: false,
      meta: { a: 3 },
    });
    expect(typeof emu.rows('Things_CL')[3]?.TimeGenerated).toBe('string');
  });

  it('writes Bicep variables for templates/main.bicep, and a summary on stderr', async () => {
    const run = await cli(['schema', '--format', 'bicep'], {}, pinoLogs());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\/\/ Generated by azure-ingestion schema from 44 pino logs/);
    expect(run.stdout).toContain("var tableName = 'AppLogs_CL'");
    expect(run.stdout).toContain("var streamName = 'Custom-AppLogs'");
    expect(run.stdout).toMatch(
      /var columns = \[\n {2}\{\n {4}name: 'TimeGenerated'\n {4}type: 'datetime'\n {2}\}/,
    );
    expect(run.stdout).toMatch(
      /\/\/ {3}AZURE_LOGS_INGESTION_FIELD_COLUMNS=.*UserId:string=user\.id/,
    );
    expect(run.stderr).toMatch(/azure-ingestion schema: 44 pino logs/);
    expect(run.stderr).toMatch(/ResStatusCode +int +91% {2}res\.statusCode/);
    expect(run.stderr).toMatch(
      /the transports fill them with: AZURE_LOGS_INGESTION_FIELD_COLUMNS='/,
    );
  });

  it('exits 1 without records, and 2 on bad flags', async () => {
    expect((await cli(['schema'], {}, 'not json\n')).code).toBe(1);
    const bad = await cli(['schema', '--format', 'yaml'], {}, '');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format must be one of arm, bicep/);
    expect((await cli(['schema', '--table', 'Orders'], {}, '')).stderr).toMatch(
      /--table must be a custom table name ending in _CL/,
    );
  });
});
