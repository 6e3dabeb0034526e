// CPU time per thread of this process (Linux `/proc/self/task/<tid>/schedstat`, nanosecond
// resolution): process.cpuUsage() sums every thread (main, libuv's threadpool where async gzip
// runs, V8's GC and compiler helpers, worker threads); the split shows which thread pays.

import { readdirSync, readFileSync } from 'node:fs';

/**
 * On-CPU ns of the main thread so far (NaN where /proc is not available): the process's total
 * (getrusage, exact) less every other thread's schedstat. Not the main thread's own schedstat:
 * the kernel updates a running thread's figure only at scheduler ticks, so read by the thread
 * itself it lags by up to a tick (1–4 ms); the other threads are mostly idle when read, and an
 * idle thread's figure is exact.
 */
export function mainThreadNs() {
  const c = process.cpuUsage();
  let others = 0;
  const times = threadNs();
  if (times.size === 0) return Number.NaN;
  for (const [tid, ns] of times) if (tid !== String(process.pid)) others += ns;
  return (c.user + c.system) * 1000 - others;
}

/** On-CPU ns so far of every thread of this process, by thread id (empty where not Linux). */
export function threadNs() {
  const times = new Map();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      times.set(tid, ns);
    }
  } catch {
    // Not Linux, or a thread ended while listed: the split is then unavailable.
  }
  return times;
}
