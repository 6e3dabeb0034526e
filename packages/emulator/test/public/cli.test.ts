/**
 * The CLI as users run it: `node dist/cli.mjs …` (needs a build first).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DCR, DEFAULT_TABLE_DEFINITION } from 'azure-ingestion-emulator';
import { afterAll, describe, expect, it } from 'vitest';
import { http, post, record, V } from '../helpers.js';

const cli = fileURLToPath(new URL('../../dist/cli.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'emu-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Start the CLI and resolve with its child and printed text once it is listening. */
function start(args: string[]): Promise<{ child: ChildProcess; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('Ctrl-C stops')) resolve({ child, out });
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => reject(new Error(`cli exited ${code} before listening: ${err}`)));
    child.on('error', reject);
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function exportOf(out: string, name: string): string {
  const m = new RegExp(`export ${name}='([^']*)'`).exec(out);
  if (!m) throw new Error(`no export of ${name} in:\n${out}`);
  return m[1]!;
}

describe('azure-ingestion-emulator CLI', () => {
  it('prints endpoint, rules and exports; serves; applies --fault; writes --data-dir; stops on SIGTERM', async () => {
    const dcrFile = join(dir, 'dcr.json');
    writeFileSync(dcrFile, JSON.stringify(DEFAULT_DCR));
    const tableFile = join(dir, 'table.json');
    writeFileSync(tableFile, JSON.stringify(DEFAULT_TABLE_DEFINITION));
    const dataDir = join(dir, 'data');
    const { child, out } = await start([
      '--port',
      '0',
      '--dcr',
      dcrFile,
      '--table',
      tableFile,
      '--data-dir',
      dataDir,
      '--fault',
      '503:2',
    ]);
    const exited = exitOf(child);
    expect(out).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toMatch(/rule dcr-[0-9a-f]{32}\s+stream Custom-AppLogs\s+->\s+table AppLogs_CL/);
    expect(out).toContain(`table AppLogs_CL: 11 columns from ${tableFile}`);
    expect(out).not.toContain('warning:');
    const endpoint = exportOf(out, 'AZURE_LOGS_INGESTION_ENDPOINT');
    const url = `${endpoint}/dataCollectionRules/${exportOf(out, 'AZURE_LOGS_INGESTION_RULE_ID')}/streams/${exportOf(out, 'AZURE_LOGS_INGESTION_STREAM')}${V}`;
    const token = exportOf(out, 'AZURE_LOGS_INGESTION_TOKEN');
    expect(exportOf(out, 'IDENTITY_HEADER')).toMatch(/^[0-9a-f]{32}$/);
    // The web console's address, served from the package's files.
    expect(/^console: (\S+)/m.exec(out)?.[1]).toBe(`${endpoint}/`);
    const page = await http(`${endpoint}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Logs Ingestion emulator</title>');
    expect((await http(`${endpoint}/console/console.js`)).status).toBe(200);
    const first = await post(url, [record({ Message: 'cli' })], { token });
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toBe('2');
    expect((await post(url, [record({ Message: 'cli' })], { token })).status).toBe(204);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(readFileSync(join(dataDir, 'AppLogs_CL.jsonl'), 'utf8')).toContain('"Message":"cli"');
  });

  it('serves https and writes the CA for NODE_EXTRA_CA_CERTS; stops on SIGINT', async () => {
    const caOut = join(dir, 'ca.pem');
    const { child, out } = await start([
      '--port',
      '0',
      '--https',
      '--ca-out',
      caOut,
      '--rate-limit-rpm',
      '100',
    ]);
    const exited = exitOf(child);
    expect(out).toMatch(/listening on https:\/\/127\.0\.0\.1:\d+/);
    expect(exportOf(out, 'NODE_EXTRA_CA_CERTS')).toBe(caOut);
    expect(readFileSync(caOut, 'utf8')).toContain('BEGIN CERTIFICATE');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('exits 2 with the usage on a bad argument, 1 on a bad DCR', async () => {
    const bad = spawn(process.execPath, [cli, '--fault', 'teapot'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    bad.stderr.on('data', (d) => (err += d));
    expect(await exitOf(bad)).toBe(2);
    expect(err).toMatch(/unknown fault spec 'teapot'/);
    expect(err).toContain('Usage: azure-ingestion-emulator');
    const missing = spawn(process.execPath, [cli, '--port', '0', '--dcr', join(dir, 'nope.json')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err2 = '';
    missing.stderr.on('data', (d) => (err2 += d));
    expect(await exitOf(missing)).toBe(1);
    expect(err2).toMatch(/Cannot read DCR file/);
    // A transform output that does not fit its table: refused at start, as Azure refuses the DCR.
    const misfit = join(dir, 'misfit.json');
    const flow = {
      ...DEFAULT_DCR.properties.dataFlows[0],
      transformKql: 'source | extend SeverityNumber = SeverityNumber + 1',
    };
    writeFileSync(
      misfit,
      JSON.stringify({
        ...DEFAULT_DCR,
        properties: { ...DEFAULT_DCR.properties, dataFlows: [flow] },
      }),
    );
    const table = join(dir, 'table-misfit.json');
    writeFileSync(table, JSON.stringify(DEFAULT_TABLE_DEFINITION));
    const refused = spawn(
      process.execPath,
      [cli, '--port', '0', '--dcr', misfit, '--table', table],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err3 = '';
    refused.stderr.on('data', (d) => (err3 += d));
    expect(await exitOf(refused)).toBe(1);
    expect(err3).toContain(
      "InvalidTransformOutput: Types of transform output columns do not match the ones defined by the output stream: SeverityNumber [produced:'Long', output:'Int']",
    );
  });

  it('--host 0.0.0.0: says where it really listens and warns; the Host check still applies', async () => {
    const { child, out } = await start(['--port', '0', '--host', '0.0.0.0']);
    const exited = exitOf(child);
    const port = /listening on 0\.0\.0\.0:(\d+), every interface: (.*)/.exec(out);
    expect(port).not.toBeNull();
    expect(port?.[2]).toContain(`http://127.0.0.1:${port?.[1]}`);
    expect(out).toMatch(/WARNING: --host 0\.0\.0\.0 lets anyone on the network reach the emulator/);
    const endpoint = exportOf(out, 'AZURE_LOGS_INGESTION_ENDPOINT');
    const stream = `${endpoint}/dataCollectionRules/${exportOf(out, 'AZURE_LOGS_INGESTION_RULE_ID')}/streams/Custom-AppLogs${V}`;
    const token = exportOf(out, 'AZURE_LOGS_INGESTION_TOKEN');
    expect((await post(stream, [record()], { token })).status).toBe(204);
    const rebound = await http(`${endpoint}/counters`, { headers: { host: 'evil.example' } });
    expect(rebound.status).toBe(403);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
