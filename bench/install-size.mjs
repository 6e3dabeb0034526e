// Install size: what `npm install` puts into node_modules for each transport, beside the same
// with @azure/identity (the developer-machine install, and what every install carried while
// @azure/identity was a dependency) and beside the official Azure SDK pair users would
// otherwise run (@azure/monitor-ingestion + @azure/identity), each with its logger.
//
//   node bench/install-size.mjs
//
// Each scenario is installed into its own empty folder (bench/lib/install.mjs: the transports
// from their `pnpm pack` tarballs, the rest from the registry or npm's cache) and measured as
// the bytes of its files (`du --apparent-size`). The versions are the ones the repository
// tests with. test/install-size.test.ts checks the 10 MiB bound in `npm test`.
// Build first: node_modules/.bin/pnpm -r --filter './packages/**' run build
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devSpec, installSize, MiB, npmInstall, pack, TRANSPORTS } from './lib/install.mjs';

const work = mkdtempSync(join(tmpdir(), 'install-size-'));
const identity = devSpec('core', '@azure/identity');
const sdk = [devSpec('core', '@azure/monitor-ingestion'), identity];
const mib = (bytes) => `${(bytes / MiB).toFixed(2)} MiB`;

try {
  const rows = [];
  for (const [key, t] of Object.entries(TRANSPORTS)) {
    const tarballs = await pack(['core', t.dir], join(work, 'packs'));
    const logger = devSpec(t.dir, t.logger);
    const scenarios = {
      [`${t.name} + ${t.logger}`]: [...tarballs, logger],
      [`  + ${identity}`]: [...tarballs, logger, identity],
      [`${t.logger} + @azure/monitor-ingestion + @azure/identity`]: [logger, ...sdk],
    };
    const sizes = [];
    for (const [name, specs] of Object.entries(scenarios)) {
      const dir = join(work, `${key}-${sizes.length}`);
      await npmInstall(dir, specs);
      const { total, packages } = installSize(dir);
      sizes.push(total);
      rows.push([name, mib(total), String(packages.size), total / sizes[0]]);
    }
  }
  const npm = execFileSync('npm', ['--version'], {
    encoding: 'utf8',
    shell: process.platform === 'win32',
  }).trim();
  console.log(`install size: files under node_modules (npm ${npm}, node ${process.version})`);
  console.log(`  ${''.padEnd(58)} ${'size'.padStart(10)} ${'packages'.padStart(9)}  vs transport`);
  for (const [name, size, count, ratio] of rows) {
    const vs = ratio === 1 ? '' : `${ratio.toFixed(2)}x`;
    console.log(`  ${name.padEnd(58)} ${size.padStart(10)} ${count.padStart(9)}  ${vs}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
