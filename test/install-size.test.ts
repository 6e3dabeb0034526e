/**
 * The package check of issue "A small install": each transport, installed as a user does
 * (its packed tarballs and the core's into an empty folder, with the logger it needs), stays
 * under 10 MiB, and without @azure/identity. The measured sizes are printed.
 *
 * Size = the bytes of every file under node_modules (what `du --apparent-size` counts), so the
 * figure does not depend on the file system's block size.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installSize, MiB, packedInstall, TRANSPORTS, type Transport } from './helpers/packed.js';

const LIMIT = 10 * MiB;
const mib = (bytes: number) => (bytes / MiB).toFixed(2);

describe('install size of each transport', () => {
  it.each(Object.keys(TRANSPORTS) as Transport[])(
    '%s with its logger installs under 10 MiB, without @azure/identity',
    async (t) => {
      const dir = await packedInstall(t);
      const { total, packages } = installSize(dir);
      const biggest = [...packages]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([name, size]) => `${name} ${mib(size)}`)
        .join(', ');
      console.log(
        `install size: ${TRANSPORTS[t].name} + ${TRANSPORTS[t].logger}: ${mib(total)} MiB in ` +
          `${packages.size} packages (biggest: ${biggest} MiB)`,
      );
      expect(existsSync(join(dir, 'node_modules', '@azure', 'identity'))).toBe(false);
      expect(packages.has(TRANSPORTS[t].name)).toBe(true);
      expect(packages.has('azure-ingestion-core')).toBe(true);
      expect(total).toBeLessThan(LIMIT);
    },
    180_000,
  );
});
