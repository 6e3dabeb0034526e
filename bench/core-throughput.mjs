/**
 * Throughput and client CPU of azure-ingestion-core beside @azure/monitor-ingestion and beside
 * the floor (JSON.stringify + gzip level 1 of the same records), in one run:
 *
 *   node bench/core-throughput.mjs            (BENCH_RECORDS=200000 BENCH_ROUNDS=3 to change)
 *
 *   this process ──fork──> emulator-process.mjs (https, self-signed CA, its own CPU)
 *        │
 *        └──spawn (NODE_EXTRA_CA_CERTS=<the CA>)──> this file again, as the measuring process
 *
 * NODE_EXTRA_CA_CERTS is read only at start-up, hence the second process: both clients then
 * trust the emulator's certificate through Node's default CA list (undici and node:https alike).
 * Client CPU is process.cpuUsage() (user + system, all threads: gzip on the threadpool counts).
 * Each measurement is repeated BENCH_ROUNDS times, alternating clients; the median is reported.
 */
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.env.BENCH_INFO) {
  await import('./core-throughput-measure.mjs');
} else {
  const emulator = fork(fileURLToPath(new URL('emulator-process.mjs', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const info = await new Promise((resolve) => emulator.once('message', resolve));
  const caFile = join(mkdtempSync(join(tmpdir(), 'bench-ca-')), 'ca.pem');
  writeFileSync(caFile, info.caPem);
  // The measuring process asks for resets through this process (it has no IPC to the emulator).
  const measurer = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, BENCH_INFO: JSON.stringify({ ...info, caPem: undefined }) },
  });
  measurer.on('message', (m) => {
    emulator.once('message', (reply) => measurer.send(reply));
    emulator.send(m);
  });
  const code = await new Promise((resolve) => measurer.on('exit', resolve));
  emulator.send('stop');
  process.exitCode = code ?? 1;
}
