/**
 * Fuzzing with fast-check: hostile log objects through both adapters (the built packages, by
 * name), arbitrary bytes and lines through the pino transport's stream and its CLI, and hostile
 * objects through a real pino worker. Nothing may throw into the app, the worker must live on,
 * and every record either lands valid and within the service's limits (the emulator had nothing
 * to truncate, convert or drop; a TimeGenerated far in the past it replaces, as the service
 * does, and that is allowed) or is counted as rejected.
 *
 * CI: a fixed seed and a bounded number of runs. A longer run: `npm run fuzz` (FUZZ_RUNS=1000
 * and a random seed, printed on failure with the counterexample; FUZZ_SEED replays one).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { IngestionStats } from 'azure-ingestion-core';
import { type Emulator, type EmulatorCounters, startEmulator } from 'azure-ingestion-emulator';
import fc from 'fast-check';
import pino from 'pino';
import pinoAzureIngestion from 'pino-azure-ingestion';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AzureIngestionTransport } from 'winston-transport-azure-ingestion';

const TABLE = 'AppLogs_CL';
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const SEED = process.env.FUZZ_SEED
  ? Number(process.env.FUZZ_SEED)
  : process.env.FUZZ_RUNS
    ? Date.now()
    : 20_261_207;
const params = { numRuns: RUNS, seed: SEED, endOnFailure: true };
// A long run's seed is random: said first, so that even a run that hangs can be replayed.
if (process.env.FUZZ_RUNS) console.log(`fuzz: ${RUNS} runs, FUZZ_SEED=${SEED}`);
const FIELD_LIMIT = 65_536;
/** Each test's bound grows with the runs asked for (a bound, not a timing assertion). */
const TIMEOUT = 30_000 + RUNS * 400;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

const options = () => ({
  url: emu.streamUrl(),
  token: emu.token(),
  warnings: false,
  flushIntervalMs: 20,
  maxDepth: 8,
});

// ---- hostile values ----

const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toJSON',
  'hasOwnProperty',
  'TimeGenerated',
  'Level',
  'Message',
  'Properties',
  'RecordId',
  'level',
  'msg',
  'message',
  'time',
  'err',
  'hostname',
  '',
];
const LONE = ['\uD800', '\uDFFF', 'a\uDBFFb', '\uDC00\uD800'];

const leaf = fc.oneof(
  fc.anything({
    maxDepth: 3,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withTypedArray: true,
    withSparseArray: true,
    stringUnit: 'binary',
  }),
  fc.constantFrom<unknown>(
    ...LONE,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -0,
    undefined,
    Symbol('value'),
    () => 'a function',
    new Error('an error'),
  ),
);

const DECORATIONS = [
  'cycle',
  'throwingGetter',
  'throwingToJSON',
  'symbolKey',
  'deep',
  'hugeString',
  'hugeKey',
  'manyFields',
  'nullPrototype',
  'errorWithCause',
] as const;
type Decoration = (typeof DECORATIONS)[number];

/**
 * What a hostile object is made of. The arbitraries produce this, and each property builds the
 * object itself: fast-check prints a failing input, and must not trip on its throwing getter.
 */
interface Spec {
  readonly entries: readonly [string, unknown][];
  readonly decorations: readonly Decoration[];
}

/** Builds the object: own keys set with defineProperty (a `__proto__` key stays a key). */
function build({ entries, decorations }: Spec): object {
  const o: Record<PropertyKey, unknown> = decorations.includes('nullPrototype')
    ? Object.create(null)
    : {};
  const set = (k: PropertyKey, v: unknown) =>
    Object.defineProperty(o, k, { value: v, enumerable: true, configurable: true, writable: true });
  for (const [k, v] of entries) set(k, v);
  for (const d of decorations) {
    if (d === 'cycle') set('self', o);
    if (d === 'throwingGetter') {
      Object.defineProperty(o, 'boom', {
        enumerable: true,
        get() {
          throw new Error('getter throws');
        },
      });
    }
    if (d === 'throwingToJSON') {
      set('json', {
        toJSON() {
          throw new Error('toJSON throws');
        },
      });
    }
    if (d === 'symbolKey') set(Symbol('key'), 'symbol-keyed');
    if (d === 'deep') {
      let deep: Record<string, unknown> = { bottom: true };
      for (let i = 0; i < 60; i++) deep = { down: deep };
      set('deep', deep);
    }
    if (d === 'hugeString') set('huge', `${'x'.repeat(70_000)}é${LONE[0]}`);
    if (d === 'hugeKey') set('k'.repeat(70_000), 1);
    if (d === 'manyFields') for (let i = 0; i < 600; i++) set(`f${i}`, i);
    if (d === 'errorWithCause') {
      const inner = new Error('inner');
      const outer = new Error('outer', { cause: inner });
      (inner as Error & { cause?: unknown }).cause = outer; // a cycle through causes
      set('error', outer);
    }
  }
  return o;
}

const hostile = (allowed: readonly Decoration[]) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string()), leaf), {
        maxLength: 6,
      }),
      fc.subarray([...allowed]),
    )
    .map(([entries, decorations]): Spec => ({ entries, decorations }));

// ---- checks ----

/** Every string of a stored row (keys too) is within the service's field limit. */
function expectWithinLimits(value: unknown): void {
  if (typeof value === 'string') {
    expect(Buffer.byteLength(value, 'utf8')).toBeLessThanOrEqual(FIELD_LIMIT);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      expectWithinLimits(k);
      expectWithinLimits(v);
    }
  }
}

/** The run's records all accounted for; those delivered stored valid, nothing left to fix. */
function expectLanded(stats: IngestionStats, logged: number): void {
  expect(stats.accepted).toBe(logged);
  expect(stats.delivered + stats.rejected + stats.dropped).toBe(logged);
  const rows = emu.rows(TABLE);
  expect(rows).toHaveLength(stats.delivered);
  for (const row of rows) {
    expect(typeof row.Message).toBe('string');
    expect(Number.isNaN(Date.parse(String(row.TimeGenerated)))).toBe(false);
    expectWithinLimits(row);
  }
  const c: EmulatorCounters = emu.counters();
  expect({
    truncated: c.valuesTruncated,
    typeErrors: c.typeErrors,
    columnsDropped: c.columnsDropped,
    rowsDropped: c.rowsDropped,
  }).toEqual({ truncated: 0, typeErrors: 0, columnsDropped: 0, rowsDropped: 0 });
}

// ---- the adapters ----

describe('fuzz: hostile log objects', () => {
  it('winston: the transport takes any info object and never throws', {
    timeout: TIMEOUT,
  }, async () => {
    const LEVEL = Symbol.for('level');
    await fc.assert(
      fc.asyncProperty(
        fc.array(hostile(DECORATIONS), { minLength: 1, maxLength: 4 }),
        async (specs) => {
          const objects = specs.map(build);
          emu.reset();
          const transport = new AzureIngestionTransport(options(), {});
          for (const o of objects) {
            // What winston hands a transport: the info object, its level under the symbol too.
            const info = Object.assign(o, { level: 'info', message: 'fuzz', [LEVEL]: 'info' });
            expect(() => transport.log(info, () => {})).not.toThrow();
          }
          await transport.close();
          expectLanded(transport.stats(), objects.length);
        },
      ),
      params,
    );
  });

  // pino serializes in the app's thread, with its own serializer: a throwing getter throws
  // from pino itself before anything reaches the transport, so that decoration is left out.
  const forPino = DECORATIONS.filter((d) => d !== 'throwingGetter');

  it('pino (in-process stream): any object pino can write lands or is counted', {
    timeout: TIMEOUT,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(hostile(forPino), { minLength: 1, maxLength: 4 }),
        async (specs) => {
          const objects = specs.map(build);
          emu.reset();
          const stream = await pinoAzureIngestion(options());
          const logger = pino({ level: 'trace' }, stream);
          for (const o of objects) expect(() => logger.info(o, 'fuzz')).not.toThrow();
          await new Promise<void>((resolve) => {
            stream.once('close', () => resolve());
            stream.end();
          });
          expectLanded(stream.client.stats(), objects.length);
        },
      ),
      params,
    );
  });

  it('pino (worker thread): the worker lives on through hostile objects', {
    timeout: TIMEOUT,
  }, async () => {
    const transport = pino.transport({ target: 'pino-azure-ingestion', options: options() });
    const logger = pino({ level: 'trace' }, transport);
    // Bounded: a worker that died would never call back.
    const flush = () =>
      new Promise<void>((resolve, reject) => {
        const bound = setTimeout(
          () => reject(new Error('flush did not call back in 10 s')),
          10_000,
        );
        logger.flush(() => {
          clearTimeout(bound);
          resolve();
        });
      });
    let logged = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(hostile(forPino), { maxLength: 4 }), async (specs) => {
        const objects = specs.map(build);
        for (const o of objects) expect(() => logger.info(o, 'fuzz')).not.toThrow();
        logged += objects.length;
        await flush();
      }),
      { ...params, numRuns: Math.max(5, Math.floor(RUNS / 2)) },
    );
    logger.info({ sentinel: true }, 'still alive');
    await flush();
    const rows = emu.rows(TABLE);
    expect(rows.at(-1)?.Message).toBe('still alive');
    expect(rows).toHaveLength(logged + 1);
    await new Promise<void>((resolve) => {
      transport.once('close', () => resolve());
      transport.end();
    });
  });
});

// ---- bytes and lines ----

/** Lines a stream or the CLI may be given: JSON, near-JSON, garbage, blank, BOM, huge. */
const line = fc.oneof(
  fc.json().map((j) => j),
  fc
    .dictionary(fc.string(), fc.jsonValue(), { maxKeys: 5 })
    .map((o) => JSON.stringify({ level: 30, time: Date.now(), msg: 'm', ...o })),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '',
    '   ',
    '\uFEFF{"msg":"bom"}',
    '{"msg":"unterminated',
    '{"level":"NaN","time":"never","msg":null}',
    `{"msg":"${'y'.repeat(70_000)}"}`,
    '[1,2,3]',
    '"just a string"',
    '{"__proto__":{"polluted":true},"msg":"proto"}',
    `{"msg":"${LONE.join('')}"}`,
  ),
);
const bytes = fc.oneof(
  fc.array(line, { maxLength: 8 }).map((ls) => Buffer.from(`${ls.join('\n')}\n`, 'utf8')),
  fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)),
);

describe('fuzz: arbitrary bytes and lines', () => {
  it('the pino stream takes any bytes, in any chunks, without an error', {
    timeout: TIMEOUT,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(bytes, fc.integer({ min: 1, max: 64 }), async (input, chunk) => {
        emu.reset();
        const stream = await pinoAzureIngestion(options());
        let errored: unknown;
        stream.on('error', (e) => {
          errored = e;
        });
        for (let i = 0; i < input.length; i += chunk) stream.write(input.subarray(i, i + chunk));
        await new Promise<void>((resolve) => {
          stream.once('close', () => resolve());
          stream.end();
        });
        expect(errored).toBeUndefined();
        const stats = stream.stats();
        expect(stats.lines).toBeLessThanOrEqual(input.toString('utf8').split('\n').length);
        expectLanded(stream.client.stats(), stats.lines);
      }),
      params,
    );
  });

  it('the CLI takes any bytes on stdin and exits 0 with every line accounted for', {
    timeout: TIMEOUT,
  }, async () => {
    const pkg = createRequire(import.meta.url).resolve('pino-azure-ingestion/package.json');
    const cli = join(dirname(pkg), 'dist', 'cli.mjs');
    await fc.assert(
      fc.asyncProperty(bytes, async (input) => {
        emu.reset();
        const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>(
          (resolve) => {
            const child = spawn(process.execPath, [cli], {
              env: { PATH: process.env.PATH ?? '', ...emu.env() },
              stdio: ['pipe', 'ignore', 'pipe'],
            });
            let err = '';
            child.stderr.on('data', (d) => {
              err += d;
            });
            child.on('close', (c) => resolve({ code: c, stderr: err }));
            child.stdin.end(input);
          },
        );
        expect(code).toBe(0);
        const m = /(\d+) lines? .*?(\d+) delivered, (\d+) rejected, (\d+) dropped/.exec(stderr);
        if (m === null) {
          expect(emu.rows(TABLE)).toHaveLength(0); // nothing read, nothing to report
          return;
        }
        const [lines, delivered, rejected, dropped] = m.slice(1).map(Number) as number[];
        expect((delivered ?? 0) + (rejected ?? 0) + (dropped ?? 0)).toBe(lines);
        expect(emu.rows(TABLE)).toHaveLength(delivered ?? -1);
      }),
      { ...params, numRuns: Math.max(4, Math.floor(RUNS / 4)) },
    );
  });
});
