import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRules } from '../src/dcr/load.js';
import {
  DEFAULT_DCR,
  DEFAULT_RULE_ID,
  DEFAULT_STREAM,
  DEFAULT_TABLE,
  startEmulator,
} from '../src/index.js';
import { post, V } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'emu-dcr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dcr(props: Record<string, unknown>, name = 'dcr-test'): Record<string, unknown> {
  return {
    name,
    type: 'Microsoft.Insights/dataCollectionRules',
    kind: 'Direct',
    properties: props,
  };
}

const ORDERS = dcr({
  immutableId: 'dcr-0123456789abcdef0123456789abcdef',
  streamDeclarations: {
    'Custom-Orders': {
      columns: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'Amount', type: 'real' },
        { name: 'Status', type: 'string' },
      ],
    },
  },
  dataFlows: [
    {
      streams: ['Custom-Orders'],
      destinations: ['w'],
      transformKql: "source | where Status != 'test' | extend Big = Amount > 100",
      outputStream: 'Custom-Orders_CL',
    },
    {
      streams: ['Custom-Orders'],
      destinations: ['w'],
      transformKql: 'source | project Amount',
      outputStream: 'Custom-OrderAmounts_CL',
    },
  ],
});

describe('DCR loading', () => {
  it('serves the default DCR', async () => {
    const emu = await startEmulator();
    try {
      expect(emu.rules).toEqual([
        {
          ruleId: DEFAULT_RULE_ID,
          streams: [{ name: DEFAULT_STREAM, outputTable: DEFAULT_TABLE }],
        },
      ]);
      expect(DEFAULT_RULE_ID).toMatch(/^dcr-[0-9a-f]{32}$/);
      expect((DEFAULT_DCR as { properties: { immutableId: string } }).properties.immutableId).toBe(
        DEFAULT_RULE_ID,
      );
    } finally {
      await emu.stop();
    }
  });

  it('loads files: a resource, an ARM template, a list; runs transforms and fans out to several tables', async () => {
    const file = join(dir, 'orders.json');
    writeFileSync(file, JSON.stringify(ORDERS));
    const template = join(dir, 'template.json');
    writeFileSync(
      template,
      JSON.stringify({
        $schema: 'x',
        resources: [
          { ...DEFAULT_DCR, properties: { ...DEFAULT_DCR.properties, immutableId: undefined } },
        ],
      }),
    );
    const emu = await startEmulator({ dcrs: [file, template] });
    try {
      expect(emu.rules).toHaveLength(2);
      expect(emu.rules[1]!.ruleId).toMatch(/^dcr-[0-9a-f]{32}$/);
      const url = emu.streamUrl('Custom-Orders', 'dcr-0123456789abcdef0123456789abcdef') + V;
      const now = new Date().toISOString();
      const r = await post(
        url,
        [
          { TimeGenerated: now, Amount: 150, Status: 'ok' },
          { TimeGenerated: now, Amount: 5, Status: 'test' },
        ],
        { token: emu.token() },
      );
      expect(r.status).toBe(204);
      expect(emu.rows('Orders_CL').map(({ _TimeReceived, ...x }) => x)).toEqual([
        { TimeGenerated: now, Amount: 150, Status: 'ok', Big: true },
      ]);
      expect(emu.rows('OrderAmounts_CL').map((x) => x.Amount)).toEqual([150, 5]);
      expect(emu.rows('OrderAmounts_CL')[0]!.TimeGenerated).toBeDefined();
    } finally {
      await emu.stop();
    }
  });

  it('accepts the flattened `az` CLI output shape', () => {
    const flat = { name: 'x', ...(ORDERS.properties as object) };
    expect(loadRules([flat]).rules[0]!.ruleId).toBe('dcr-0123456789abcdef0123456789abcdef');
  });

  it('refuses invalid DCRs with a message naming the field and the fix', async () => {
    const p = ORDERS.properties as Record<string, unknown>;
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [
        { ...p, immutableId: 'dcr-XYZ' },
        /immutableId "dcr-XYZ" must be dcr- followed by 32 lowercase hex/,
      ],
      [{ ...p, streamDeclarations: {} }, /streamDeclarations must declare/],
      [
        {
          ...p,
          streamDeclarations: { 'Custom-Orders': { columns: [{ name: 'Ab', type: 'guid' }] } },
        },
        /type "guid" is not one of/,
      ],
      [
        {
          ...p,
          streamDeclarations: { 'Custom-Orders': { columns: [{ name: '1x', type: 'string' }] } },
        },
        /columns\[0\]\.name/,
      ],
      [
        { ...p, dataFlows: [{ streams: ['Custom-Other'], outputStream: 'Custom-O_CL' }] },
        /"Custom-Other" is not declared/,
      ],
      [
        { ...p, dataFlows: [{ streams: ['Custom-Orders'], outputStream: 'Custom-NoSuffix' }] },
        /outputStream "Custom-NoSuffix" must be/,
      ],
      [
        {
          ...p,
          dataFlows: [
            {
              streams: ['Custom-Orders'],
              outputStream: 'Custom-O_CL',
              transformKql: 'source | summarize count()',
            },
          ],
        },
        /dataFlows\[0\]\.transformKql: InvalidTransformQuery: SemanticError at 1:10 : the operator 'summarize' is not supported in transformations/,
      ],
    ];
    for (const [props, re] of cases) {
      await expect(startEmulator({ dcrs: [dcr(props)] })).rejects.toThrow(re);
    }
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    await expect(startEmulator({ dcrs: [bad] })).rejects.toThrow(/bad\.json is not valid JSON/);
    await expect(startEmulator({ dcrs: [join(dir, 'missing.json')] })).rejects.toThrow(
      /Cannot read DCR file/,
    );
    await expect(startEmulator({ dcrs: [ORDERS, ORDERS] })).rejects.toThrow(/loaded twice/);
  });
});
