/**
 * Destination tables: definitions from ARM templates, table resources and `az` / REST output;
 * the check Azure runs when a DCR is created (InvalidTransformOutput); columns the table lacks
 * dropped and counted per request; tables inferred with a warning when none is given.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTables } from '../src/dcr/tables.js';
import {
  DEFAULT_DCR,
  DEFAULT_TABLE,
  DEFAULT_TABLE_DEFINITION,
  startEmulator,
} from '../src/index.js';
import { post, record, V } from './helpers.js';

const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'templates');
const dir = mkdtempSync(join(tmpdir(), 'emu-tables-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RULE = 'dcr-00000000000000000000000000000abc';
const STREAM = 'Custom-Events';

function dcr(
  columns: Array<{ name: string; type: string }>,
  transformKql = 'source',
  outputStream = 'Custom-Events_CL',
) {
  return {
    name: 'dcr-events',
    id: '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.Insights/dataCollectionRules/dcr-events',
    type: 'Microsoft.Insights/dataCollectionRules',
    properties: {
      immutableId: RULE,
      streamDeclarations: { [STREAM]: { columns } },
      dataFlows: [{ streams: [STREAM], destinations: ['w'], transformKql, outputStream }],
    },
  };
}

/** A table as `az monitor log-analytics workspace table show` prints it (properties flattened). */
function azTable(columns: Array<{ name: string; type: string }>, name = 'Events_CL') {
  return {
    id: `/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law/tables/${name}`,
    name,
    plan: 'Analytics',
    provisioningState: 'Succeeded',
    resourceGroup: 'rg',
    retentionInDays: 30,
    schema: {
      columns: columns.map((c) => ({
        ...c,
        dataTypeHint: null,
        description: null,
        isDefaultDisplay: false,
        isHidden: false,
      })),
      name,
      standardColumns: [{ name: 'TenantId', type: 'guid' }],
      tableSubType: 'DataCollectionRuleBased',
      tableType: 'CustomLog',
    },
    type: 'Microsoft.OperationalInsights/workspaces/tables',
  };
}

const COLS = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'Message', type: 'string' },
  { name: 'Count', type: 'int' },
];

describe('table definitions', () => {
  it('reads ARM templates (expressions resolved), table resources, az and REST output', () => {
    const [arm] = loadTables([join(TEMPLATES, 'azuredeploy.json')]);
    expect(arm!.name).toBe('AppLogs_CL');
    expect(arm!.columns.get('SeverityNumber')).toBe('int');
    expect(arm!.columns.get('TenantId')).toBe('guid');
    expect(arm!.source).toMatch(/azuredeploy\.json: resources\[0\]$/);
    const [resource] = loadTables([DEFAULT_TABLE_DEFINITION]);
    expect([...resource!.columns.keys()]).toContain('Properties');
    const [az] = loadTables([azTable(COLS)]);
    expect(az!.columns.get('TimeGenerated')).toBe('datetime');
    const rest = {
      name: 'X_CL',
      properties: {
        schema: {
          name: 'X_CL',
          columns: [
            { name: 'TimeGenerated', type: 'dateTime' },
            { name: 'B', type: 'boolean' },
          ],
        },
      },
    };
    const [fromRest] = loadTables([rest]);
    expect(Object.fromEntries(fromRest!.columns)).toEqual({
      TimeGenerated: 'datetime',
      B: 'bool',
      TenantId: 'guid',
    });
    const file = join(dir, 'table.json');
    writeFileSync(file, JSON.stringify([azTable(COLS), rest]));
    expect(loadTables([file]).map((t) => t.name)).toEqual(['Events_CL', 'X_CL']);
  });

  it('refuses definitions without a schema, name or valid column types', () => {
    expect(() => loadTables([{ name: 'A_CL' }])).toThrow(
      /tables\[0\]: a table needs schema\.columns/,
    );
    expect(() => loadTables([{ schema: { columns: [{ name: 'A', type: 'string' }] } }])).toThrow(
      /has no name/,
    );
    expect(() => loadTables([azTable([{ name: 'A', type: 'text' }])])).toThrow(
      /schema\.columns\[0\] must be \{ name, type \}/,
    );
    expect(() => loadTables([{ resources: [] }])).toThrow(
      /without a microsoft\.operationalinsights\/workspaces\/tables resource/,
    );
    expect(() => loadTables([join(dir, 'missing.json')])).toThrow(/Cannot read table file/);
  });
});

describe('DCR output checked against its table, as Azure does at creation', () => {
  it('refuses bad options naming the option', async () => {
    await expect(startEmulator({ tables: 'table.json' as never })).rejects.toThrow(
      /option tables must be an array of table definitions/,
    );
    await expect(startEmulator({ cloud: 'mars' as never })).rejects.toThrow(
      /option cloud must be one of public, usgov, china, got "mars"/,
    );
  });

  it('serves the default DCR with its table checked, and no warning', async () => {
    const emu = await startEmulator();
    try {
      expect(emu.tables).toEqual([
        {
          name: DEFAULT_TABLE,
          columns: expect.arrayContaining([{ name: 'Exception', type: 'dynamic' }]),
          source: 'tables[0]',
        },
      ]);
      expect(emu.counters().warnings).toEqual([]);
    } finally {
      await emu.stop();
    }
  });

  it('loads templates/azuredeploy.json: the DCR and its table from one template, checked', async () => {
    const emu = await startEmulator({ dcrs: [join(TEMPLATES, 'azuredeploy.json')] });
    try {
      expect(emu.tables.map((t) => [t.name, t.source.endsWith('resources[0]')])).toEqual([
        [DEFAULT_TABLE, true],
      ]);
      expect(emu.counters().warnings).toEqual([]);
      expect((await post(emu.streamUrl() + V, [record()], { token: emu.token() })).status).toBe(
        204,
      );
      expect(emu.rows(DEFAULT_TABLE)).toHaveLength(1);
    } finally {
      await emu.stop();
    }
  });

  it("refuses a transform output or stream whose types do not match the table's, with Azure's message", async () => {
    const tables = [azTable(COLS)];
    await expect(
      startEmulator({
        dcrs: [dcr([...COLS.slice(0, 2), { name: 'Count', type: 'long' }])],
        tables,
      }),
    ).rejects.toThrow(
      "dataFlows[0]: InvalidTransformOutput: Types of transform output columns do not match the ones defined by the output stream: Count [produced:'Long', output:'Int'] (table Events_CL from tables[0])",
    );
    await expect(
      startEmulator({
        dcrs: [dcr(COLS, 'source | extend Count = Count + 1, Message = 5')],
        tables,
      }),
    ).rejects.toThrow(
      "Message [produced:'Long', output:'String'], Count [produced:'Long', output:'Int']",
    );
    await expect(
      startEmulator({ dcrs: [dcr(COLS, 'source | extend TenantId = "0123"')], tables }),
    ).rejects.toThrow("TenantId [produced:'String', output:'Guid']");
    const fixed = await startEmulator({
      dcrs: [
        dcr(
          COLS,
          'source | extend Count = toint(Count + 1), TenantId = toguid("0123456789abcdef0123456789abcdef")',
        ),
      ],
      tables,
    });
    await fixed.stop();
  });

  it('drops the columns the table lacks and counts them per request', async () => {
    const emu = await startEmulator({
      dcrs: [dcr(COLS, "source | extend Extra = strcat(Message, '!'), Other = 1")],
      tables: [azTable(COLS)],
    });
    try {
      const now = new Date().toISOString();
      const body = [
        { TimeGenerated: now, Message: 'a', Count: 1 },
        { TimeGenerated: now, Message: 'b', Count: 2 },
      ];
      expect((await post(emu.streamUrl() + V, body, { token: emu.token() })).status).toBe(204);
      expect(emu.rows('Events_CL').map(({ _TimeReceived, ...r }) => r)).toEqual(body);
      expect(emu.counters().tableColumnsDropped).toBe(4);
      expect(emu.requests()[0]).toMatchObject({
        status: 204,
        columnsDropped: 0,
        tableColumnsDropped: 4,
      });
    } finally {
      await emu.stop();
    }
  });

  it('infers a table that has no definition, with a warning that survives reset()', async () => {
    const emu = await startEmulator({
      dcrs: [DEFAULT_DCR, dcr(COLS, 'source | project TimeGenerated, Message')],
    });
    try {
      expect(emu.tables.map((t) => [t.name, t.source])).toEqual([
        [DEFAULT_TABLE, 'inferred'],
        ['Events_CL', 'inferred'],
      ]);
      expect(emu.tables[1]!.columns).toEqual([
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'Message', type: 'string' },
      ]);
      const warnings = emu.counters().warnings;
      expect(warnings).toHaveLength(2);
      expect(warnings[1]).toMatch(
        /^table Events_CL: no definition given, so it is inferred from the output of dcr-events\/Custom-Events and column types were not checked/,
      );
      emu.reset();
      expect(emu.counters().warnings).toEqual(warnings);
    } finally {
      await emu.stop();
    }
  });
});
