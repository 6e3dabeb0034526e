import type { UserConfig } from 'tsdown';

// One build shape for every package: the library as ESM + CommonJS with declarations (many
// winston users are on CommonJS), for the oldest supported Node; a CLI, when there is one,
// as ESM only (package.json "bin" points at dist/cli.mjs; the shebang in src/cli.ts is kept).
// A package with more than one entry point (the core's `azure-ingestion-core/adapter`) lists
// them in `entries`: each becomes dist/<name>.{mjs,cjs,d.mts,d.cts}, and code they share goes
// to common chunks, so both entries see one copy of the core's module state.
const common = { platform: 'node', target: 'node20.18', sourcemap: true } as const;

export function packageBuild(options: { cli?: boolean; entries?: string[] } = {}): UserConfig[] {
  const library: UserConfig = {
    ...common,
    entry: options.entries ?? ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
  };
  if (!options.cli) return [library];
  return [library, { ...common, entry: ['src/cli.ts'], format: ['esm'], dts: false, clean: false }];
}
