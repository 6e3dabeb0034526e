// The emulator in its own process, so its CPU is not the measured client's. Shared by the
// adapter benches (winston-*, pino-*); bench/emulator-process.mjs is the IPC variant used by
// the core's throughput bench.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { median, pluck } from './stats.mjs';

/**
 * Starts the emulator in a child process (answering after `latencyMs`, for a slower service).
 * With `https`, its self-signed CA certificate is
 * written to `caFile` (give it to clients as NODE_EXTRA_CA_CERTS: the official client refuses
 * a bearer token over http). Resolves with `{ env, counters(), stop() }`: `env` holds the
 * AZURE_LOGS_INGESTION_* variables, `counters()` resolves with the emulator's counters plus
 * `cpuMicros` (the emulator process's CPU time so far, all threads; see `emulatorCost`),
 * `stop()` ends the child.
 */
export function startEmulatorProcess({
  https = false,
  caFile,
  maxRowsPerTable = 1000,
  latencyMs = 0,
} = {}) {
  if (https && !caFile) throw new Error('startEmulatorProcess: https needs a caFile');
  if (caFile) writeFileSync(caFile, '');
  const code = `import { startEmulator } from 'azure-ingestion-emulator';
import { writeFileSync } from 'node:fs';
const emu = await startEmulator({ port: 0, https: ${https}, maxRowsPerTable: ${maxRowsPerTable}, latencyMs: ${latencyMs} });
if (${JSON.stringify(caFile ?? '')}) writeFileSync(${JSON.stringify(caFile ?? '')}, emu.caCertPem);
process.stdout.write(JSON.stringify(emu.env()) + '\\n');
process.stdin.on('data', () => { const c = process.cpuUsage();
  process.stdout.write(JSON.stringify({ ...emu.counters(), cpuMicros: c.user + c.system }) + '\\n'); });
process.stdin.on('end', () => emu.stop().then(() => process.exit(0))); process.stdin.resume();`;
  // bench/ depends on the emulator: the eval'd module resolves it from there.
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: new URL('..', import.meta.url),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = [];
  const waiting = [];
  let buffered = '';
  child.stdout.on('data', (chunk) => {
    buffered += chunk;
    for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
      const line = JSON.parse(buffered.slice(0, i));
      buffered = buffered.slice(i + 1);
      const next = waiting.shift();
      if (next) next(line);
      else lines.push(line);
    }
  });
  const nextLine = () =>
    new Promise((resolve) => (lines.length > 0 ? resolve(lines.shift()) : waiting.push(resolve)));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    nextLine().then((env) =>
      resolve({
        env,
        counters: () => {
          child.stdin.write('\n');
          return nextLine();
        },
        stop: () => child.stdin.end(),
      }),
    );
  });
}

/**
 * Runs `measure()` (one client's run against `emu`) and returns its result with `emuCpu`: the
 * emulator's CPU µs per row it ingested meanwhile (warm-ups included), so a bench can show
 * what the receiving side paid for each client's requests (NaN when nothing was ingested).
 */
export async function withEmulatorCost(emu, measure) {
  const before = await emu.counters();
  const result = await measure();
  const after = await emu.counters();
  const rows = after.rowsIngested - before.rowsIngested;
  return { ...result, emuCpu: rows > 0 ? (after.cpuMicros - before.cpuMicros) / rows : Number.NaN };
}

/**
 * One printed row of an end-to-end bench: medians of records/s, client CPU per record and
 * emulator CPU per row (`n/a` for a role that sends nothing), then every run's rate.
 */
export function rateRow(label, runs, width) {
  const fmt = (x) => `${Math.round(x).toLocaleString('en-US')}/s`;
  const rate = median(pluck('rate', runs));
  const cpu = median(pluck('cpu', runs)).toFixed(1).padStart(5);
  const emuCpu = median(pluck('emuCpu', runs));
  const emu = Number.isNaN(emuCpu) ? ' n/a' : emuCpu.toFixed(1).padStart(4);
  return `${label.padEnd(width)} ${fmt(rate).padStart(10)}  client CPU ${cpu} µs/record  emulator CPU ${emu} µs/row   [${runs.map((r) => fmt(r.rate)).join(', ')}]`;
}
