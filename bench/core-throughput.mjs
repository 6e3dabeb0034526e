/**
 * Throughput and client CPU of azure-ingestion-core beside @azure/monitor-ingestion and beside
 * the floor (JSON.stringify + gzip level 1 of the same records), in one run:
 *
 *   node bench/core-throughput.mjs        (env: BENCH_RECORDS=200000 BENCH_ROUNDS=5
 *                                              BENCH_LEVELS=3,6 BENCH_CORE_ALT=<dist/index.mjs>)
 *
 *   this process ──fork──> emulator-process.mjs  (the emulator, https, its own process)
 *        │       ──fork──> sink-process.mjs      (a bare https server that answers 204)
 *        │
 *        └──spawn (NODE_EXTRA_CA_CERTS=<both CAs>)──> core-throughput-measure.mjs
 *
 * The official client refuses to send a bearer token over plain http, so both servers speak
 * https with self-signed certificates. NODE_EXTRA_CA_CERTS is read only at start-up, hence the
 * measuring child: both clients then trust the servers through Node's default CA list (undici
 * and node:https alike). The measuring child asks for resets through this process over IPC.
 *
 * Two servers, two questions: against the emulator (which decodes and validates every row,
 * as the service does) the server may be the bottleneck; against the sink, throughput is
 * bound by the client alone.
 *
 * Two ways of feeding our client: "ours" pushes all records in one synchronous loop (every
 * record string is still alive when the first batch leaves, so V8 promotes them and its GC
 * helper threads pay for it), "ours sliced" pushes 1,000 records per event-loop turn, as a
 * logger in a running server does. The official client gets its whole array before the clock
 * starts either way.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

async function startServer(file) {
  const child = fork(here(file), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const info = await new Promise((resolve) => child.once('message', resolve));
  return { child, info };
}

const servers = {
  emulator: await startServer('emulator-process.mjs'),
  sink: await startServer('sink-process.mjs'),
};
const caFile = join(mkdtempSync(join(tmpdir(), 'bench-ca-')), 'ca.pem');
writeFileSync(caFile, `${servers.emulator.info.caPem}\n${servers.sink.info.caPem}\n`);
const info = {
  emulator: { ...servers.emulator.info, caPem: undefined },
  sink: {
    ...servers.emulator.info,
    endpoint: servers.sink.info.endpoint,
    httpEndpoint: servers.sink.info.httpEndpoint,
    caPem: undefined,
  },
};
const measurer = fork(here('core-throughput-measure.mjs'), [], {
  execArgv: [
    '--expose-gc',
    ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
    ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/bench-prof'] : []),
    ...(process.env.BENCH_TRACE_GC ? ['--trace-gc'] : []),
  ],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, BENCH_INFO: JSON.stringify(info) },
});
measurer.on('message', ({ server, command }) => {
  const { child } = servers[server];
  child.once('message', (reply) => measurer.send(reply));
  child.send(command);
});
const code = await new Promise((resolve) => measurer.on('exit', resolve));
for (const { child } of Object.values(servers)) child.send('stop');
process.exitCode = code ?? 1;
