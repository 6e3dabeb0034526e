/**
 * The packages as a user installs them (bench/lib/install.mjs: `pnpm pack`, then `npm install`
 * of the tarballs and the logger into an empty folder), for the tests that need a folder where
 * `@azure/identity` is absent unless a test adds it.
 *
 * One folder per content (a hash of the tarballs, the apps of test/fixtures/packed-apps and the
 * logger version), kept in the OS temp dir: every test file of a run, and the public runs on
 * Node 22 and 24, share one install. A folder is built under a temporary name and renamed when
 * complete, so concurrent test files never see half an install. The first install on a machine
 * fetches from the registry; later ones come from npm's cache.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devSpec, npmInstall, pack, ROOT, TRANSPORTS } from '../../bench/lib/install.mjs';

export { cleanEnv, installSize, MiB, TRANSPORTS } from '../../bench/lib/install.mjs';

export type Transport = keyof typeof TRANSPORTS;

const APPS = join(ROOT, 'test', 'fixtures', 'packed-apps');
const CACHE = join(tmpdir(), 'azure-ingestion-packed');

const loggerSpec = (t: Transport): string => devSpec(TRANSPORTS[t].dir, TRANSPORTS[t].logger);

function contentKey(t: Transport, tarballs: string[]): string {
  const hash = createHash('sha256').update(`${t} ${loggerSpec(t)}\n`);
  for (const f of tarballs) hash.update(readFileSync(f));
  for (const f of readdirSync(APPS).sort()) hash.update(f).update(readFileSync(join(APPS, f)));
  return hash.digest('hex').slice(0, 16);
}

/** Installs of older contents, untouched for a day, are removed when a new one is built. */
function removeStale(): void {
  const dayAgo = Date.now() - 86_400_000;
  for (const entry of existsSync(CACHE) ? readdirSync(CACHE) : []) {
    const path = join(CACHE, entry);
    if (statSync(path).mtimeMs < dayAgo) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * A folder with the packed core + transport + logger installed (and the apps of
 * test/fixtures/packed-apps copied in), built once per content.
 */
export async function packedInstall(t: Transport): Promise<string> {
  const packs = mkdtempSync(join(tmpdir(), 'azure-ingestion-pack-'));
  try {
    const tarballs: string[] = await pack(['core', TRANSPORTS[t].dir], packs);
    const dir = join(CACHE, `${t}-${contentKey(t, tarballs)}`);
    if (existsSync(join(dir, 'node_modules'))) return dir;
    removeStale();
    const building = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    await npmInstall(building, [...tarballs, loggerSpec(t)]);
    cpSync(APPS, building, { recursive: true });
    try {
      renameSync(building, dir);
    } catch (error) {
      // Another test file finished the same install first: use that one.
      rmSync(building, { recursive: true, force: true });
      if (!existsSync(join(dir, 'node_modules'))) throw error;
    }
    return dir;
  } finally {
    rmSync(packs, { recursive: true, force: true });
  }
}

/**
 * A copy of `dir` with @azure/identity added, linked to this repository's copy (the core's
 * devDependency) the way pnpm links packages: the core resolves it from its own node_modules,
 * and @azure/identity its dependencies from where they really are. Removed by the caller.
 */
export function withIdentity(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'azure-ingestion-with-identity-'));
  cpSync(dir, copy, { recursive: true, verbatimSymlinks: true });
  const identity = realpathSync(
    join(ROOT, 'packages', 'core', 'node_modules', '@azure', 'identity'),
  );
  mkdirSync(join(copy, 'node_modules', '@azure'), { recursive: true });
  symlinkSync(identity, join(copy, 'node_modules', '@azure', 'identity'), 'junction');
  return copy;
}
