/**
 * The built package through its exports map, ESM and CommonJS, as users import it.
 */
import { createRequire } from 'node:module';
import * as esm from 'azure-ingestion-emulator';
import { describe, expect, it } from 'vitest';
import { post, record, V } from '../helpers.js';

describe('azure-ingestion-emulator package', () => {
  it('exposes the same API from ESM and CommonJS', () => {
    const cjs = createRequire(import.meta.url)('azure-ingestion-emulator') as typeof esm;
    expect(typeof cjs.startEmulator).toBe('function');
    expect(cjs.DEFAULT_DCR).toEqual(esm.DEFAULT_DCR);
    expect(cjs.DEFAULT_RULE_ID).toBe(esm.DEFAULT_RULE_ID);
    expect(esm.DEFAULT_STREAM).toBe('Custom-AppLogs');
    expect(esm.DEFAULT_TABLE).toBe('AppLogs_CL');
  });

  it('starts, ingests and stops from the built output', async () => {
    const emu = await esm.startEmulator();
    try {
      const env = emu.env();
      expect(env.AZURE_LOGS_INGESTION_ENDPOINT).toBe(emu.endpoint);
      expect(emu.streamUrl()).toBe(
        `${emu.endpoint}/dataCollectionRules/${esm.DEFAULT_RULE_ID}/streams/Custom-AppLogs`,
      );
      expect(
        (await post(emu.streamUrl() + V, [record()], { token: env.AZURE_LOGS_INGESTION_TOKEN! }))
          .status,
      ).toBe(204);
      await emu.waitForRows(esm.DEFAULT_TABLE, 1);
    } finally {
      await emu.stop();
    }
  });
});
