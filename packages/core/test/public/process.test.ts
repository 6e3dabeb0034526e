/**
 * The core as users load it (the built package, by name) in child processes: exit behaviour
 * and lazy loading of @azure/identity and undici.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // The timeout is a bound for a hung child, not a timing assertion.
    execFile(
      process.execPath,
      args,
      { cwd, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr });
      },
    );
  });
}

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.stop());

describe('process exit', () => {
  it('an idle client does not keep the process alive', async () => {
    const result = await run([fixture('push-and-idle.mjs'), '0'], emu.env());
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });

  it('a process that pushes and never closes delivers everything, then exits by itself', async () => {
    emu.reset();
    const result = await run([fixture('push-and-idle.mjs'), '250'], emu.env());
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(emu.rows('AppLogs_CL')).toHaveLength(250);
  });
});

// Loading either at import would cost serverless cold starts (~50–500 ms here); each check has
// a control run that loads the module itself, proving the probe would see it.
describe.each([
  { name: '@azure/identity', pattern: '[\\\\/]@azure[\\\\/+]identity' },
  { name: 'undici', pattern: '[\\\\/]undici[\\\\/]' },
])('lazy $name', ({ name, pattern }) => {
  it('is not loaded by requiring the core (CommonJS)', async () => {
    const probe = `require('azure-ingestion-core');
      const loaded = () => Object.keys(require.cache).filter((k) => /${pattern}/.test(k)).length;
      const before = loaded();
      if (process.argv[1] === 'control') require('${name}');
      console.log(JSON.stringify({ before, after: loaded() }));`;
    const plain = await run(['-e', probe]);
    expect(JSON.parse(plain.stdout)).toEqual({ before: 0, after: 0 });
    const control = await run(['-e', probe, 'control']);
    expect(JSON.parse(control.stdout).after).toBeGreaterThan(0);
  });

  it('is not loaded by importing the core (ESM)', async () => {
    const plain = await run([fixture('esm-load-probe.mjs'), name]);
    expect(JSON.parse(plain.stdout)).toEqual({ before: 0, after: 0 });
    const control = await run([fixture('esm-load-probe.mjs'), name, 'control']);
    expect(JSON.parse(control.stdout).after).toBeGreaterThan(0);
  });
});

describe('what loads at the first send', () => {
  it('importing the core loads neither node:zlib, node:http nor node:tls (CJS and ESM)', async () => {
    const list = `JSON.stringify(process.moduleLoadList.filter((m) => /^NativeModule (zlib|https?|tls)$/.test(m)))`;
    const cjs = await run(['-e', `require('azure-ingestion-core'); console.log(${list})`]);
    expect(JSON.parse(cjs.stdout)).toEqual([]);
    const esm = await run([
      '--input-type=module',
      '-e',
      `await import('azure-ingestion-core'); console.log(${list})`,
    ]);
    expect(JSON.parse(esm.stdout)).toEqual([]);
    const control = await run([
      '-e',
      `require('azure-ingestion-core'); require('node:zlib'); console.log(${list})`,
    ]);
    expect(JSON.parse(control.stdout)).toEqual(['NativeModule zlib']);
  });

  it('is loaded at the first send by the CommonJS build, which delivers', async () => {
    emu.reset();
    const result = await run([fixture('cjs-send.cjs')], emu.env());
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      before: 0,
      after: expect.any(Number),
      delivered: 3,
    });
    expect(JSON.parse(result.stdout).after).toBeGreaterThan(0);
    expect(emu.rows('AppLogs_CL')).toHaveLength(3);
  });
});
