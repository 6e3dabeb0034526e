// The timed loop of the end-to-end benches: log in bursts between turns of the event loop, as an
// application does, then flush; best of `reps` batches after a warm-up (the steady state of a
// long-running process, JIT-compiled). Shared by bench/pino-e2e.mjs and bench/spool.mjs.

/**
 * `log(i)` for i in 0 … n-1, `slice` per event-loop turn, then `await flush()`, `reps` times
 * after a warm-up of `warmup` logs. Resolves with the fastest `{ rate, cpu }` (records/s, process
 * CPU µs per record, all threads).
 */
export async function slicedRuns({ n, warmup, reps, slice = 1000, log, flush }) {
  for (let i = 0; i < warmup; i++) log(i);
  await flush();
  let best;
  for (let rep = 0; rep < reps; rep++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      log(i);
      if (i % slice === slice - 1) await new Promise((resolve) => setImmediate(resolve));
    }
    await flush();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(c0);
    const run = { rate: n / s, cpu: (cpu.user + cpu.system) / n };
    if (best === undefined || run.rate > best.rate) best = run;
  }
  return best;
}
