/**
 * The Azure templates and the transports' default record cannot drift apart: the emulator loads
 * templates/dcr.json with the table of templates/azuredeploy.json (the check Azure runs when the
 * DCR is created is on), its stream must equal the emulator's DEFAULT_DCR, the table columns of
 * the ARM and Bicep templates must equal the stream, and a default record from each adapter must
 * land through that DCR without a dropped column.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DCR, type Emulator, startEmulator } from 'azure-ingestion-emulator';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import winston from 'winston';
import { AzureIngestionTransport } from 'winston-transport-azure-ingestion';
import { closePino } from './helpers/pino.js';

const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), '..', 'templates');
const DCR_FILE = join(TEMPLATES, 'dcr.json');
const ARM_FILE = join(TEMPLATES, 'azuredeploy.json');
const STREAM = 'Custom-AppLogs';
const TABLE = 'AppLogs_CL';

interface Column {
  readonly name: string;
  readonly type: string;
}
type Json = Record<string, unknown>;

function readJson(name: string): Json {
  return JSON.parse(readFileSync(join(TEMPLATES, name), 'utf8')) as Json;
}

const defaultColumns = DEFAULT_DCR.properties.streamDeclarations[STREAM]
  .columns as readonly Column[];
const dcrFile = readJson('dcr.json') as {
  properties: {
    immutableId: string;
    streamDeclarations: Record<string, { columns: Column[] }>;
    dataFlows: Array<{ streams: string[]; transformKql: string; outputStream: string }>;
  };
};

describe('templates/dcr.json', () => {
  it('declares exactly the stream of the emulator DEFAULT_DCR (the default record)', () => {
    expect(dcrFile.properties.streamDeclarations).toEqual(
      DEFAULT_DCR.properties.streamDeclarations,
    );
    expect(dcrFile.properties.dataFlows).toEqual([
      expect.objectContaining({
        streams: [STREAM],
        transformKql: 'source',
        outputStream: `Custom-${TABLE}`,
      }),
    ]);
  });
});

describe('templates/azuredeploy.json (ARM)', () => {
  const arm = readJson('azuredeploy.json') as {
    variables: {
      columns: Column[];
      streamName: string;
      tableName: string;
      monitoringMetricsPublisher: string;
    };
    resources: Array<Json & { type: string; apiVersion: string; properties: Json }>;
    outputs: Record<string, { type: string; value: string }>;
  };
  const byType = (type: string) => {
    const r = arm.resources.find((x) => x.type === type);
    if (!r) throw new Error(`no ${type} in azuredeploy.json`);
    return r;
  };

  it('creates the table and the stream with the default columns', () => {
    expect(arm.variables.columns).toEqual(defaultColumns);
    expect(arm.variables.tableName).toBe(TABLE);
    expect(arm.variables.streamName).toBe(STREAM);
    const table = byType('Microsoft.OperationalInsights/workspaces/tables');
    expect(table.apiVersion).toBe('2022-10-01');
    expect(table.properties.schema).toEqual({
      name: "[variables('tableName')]",
      columns: "[variables('columns')]",
    });
    const dcr = byType('Microsoft.Insights/dataCollectionRules');
    expect(dcr.apiVersion).toBe('2023-03-11');
    expect(dcr.properties.streamDeclarations).toEqual({
      [STREAM]: { columns: "[variables('columns')]" },
    });
    expect(dcr.properties.dataFlows).toEqual([
      expect.objectContaining({
        transformKql: 'source',
        outputStream: "[format('Custom-{0}', variables('tableName'))]",
      }),
    ]);
  });

  it('is a Direct DCR by default, with a DCE variant, and grants Monitoring Metrics Publisher', () => {
    const dcr = byType('Microsoft.Insights/dataCollectionRules');
    expect(dcr.kind).toBe("[if(parameters('useDataCollectionEndpoint'), null(), 'Direct')]");
    const dce = byType('Microsoft.Insights/dataCollectionEndpoints');
    expect(dce.apiVersion).toBe('2023-03-11');
    expect(dce.condition).toBe("[parameters('useDataCollectionEndpoint')]");
    const role = byType('Microsoft.Authorization/roleAssignments');
    expect(arm.variables.monitoringMetricsPublisher).toBe('3913510d-42f4-4e42-8a64-420c390055eb');
    expect(role.properties.principalId).toBe("[parameters('principalId')]");
  });

  it('loads into the emulator as one template: the DCR checked against the table resource', async () => {
    const emu = await startEmulator({ port: 0, dcrs: [ARM_FILE] });
    try {
      expect(emu.tables).toEqual([
        {
          name: TABLE,
          columns: [...defaultColumns, { name: 'TenantId', type: 'guid' }],
          source: `${ARM_FILE}: resources[0]`,
        },
      ]);
      expect(emu.counters().warnings).toEqual([]);
      expect(emu.rules[0]!.streams).toEqual([{ name: STREAM, outputTable: TABLE }]);
    } finally {
      await emu.stop();
    }
  });

  it('outputs exactly the AZURE_LOGS_INGESTION_* variables', () => {
    expect(Object.keys(arm.outputs).sort()).toEqual([
      'AZURE_LOGS_INGESTION_ENDPOINT',
      'AZURE_LOGS_INGESTION_RULE_ID',
      'AZURE_LOGS_INGESTION_STREAM',
    ]);
  });
});

describe('templates/main.bicep', () => {
  const bicep = readFileSync(join(TEMPLATES, 'main.bicep'), 'utf8');

  it('declares the default columns once, used by the table and the stream', () => {
    const block = /var columns = \[([\s\S]*?)\n\]/.exec(bicep)?.[1] ?? '';
    const columns = [...block.matchAll(/name: '(\w+)'\s+type: '(\w+)'/g)].map(([, name, type]) => ({
      name,
      type,
    }));
    expect(columns).toEqual(defaultColumns);
    expect(bicep).toMatch(/schema: \{\s+name: tableName\s+columns: columns/);
    expect(bicep).toMatch(/'\$\{streamName\}': \{\s+columns: columns/);
    expect(bicep).toContain(`var tableName = '${TABLE}'`);
    expect(bicep).toContain(`var streamName = '${STREAM}'`);
    expect(bicep).toContain("transformKql: 'source'");
  });

  it('uses the documented API versions and outputs exactly the AZURE_LOGS_INGESTION_* variables', () => {
    expect(bicep).toContain("'Microsoft.Insights/dataCollectionRules@2023-03-11'");
    expect(bicep).toContain("'Microsoft.Insights/dataCollectionEndpoints@2023-03-11'");
    expect(bicep).toContain("'Microsoft.OperationalInsights/workspaces/tables@2022-10-01'");
    expect(bicep).toContain("'3913510d-42f4-4e42-8a64-420c390055eb'");
    const outputs = [...bicep.matchAll(/^output (\w+) /gm)].map((m) => m[1]).sort();
    expect(outputs).toEqual([
      'AZURE_LOGS_INGESTION_ENDPOINT',
      'AZURE_LOGS_INGESTION_RULE_ID',
      'AZURE_LOGS_INGESTION_STREAM',
    ]);
  });
});

describe('a default record from each adapter through the template DCR', () => {
  let emu: Emulator;
  // Every column of the default record gets a value: an error, trace context and a RecordId.
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const spanId = '00f067aa0ba902b7';

  beforeAll(async () => {
    // The table comes from the ARM template: the DCR's output is checked against it.
    emu = await startEmulator({ port: 0, dcrs: [DCR_FILE], tables: [ARM_FILE] });
  });
  beforeEach(() => emu.reset());
  afterAll(async () => {
    await emu.stop();
  });

  function options() {
    const env = emu.env();
    return {
      endpoint: env.AZURE_LOGS_INGESTION_ENDPOINT!,
      ruleId: env.AZURE_LOGS_INGESTION_RULE_ID!,
      streamName: env.AZURE_LOGS_INGESTION_STREAM!,
      token: env.AZURE_LOGS_INGESTION_TOKEN!,
      recordId: true,
      warnings: false,
    };
  }

  function expectFullRows(count: number) {
    const rows = emu.rows(TABLE);
    expect(rows).toHaveLength(count);
    for (const row of rows) {
      for (const { name } of defaultColumns)
        expect(row[name], `column ${name}`).not.toBeUndefined();
    }
    const counters = emu.counters();
    expect(counters.columnsDropped).toBe(0);
    expect(counters.tableColumnsDropped).toBe(0);
    expect(counters.typeErrors).toBe(0);
    expect(counters.rowsIngested).toBe(count);
    return rows;
  }

  it('serves the rule of templates/dcr.json, checked against the table of azuredeploy.json', () => {
    expect(emu.rules).toEqual([
      { ruleId: dcrFile.properties.immutableId, streams: [{ name: STREAM, outputTable: TABLE }] },
    ]);
    expect(emu.tables.map((t) => t.source)).toEqual([`${ARM_FILE}: resources[0]`]);
    expect(emu.counters().warnings).toEqual([]);
    expect(emu.env().AZURE_LOGS_INGESTION_RULE_ID).toBe(dcrFile.properties.immutableId);
  });

  it('winston', async () => {
    const transport = new AzureIngestionTransport(options());
    const logger = winston.createLogger({ transports: [transport] });
    logger.error('payment failed', {
      error: new Error('card declined'),
      traceId,
      spanId,
      orderId: 42,
    });
    await transport.flush();
    const [row] = expectFullRows(1);
    expect(row).toMatchObject({
      Level: 'error',
      SeverityNumber: 17,
      TraceId: traceId,
      SpanId: spanId,
    });
    expect(row!.Properties).toMatchObject({ orderId: 42 });
    logger.close();
    await transport.close();
  });

  it('pino (worker transport)', async () => {
    const logger = pino({
      transport: { target: 'pino-azure-ingestion', options: options() },
    });
    logger.error(
      { err: new Error('card declined'), trace_id: traceId, span_id: spanId, orderId: 42 },
      'payment failed',
    );
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    const [row] = expectFullRows(1);
    expect(row).toMatchObject({
      Level: 'error',
      SeverityNumber: 17,
      TraceId: traceId,
      SpanId: spanId,
    });
    expect(row!.Properties).toMatchObject({ orderId: 42 });
    await closePino(logger);
  });
});
