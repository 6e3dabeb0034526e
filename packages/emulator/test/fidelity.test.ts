/**
 * Fidelity: the official @azure/monitor-ingestion 1.2.0 client, with the real
 * DefaultAzureCredential, runs unchanged in a child process against the emulator over https
 * (self-signed certificate trusted through NODE_EXTRA_CA_CERTS). A third-party client passing
 * shows the emulator does not only agree with our own code.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.js';
import { DEFAULT_TABLE, startEmulator } from '../src/index.js';

const script = fileURLToPath(new URL('./fixtures/official-client.mjs', import.meta.url));
let emu: Emulator;
let dir: string;
let caFile: string;

beforeAll(async () => {
  emu = await startEmulator({ https: true });
  dir = mkdtempSync(join(tmpdir(), 'emu-ca-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, emu.caCertPem!);
});
afterAll(async () => {
  await emu.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => emu.reset());

interface Outcome {
  ok: boolean;
  aggregate?: boolean;
  causes?: Array<{ status?: number; code?: string; failed: number }>;
}

function runClient(mode: string): Promise<Outcome> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_EXTRA_CA_CERTS: caFile,
    EMU_ENDPOINT: emu.endpoint,
    EMU_MODE: mode,
    ...emu.env({ managedIdentity: true }),
  };
  env.EMU_RULE = env.AZURE_LOGS_INGESTION_RULE_ID!;
  env.EMU_STREAM = env.AZURE_LOGS_INGESTION_STREAM!;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`client failed: ${err.message}\n${stderr}`));
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as Outcome);
      } catch {
        reject(new Error(`unexpected client output: ${stdout}\n${stderr}`));
      }
    });
  });
}

describe('official @azure/monitor-ingestion client against the emulator (https)', () => {
  it('uploads: every record stored, gzip chunks under 1 MB, token from the managed-identity endpoint', async () => {
    const out = await runClient('upload');
    expect(out).toEqual({ ok: true });
    expect(emu.rows(DEFAULT_TABLE)).toHaveLength(3000);
    const log = emu.requests();
    expect(log.length).toBeGreaterThan(1);
    expect(log.every((r) => r.status === 204 && r.headers['content-encoding'] === 'gzip')).toBe(
      true,
    );
    expect(log.every((r) => r.decodedBytes <= 1_048_576)).toBe(true);
    expect(log.every((r) => r.clientRequestId !== undefined)).toBe(true);
    expect(emu.counters().tokensIssued).toBeGreaterThanOrEqual(1);
  });

  it('gets 404 NotFound for an unknown rule, as against Azure', async () => {
    const out = await runClient('unknown-rule');
    expect(out.ok).toBe(false);
    expect(out.aggregate).toBe(true);
    expect(out.causes).toEqual([{ status: 404, code: 'NotFound', failed: 1 }]);
  });

  it('gets 413 for a body over 1 MB on the wire (refused by Content-Length)', async () => {
    const out = await runClient('too-large-wire');
    expect(out.aggregate).toBe(true);
    expect(out.causes).toEqual([{ status: 413, code: 'ContentLengthLimitExceeded', failed: 1 }]);
    expect(emu.requests()).toHaveLength(1);
  });

  it('gets 413 for a small gzip body that inflates past 1 MB', async () => {
    const out = await runClient('too-large-decoded');
    expect(out.causes).toEqual([{ status: 413, code: 'ContentLengthLimitExceeded', failed: 1 }]);
    expect(emu.rows(DEFAULT_TABLE)).toHaveLength(0);
  });

  it('retries a 503 with Retry-After and then succeeds, as its pipeline does against Azure', async () => {
    emu.faults.enqueue({ status: 503, retryAfter: '0' });
    const out = await runClient('one');
    expect(out).toEqual({ ok: true });
    expect(emu.requests().map((r) => r.status)).toEqual([503, 204]);
    expect(emu.rows(DEFAULT_TABLE)).toHaveLength(1);
  });
});
