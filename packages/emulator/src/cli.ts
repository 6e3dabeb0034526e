#!/usr/bin/env node
/**
 * `azure-ingestion-emulator`: start the emulator, print the endpoint, the web console's address,
 * the rules and streams it serves and the `export` lines a transport needs; stop cleanly on
 * SIGINT/SIGTERM.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCli, USAGE } from './cli-args.js';
import { startEmulator } from './server.js';
import type { Emulator } from './types.js';

function quote(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

/** Every interface's address, as URLs: where a host of 0.0.0.0 or :: really listens. */
function everywhere(emu: Emulator, host: string): string[] {
  const { protocol, port } = new URL(emu.endpoint);
  const urls: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv6' && host === '0.0.0.0') continue;
      urls.push(`${protocol}//${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${port}`);
    }
  }
  return urls;
}

/** The listening line; on every interface, where that is and a warning. */
function listening(emu: Emulator, host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') {
    return [`azure-ingestion-emulator listening on ${emu.endpoint}`];
  }
  const { port } = new URL(emu.endpoint);
  return [
    `azure-ingestion-emulator listening on ${host === '::' ? '[::]' : host}:${port}, every interface: ${everywhere(emu, host).join(', ')}`,
    `WARNING: --host ${host} lets anyone on the network reach the emulator: it issues tokens to`,
    '  anyone who asks and its control endpoints (faults, reset, rows) have no access control. Use',
    '  it on a trusted network only; the default, 127.0.0.1, is reachable from this machine only.',
  ];
}

function describe(emu: Emulator, host: string, caFile: string | undefined): string {
  const lines = [
    ...listening(emu, host),
    `console: ${emu.endpoint}/  (tables, rows, KQL queries, requests, faults in your browser)`,
    '',
  ];
  for (const rule of emu.rules) {
    for (const s of rule.streams)
      lines.push(`rule ${rule.ruleId}  stream ${s.name}  ->  table ${s.outputTable}`);
  }
  for (const t of emu.tables) {
    lines.push(
      t.source === 'inferred'
        ? `table ${t.name}: no definition given, inferred (column types not checked)`
        : `table ${t.name}: ${t.columns.length} columns from ${t.source}`,
    );
  }
  for (const w of emu.counters().warnings) lines.push(`warning: ${w}`);
  lines.push('', '# for a transport with a static token (local use only):');
  for (const [k, v] of Object.entries(emu.env())) lines.push(`export ${k}=${quote(v)}`);
  const mi = emu.env({ managedIdentity: true });
  lines.push(
    '',
    '# or through @azure/identity (DefaultAzureCredential / ManagedIdentityCredential):',
  );
  lines.push(
    `export IDENTITY_ENDPOINT=${quote(mi.IDENTITY_ENDPOINT!)}`,
    `export IDENTITY_HEADER=${quote(mi.IDENTITY_HEADER!)}`,
  );
  if (caFile)
    lines.push(
      '',
      '# trust the self-signed certificate (set before node starts):',
      `export NODE_EXTRA_CA_CERTS=${quote(caFile)}`,
    );
  lines.push(
    '',
    'Rows: GET /tables/<table>/rows   Counters: GET /counters   Faults: POST /faults (JSON)   Ctrl-C stops.',
  );
  return lines.join('\n');
}

async function main(): Promise<number> {
  let config: ReturnType<typeof parseCli>;
  try {
    config = parseCli(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`azure-ingestion-emulator: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (config.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let emu: Emulator;
  try {
    emu = await startEmulator(config.options);
    if (config.faults.length > 0) emu.faults.enqueue(...config.faults);
    if (config.faultRates.length > 0) emu.faults.random(config.faultRates, config.seed);
  } catch (err) {
    process.stderr.write(`azure-ingestion-emulator: ${(err as Error).message}\n`);
    return 1;
  }
  let caFile: string | undefined;
  if (emu.caCertPem) {
    caFile =
      config.caOut ?? join(mkdtempSync(join(tmpdir(), 'azure-ingestion-emulator-')), 'ca.pem');
    writeFileSync(caFile, emu.caCertPem);
  }
  // Handlers go in before the banner, so a supervisor that signals as soon as it reads the
  // banner still gets a clean stop. A second signal while stopping forces the exit.
  let stopping = false;
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) process.exit(130);
      stopping = true;
      process.stdout.write(`\n${signal}: stopping\n`);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  process.stdout.write(`${describe(emu, config.options.host ?? '127.0.0.1', caFile)}\n`);
  await stopped;
  await emu.stop();
  return 0;
}

main().then((code) => {
  process.exitCode = code;
});
