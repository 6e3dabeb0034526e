import { defineConfig } from 'tsdown';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    platform: 'node',
    target: 'node20.18',
    sourcemap: true,
    clean: true,
  },
  {
    // The CLI: ESM only, no types; package.json "bin" points at dist/cli.mjs.
    entry: ['src/cli.ts'],
    format: ['esm'],
    dts: false,
    platform: 'node',
    target: 'node20.18',
    sourcemap: true,
    clean: false,
  },
]);
