/** The client as users load it: by package name, from the built ESM output. */
import diagnosticsChannel from 'node:diagnostics_channel';
import { CHANNELS, ErrorCodes, IngestionClient } from 'azure-ingestion-core';
import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, expect, it } from 'vitest';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.stop());

it('delivers through the published entry point, configured from the environment', async () => {
  const ends: unknown[] = [];
  const onEnd = (m: unknown) => ends.push(m);
  diagnosticsChannel.subscribe(CHANNELS.requestEnd, onEnd);
  try {
    const failures: string[] = [];
    const client = new IngestionClient(
      { onError: (f) => failures.push(f.error.code), warnings: false },
      emu.env(),
    );
    for (let i = 0; i < 20; i++) {
      client.push({
        TimeGenerated: new Date().toISOString(),
        Level: 'info',
        SeverityNumber: 9,
        Message: `public ${i}`,
      });
    }
    client.pushJson('{"Message":"json"}');
    expect(client.push([] as unknown as object)).toBe(false);
    const stats = await client.close();
    expect(stats).toMatchObject({ accepted: 22, delivered: 21, rejected: 1 });
    expect(failures).toEqual([ErrorCodes.INVALID_RECORD]);
    expect(emu.rows('AppLogs_CL')).toHaveLength(21);
    expect(ends).toHaveLength(1);
  } finally {
    diagnosticsChannel.unsubscribe(CHANNELS.requestEnd, onEnd);
  }
});

it('throws a ConfigurationError at construction only', () => {
  expect(() => new IngestionClient({ maxBatchBytes: 5 }, {})).toThrow(/maxBatchBytes/);
});
