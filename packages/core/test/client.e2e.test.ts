import type { Emulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientFor, emulator, record, TABLE } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

describe('end to end', () => {
  it('delivers pushed records on flush, gzipped, with ids and user agent', async () => {
    const { client, failures } = clientFor(emu, { userAgent: 'my-app/1.0' });
    for (let i = 0; i < 100; i++) expect(client.push(record(i))).toBe(true);
    const stats = await client.flush();
    expect(stats.delivered).toBe(100);
    expect(stats.accepted).toBe(100);
    expect(emu.rows(TABLE)).toHaveLength(100);
    const [req] = emu.requests();
    expect(req?.headers['content-encoding']).toBe('gzip');
    expect(req?.headers['user-agent']).toMatch(
      /^my-app\/1\.0 azure-ingestion-core\/\d+\.\d+\.\d+ Node\.js\//,
    );
    expect(req?.clientRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(failures).toEqual([]);
    await client.close();
  });
});
