import type { UserConfig } from 'tsdown';

// One build shape for every package: the library as ESM + CommonJS with declarations (many
// winston users are on CommonJS), for the oldest supported Node; a CLI, when there is one,
// as ESM only (package.json "bin" points at dist/cli.mjs; the shebang in src/cli.ts is kept).
const common = { platform: 'node', target: 'node20.18', sourcemap: true } as const;

export function packageBuild(options: { cli?: boolean } = {}): UserConfig[] {
  const library: UserConfig = {
    ...common,
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
  };
  if (!options.cli) return [library];
  return [library, { ...common, entry: ['src/cli.ts'], format: ['esm'], dts: false, clean: false }];
}
