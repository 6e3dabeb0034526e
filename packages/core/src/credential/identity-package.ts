/**
 * Is `@azure/identity` installed where the core can import it? Answered at construction,
 * synchronously and without loading it (loading it costs ~50 MiB of modules and ~200 ms).
 *
 * The token provider loads it with `import()` (in the CommonJS build too), so the answer
 * follows the ES module resolution of a bare specifier: `node_modules/@azure/identity` in the
 * core's own directory or any parent, and nothing else. Not `require.resolve`: it also reads
 * NODE_PATH and the global folders, which `import()` ignores (pnpm's `.bin` scripts, for one,
 * set NODE_PATH).
 *
 * `import.meta.url` also works in the CommonJS build: tsdown replaces it there with the file
 * URL of `__filename`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@azure/identity';
let installed: boolean | undefined;

/** True when `name` has a package.json in a `node_modules` at or above `from` (a file URL). */
export function resolvable(name: string, from: string): boolean {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return true;
    const parent = dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

/** Whether @azure/identity can be imported by the core (checked once per process). */
export function identityInstalled(): boolean {
  installed ??= resolvable(PACKAGE, import.meta.url);
  return installed;
}
