// Installing the packages as a user does and measuring what lands in node_modules. Shared by
// bench/install-size.mjs and the tests of test/install-size.test.ts and
// test/builtin-credential.test.ts (through test/helpers/packed.ts).
//
// `pnpm pack` turns each workspace package into the tarball npm would publish (workspace
// ranges become versions, only `files` ship); `npm install` puts tarballs and registry
// packages into an empty folder, from npm's cache when it can (`--prefer-offline`), without
// running install scripts. Nothing of this repository's node_modules is visible there.
import { execFile } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PNPM = join(ROOT, 'node_modules', 'pnpm', 'bin', 'pnpm.mjs');
export const MiB = 1024 * 1024;

/** Each transport: its workspace folder, its npm name, and its logger (the peer users install). */
export const TRANSPORTS = {
  winston: { dir: 'winston', name: 'winston-transport-azure-ingestion', logger: 'winston' },
  pino: { dir: 'pino', name: 'pino-azure-ingestion', logger: 'pino' },
};

/**
 * `name@version` of a devDependency of a workspace package (what the repository tests with).
 * @param {string} dir @param {string} name @returns {string}
 */
export function devSpec(dir, name) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8'));
  return `${name}@${pkg.devDependencies[name]}`;
}

/**
 * The environment without NODE_PATH (pnpm's .bin scripts point it at this repository).
 * @param {Record<string, string>} [extra] @returns {NodeJS.ProcessEnv}
 */
export function cleanEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  delete env.NODE_PATH;
  return env;
}

/**
 * `pnpm pack` of packages/<dir> for each dir, into `out`; the tarball paths.
 * @param {string[]} dirs @param {string} out @returns {Promise<string[]>}
 */
export async function pack(dirs, out) {
  /** @type {string[]} */
  const tarballs = [];
  for (const dir of dirs) {
    const cwd = join(ROOT, 'packages', dir);
    const { stdout } = await run(process.execPath, [PNPM, 'pack', '--pack-destination', out], {
      cwd,
    });
    const tgz = stdout.trim().split('\n').at(-1) ?? '';
    if (!tgz.endsWith('.tgz') || !existsSync(tgz))
      throw new Error(`pnpm pack in ${cwd}: ${stdout}`);
    tarballs.push(tgz);
  }
  return tarballs;
}

/**
 * `npm install` of `specs` (tarball paths or registry specs) into the empty folder `dir`.
 * @param {string} dir @param {string[]} specs @returns {Promise<void>}
 */
export async function npmInstall(dir, specs) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "name": "install-fixture", "private": true }\n');
  const args = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'];
  args.push('--no-package-lock', '--loglevel=error', ...specs);
  await run('npm', args, { cwd: dir, env: cleanEnv(), shell: process.platform === 'win32' });
}

/**
 * Bytes of the files under `dir`/node_modules (symbolic links not followed; what
 * `du --apparent-size` counts, independent of the file system's block size), in total and per
 * top-level package (nested copies counted with their parent).
 * @param {string} dir @returns {{ total: number, packages: Map<string, number> }}
 */
export function installSize(dir) {
  /** @param {string} path @returns {number} */
  const walk = (path) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return 0;
    if (!stat.isDirectory()) return stat.size;
    let sum = 0;
    for (const entry of readdirSync(path)) sum += walk(join(path, entry));
    return sum;
  };
  const modules = join(dir, 'node_modules');
  /** @type {Map<string, number>} */
  const packages = new Map();
  let total = 0;
  for (const entry of readdirSync(modules)) {
    const names = entry.startsWith('@')
      ? readdirSync(join(modules, entry)).map((n) => `${entry}/${n}`)
      : [entry];
    for (const name of names) {
      const size = walk(join(modules, name));
      packages.set(name, size);
      total += size;
    }
  }
  return { total, packages };
}
