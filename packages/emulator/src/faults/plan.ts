/**
 * The fault plan: a scripted queue (one fault per POST, in order) and, when the queue is empty,
 * probabilistic rules drawn from a seeded generator so a failing run can be replayed.
 */
import type { Fault } from '../types.js';

/** mulberry32: small, fast, good enough to make fault draws reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Check that a value is a fault the emulator can apply; returns a message when it is not. */
export function faultProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'a fault must be an object';
  const f = value as Record<string, unknown>;
  if ('status' in f) {
    const s = f.status;
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 200 || s > 599) {
      return `status must be an integer 200..599, got ${JSON.stringify(s)}`;
    }
    return undefined;
  }
  if (f.reset === true) return undefined;
  if (f.hangUp === 'mid-request' || f.hangUp === 'after-body') return undefined;
  if (f.dropAnswer === true) return undefined;
  if ('latencyMs' in f) {
    if (typeof f.latencyMs !== 'number' || f.latencyMs < 0)
      return 'latencyMs must be a number >= 0';
    return f.then === undefined ? undefined : faultProblem(f.then);
  }
  if ('slowReadBytesPerSec' in f) {
    const r = f.slowReadBytesPerSec;
    return typeof r === 'number' && r > 0 ? undefined : 'slowReadBytesPerSec must be a number > 0';
  }
  return `unknown fault ${JSON.stringify(value)}; expected status, reset, hangUp, dropAnswer, latencyMs or slowReadBytesPerSec`;
}

/** A fault in a few words, for the request log: `503`, `429 retry-after 5`, `latency 200 ms then 503`. */
export function describeFault(f: Fault): string {
  if ('status' in f)
    return f.retryAfter === undefined
      ? String(f.status)
      : `${f.status} retry-after ${f.retryAfter}`;
  if ('reset' in f) return 'reset';
  if ('hangUp' in f) return f.hangUp === 'after-body' ? 'hang-up after the body' : 'hang-up';
  if ('dropAnswer' in f) return 'answer lost';
  if ('latencyMs' in f)
    return `latency ${f.latencyMs} ms${f.then ? ` then ${describeFault(f.then)}` : ''}`;
  return `slow read ${f.slowReadBytesPerSec} B/s`;
}

function check(fault: unknown): void {
  const problem = faultProblem(fault);
  if (problem) throw new TypeError(`Invalid fault: ${problem}`);
}

/** Scripted and random faults for the next POSTs. */
export class FaultPlan {
  #queue: Fault[] = [];
  #random: Array<{ probability: number; fault: Fault }> = [];
  #draw: () => number = Math.random;

  enqueue(...faults: Fault[]): void {
    for (const f of faults) check(f);
    this.#queue.push(...faults);
  }

  random(rules: Array<{ probability: number; fault: Fault }>, seed?: number): void {
    for (const r of rules) {
      if (!(r.probability >= 0 && r.probability <= 1)) {
        throw new TypeError(`Invalid fault probability ${r.probability}: expected 0..1`);
      }
      check(r.fault);
    }
    this.#random = rules.slice();
    this.#draw = seed === undefined ? Math.random : prng(seed);
  }

  clear(): void {
    this.#queue = [];
    this.#random = [];
  }

  /** What is planned, described (for the console): the queue in order, and the random rules. */
  describe(): { queued: string[]; random: Array<{ probability: number; fault: string }> } {
    return {
      queued: this.#queue.map(describeFault),
      random: this.#random.map((r) => ({
        probability: r.probability,
        fault: describeFault(r.fault),
      })),
    };
  }

  /** The fault for the next POST, if any. Rules are tried in order, one draw for all. */
  next(): Fault | undefined {
    const scripted = this.#queue.shift();
    if (scripted) return scripted;
    if (this.#random.length === 0) return undefined;
    const x = this.#draw();
    let acc = 0;
    for (const rule of this.#random) {
      acc += rule.probability;
      if (x < acc) return rule.fault;
    }
    return undefined;
  }
}
