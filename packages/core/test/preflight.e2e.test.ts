/**
 * The schema pre-flight (`dcrFile`): DCR files in the forms Azure gives them, the checks of the
 * option against the destination, and the warnings, compared with what the emulator does to
 * the same records (columns dropped, values nulled). The default record against the project's
 * own DCR (templates/dcr.json) is never reported.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestionClient } from '../src/client.js';
import { ENV_VARS, resolveConfig } from '../src/config/resolve.js';
import { ConfigurationError } from '../src/errors.js';
import { COLUMN_TYPES, type ColumnType, storedByService } from '../src/record/column-types.js';
import { toDefaultRecord } from '../src/record/default-record.js';
import { loadDcrFile, readDcr } from '../src/schema/dcr-file.js';
import type { LogEntry } from '../src/types.js';

const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));
const DCR_JSON = join(TEMPLATES, 'dcr.json');
const ARM_JSON = join(TEMPLATES, 'azuredeploy.json');
const TEMPLATE_RULE = 'dcr-0b8f6c2d4e1a49b7a3c5d7e9f1a2b3c4';

const TYPED_RULE = `dcr-${'1'.repeat(32)}`;
const TYPED_COLUMNS: [string, ColumnType][] = [
  ['TimeGenerated', 'datetime'],
  ['Marker', 'string'],
  ['S1', 'string'],
  ['I1', 'int'],
  ['L1', 'long'],
  ['R1', 'real'],
  ['B1', 'boolean'],
  ['D1', 'datetime'],
  ['Y1', 'dynamic'],
];
const COLUMN_OF: Record<ColumnType, string> = {
  string: 'S1',
  int: 'I1',
  long: 'L1',
  real: 'R1',
  boolean: 'B1',
  datetime: 'D1',
  dynamic: 'Y1',
};
/** A DCR as `az monitor data-collection rule show` gives it, with one column per type. */
const TYPED_DCR = {
  name: 'dcr-typed',
  type: 'Microsoft.Insights/dataCollectionRules',
  properties: {
    immutableId: TYPED_RULE,
    streamDeclarations: {
      'Custom-Typed': { columns: TYPED_COLUMNS.map(([name, type]) => ({ name, type })) },
    },
    destinations: { logAnalytics: [{ name: 'w', workspaceResourceId: '/x' }] },
    dataFlows: [
      {
        streams: ['Custom-Typed'],
        destinations: ['w'],
        transformKql: 'source',
        outputStream: 'Custom-Typed_CL',
      },
    ],
  },
};

let dir: string;
let typedFile: string;
let emu: Emulator;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-'));
  typedFile = join(dir, 'typed.json');
  writeFileSync(typedFile, JSON.stringify(TYPED_DCR));
  emu = await startEmulator({ port: 0, dcrs: [DCR_JSON, TYPED_DCR] });
});
afterAll(async () => {
  await emu.stop();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('DCR files', () => {
  it('reads the resource as Azure exports it (templates/dcr.json)', () => {
    const [rule] = loadDcrFile(DCR_JSON);
    expect(rule?.immutableId).toBe(TEMPLATE_RULE);
    expect(rule?.logsIngestion).toMatch(/^https:\/\/dcr-applogs-/);
    expect([...(rule?.streams.get('Custom-AppLogs')?.entries() ?? [])]).toEqual([
      ['TimeGenerated', 'datetime'],
      ['Level', 'string'],
      ['SeverityNumber', 'int'],
      ['Message', 'string'],
      ['Exception', 'dynamic'],
      ['TraceId', 'string'],
      ['SpanId', 'string'],
      ['Host', 'string'],
      ['Properties', 'dynamic'],
      ['RecordId', 'string'],
    ]);
  });

  it("reads an ARM template's rule, with its [variables('…')] (templates/azuredeploy.json)", () => {
    const [rule] = loadDcrFile(ARM_JSON);
    const [exported] = loadDcrFile(DCR_JSON);
    expect(rule?.immutableId).toBe(undefined);
    expect(rule?.streams).toEqual(exported?.streams);
  });

  it('reads a list of rules', () => {
    const rules = readDcr([TYPED_DCR, TYPED_DCR.properties], 'list');
    expect(rules.map((r) => [...r.streams.keys()])).toEqual([['Custom-Typed'], ['Custom-Typed']]);
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.json'), /cannot read .*nope\.json/],
    ['text that is not JSON', () => file('bad.json', '{ nope'), /bad\.json is not JSON/],
    [
      'a template without a rule',
      () => file('t.json', { resources: [{ type: 'x' }] }),
      /without a Microsoft\.Insights\/dataCollectionRules/,
    ],
    [
      'a resource without streams',
      () => file('r.json', { properties: {} }),
      /no properties\.streamDeclarations/,
    ],
    [
      'a column of an unknown type',
      () =>
        file('c.json', {
          properties: {
            streamDeclarations: { 'Custom-A': { columns: [{ name: 'A1', type: 'guid' }] } },
          },
        }),
      /columns\[0\] is not a \{ name, type \}/,
    ],
  ])('names the problem of %s', (_case, path, message) => {
    expect(() => loadDcrFile(path())).toThrow(message);
  });
});

const TEMPLATE_DEST = {
  endpoint: 'https://x.ingest.monitor.azure.com',
  ruleId: TEMPLATE_RULE,
  streamName: 'Custom-AppLogs',
  token: 't',
};

function configProblems(options: Record<string, unknown>, env: Record<string, string> = {}) {
  try {
    resolveConfig(options, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }
  throw new Error('expected a ConfigurationError');
}

describe('the dcrFile option', () => {
  it('reads the stream of the destination, from the option or the variable', () => {
    const { config, schema } = resolveConfig(TEMPLATE_DEST, { [ENV_VARS.dcrFile]: DCR_JSON });
    expect(config.dcrFile).toBe(DCR_JSON);
    expect(schema?.stream).toBe('Custom-AppLogs');
    expect(schema?.columns.get('SeverityNumber')).toBe('int');
    expect(resolveConfig({ ...TEMPLATE_DEST, dcrFile: ARM_JSON }, {}).schema?.columns.size).toBe(
      10,
    );
  });

  it.each([
    [
      'the rule of another id',
      { ruleId: TYPED_RULE, dcrFile: DCR_JSON },
      /holds the rule dcr-0b8f.* not ruleId dcr-1111/,
    ],
    [
      'a stream it does not declare',
      { streamName: 'Custom-Other', dcrFile: DCR_JSON },
      /does not declare the stream Custom-Other \(it declares Custom-AppLogs\)/,
    ],
    [
      'a built-in stream',
      { streamName: 'Microsoft-Syslog', dcrFile: ARM_JSON },
      /cannot check Microsoft-Syslog/,
    ],
    ['a missing file', { dcrFile: join(tmpdir(), 'no-such-dcr-file.json') }, /cannot read/],
  ])('refuses %s', (_case, options, problem) => {
    const [p, ...rest] = configProblems({ ...TEMPLATE_DEST, ...options });
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ option: 'dcrFile', envVar: ENV_VARS.dcrFile });
    expect(p?.problem).toMatch(problem);
    expect(p?.fix).not.toBe('');
  });
});

/** A client on the emulator with the pre-flight; its warnings, one per finding. */
function checkedClient(options: Record<string, unknown>) {
  const warnings: string[] = [];
  const client = new IngestionClient(
    {
      token: emu.token(),
      warn: (line) => warnings.push(...line.split(/; (?=schema pre-flight)/)),
      warningIntervalMs: 0,
      ...options,
    },
    {},
  );
  return { client, warnings };
}

const T = Date.now() - 60_000;
const ENTRIES: LogEntry[] = [
  { time: T, level: 'info', severityNumber: 9, message: 'plain' },
  {
    time: new Date(T),
    level: 'error',
    severityNumber: 17,
    message: 'with error',
    error: new TypeError('boom'),
    host: 'h1',
  },
  {
    time: String(T),
    level: 'debug',
    severityNumber: 5,
    message: { an: 'object' },
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
  },
  {
    time: 'not a time',
    level: 'warn',
    severityNumber: 13,
    message: 'unreadable time',
    properties: { n: 1, s: 'x', nested: { deep: [1, null] } },
  },
  {
    time: T / 1000,
    level: '\u001b[32minfo\u001b[39m',
    severityNumber: 9,
    message: '',
    properties: { big: 2 ** 60, ok: false },
  },
];

describe('the default record against templates/dcr.json', () => {
  it('is never reported, and the emulator drops and nulls nothing', async () => {
    const before = emu.counters();
    const { client, warnings } = checkedClient({
      url: emu.streamUrl('Custom-AppLogs', TEMPLATE_RULE),
      dcrFile: DCR_JSON,
      recordId: true,
    });
    for (const entry of ENTRIES) client.push(toDefaultRecord(entry));
    for (const entry of ENTRIES) client.pushJson(JSON.stringify(toDefaultRecord(entry)));
    const stats = await client.close();
    expect(stats.delivered).toBe(ENTRIES.length * 2);
    expect(warnings).toEqual([]);
    const after = emu.counters();
    expect(after.columnsDropped - before.columnsDropped).toBe(0);
    expect(after.typeErrors - before.typeErrors).toBe(0);
  });
});

describe('findings, compared with the emulator', () => {
  it('says once per column what is dropped or nulled, with its source and the fix', async () => {
    const before = emu.counters();
    const { client, warnings } = checkedClient({
      url: emu.streamUrl('Custom-Typed', TYPED_RULE),
      dcrFile: typedFile,
      fieldColumns: 'Extra=extra',
    });
    for (let i = 0; i < 3; i++) {
      client.push({
        TimeGenerated: new Date(T).toISOString(),
        S1: 's',
        I1: 'many',
        R1: 1.5,
        Undeclared: i,
      });
    }
    // Through the adapters' record path: a field column the stream does not declare.
    client.push(
      toDefaultRecord(
        { time: T, level: 'info', severityNumber: 9, message: 'm', properties: { extra: 1 } },
        { columns: { Message: 'S1', Level: null, SeverityNumber: null } },
        [{ column: 'Extra', path: ['extra'], field: 'extra' }],
      ),
    );
    await client.close();
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toBe(
      `azure-ingestion-core: schema pre-flight: column I1 (field I1 of the record) holds a string but stream Custom-Typed of ${typedFile} declares it int: the service stores null. Fix: declare I1 as string, or send values of the declared type`,
    );
    expect(warnings[1]).toMatch(
      /^schema pre-flight: column Undeclared \(field Undeclared of the record\) is not declared in stream Custom-Typed .*: the service drops it\. Fix: declare \{"name":"Undeclared","type":"int"\} in the stream and the table/,
    );
    expect(warnings[2]).toMatch(
      /^schema pre-flight: column Extra \(field extra \(fieldColumns\)\) is not declared .* or remove Extra from fieldColumns to leave the value in Properties$/,
    );
    const after = emu.counters();
    // What the warnings predicted, per record: the emulator counted the same.
    expect(after.columnsDropped - before.columnsDropped).toBe(4);
    expect(after.typeErrors - before.typeErrors).toBe(3);
  });

  // [type, value]: every value is sent in its type's column; the pre-flight's rule says whether
  // the service keeps it, and the emulator's row must agree.
  const VALUES: [ColumnType, unknown][] = [
    ['string', 'text'],
    ['string', 12],
    ['string', true],
    ['string', { a: 1 }],
    ['int', 7],
    ['int', '7'],
    ['int', 7.5],
    ['int', 'seven'],
    ['int', true],
    ['int', 2 ** 31],
    ['long', 2 ** 40],
    ['long', '123'],
    ['long', 1.5],
    ['long', {}],
    ['real', 1.5],
    ['real', '2.5'],
    ['real', 'x'],
    ['real', false],
    ['boolean', true],
    ['boolean', 'false'],
    ['boolean', 1],
    ['boolean', 2],
    ['boolean', 'yes'],
    ['datetime', '2024-01-02T03:04:05.006Z'],
    ['datetime', '2024-01-02 03:04'],
    ['datetime', 1_700_000_000_000],
    ['datetime', 'Tue, 02 Jan 2024 03:04:05 GMT'],
    ['datetime', 'Tuesday, 02-Jan-24 03:04:05 EST'],
    ['datetime', '01/02/2024 03:04'],
    ['datetime', '2024-02-30'],
    ['datetime', '2024-01-02T24:00:00Z'],
    ['datetime', 'yesterday'],
    ['long', '1152921504606846976'],
    ['long', 2 ** 60],
    ['long', '99999999999999999999'],
    ['boolean', 'TRUE'],
    ['dynamic', [1, 'a']],
    ['dynamic', 'text'],
  ];

  it('agrees with the emulator on which values are kept or nulled, for every type', async () => {
    expect(new Set(VALUES.map(([t]) => t))).toEqual(new Set(COLUMN_TYPES));
    const { client } = checkedClient({
      url: emu.streamUrl('Custom-Typed', TYPED_RULE),
      warnings: false,
    });
    const marker = `run-${Date.now()}`;
    VALUES.forEach(([type, value], i) => {
      client.push({
        TimeGenerated: new Date(T).toISOString(),
        Marker: `${marker}-${i}`,
        [COLUMN_OF[type]]: value,
      });
    });
    await client.close();
    await emu.waitForRows('Typed_CL', VALUES.length);
    const rows = emu.rows('Typed_CL').filter((r) => String(r.Marker).startsWith(marker));
    expect(rows).toHaveLength(VALUES.length);
    const stored = VALUES.map(([type], i) => {
      const row = rows.find((r) => r.Marker === `${marker}-${i}`);
      return row?.[COLUMN_OF[type]] !== null;
    });
    expect(stored).toEqual(VALUES.map(([type, value]) => storedByService(type, value)));
  });
});
