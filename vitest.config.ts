import { defineConfig } from 'vitest/config';

// One run covers every package. Tests under `*/test/public/` and `test/` import package names
// (the built `dist/`, as users do); the others may import `src/`.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two cores here and in CI: more workers only add contention.
    maxWorkers: 2,
  },
});
