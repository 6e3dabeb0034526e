/**
 * Runs the shared `abstract-winston-transport` suite (mocha-style: global describe/it/hooks with
 * `done` callbacks) under vitest, against this transport and the emulator.
 */
import { createRequire } from 'node:module';
import { startEmulator } from 'azure-ingestion-emulator';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AzureIngestionTransport } from '../src/index.js';

type Done = (err?: unknown) => void;
type MochaFn = (this: unknown, done: Done) => unknown;

/** A mocha function (sync, promise or `done`-style) as a promise-returning vitest function. */
function adapt(fn: MochaFn): () => Promise<unknown> {
  if (fn.length === 0) return async () => fn.call({}, () => {});
  return () =>
    new Promise((resolve, reject) => {
      fn.call({}, (err?: unknown) => (err ? reject(err) : resolve(undefined)));
    });
}

const emu = await startEmulator({ port: 0 });
const created: AzureIngestionTransport[] = [];

/** The suite constructs with `new Transport(construct())`: keep each instance to close it. */
class Tracked extends AzureIngestionTransport {
  constructor() {
    super({ warnings: false }, emu.env());
    created.push(this);
  }
}

let ran = 0;
const globals = globalThis as Record<string, unknown>;
globals.describe = (name: string, body: () => void) => describe(name, body);
globals.it = (name: string, fn: MochaFn) =>
  it(name, async () => {
    await adapt(fn)();
    ran++;
  });
globals.beforeEach = (fn: MochaFn) => beforeEach(adapt(fn));
globals.afterEach = (fn: MochaFn) => afterEach(adapt(fn));
globals.after = (fn: MochaFn) => afterAll(adapt(fn));

createRequire(import.meta.url)('abstract-winston-transport')({
  name: 'AzureIngestionTransport',
  Transport: Tracked,
  afterEach: (_options: unknown, done: Done) => {
    Promise.all(created.splice(0).map((t) => t.close())).then(() => done(), done);
  },
});

afterAll(async () => {
  // The suite's four tests ran, and its three log() calls reached the service.
  expect(ran).toBe(4);
  expect(emu.rows('AppLogs_CL').filter((r) => r.Message === 'foo')).toHaveLength(3);
  await emu.stop();
});
