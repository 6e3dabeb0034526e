import { defineConfig } from 'vitest/config';

// Two projects. "public" tests import package names (the built `dist/`, as users load them):
// they also run on Node 22 and 24 in CI. "internal" tests may import `src/`.
const publicTests = [
  'packages/*/test/public/**/*.test.ts',
  'test/**/*.test.ts',
  'examples/**/*.test.ts',
];
const shared = {
  exclude: ['**/node_modules/**', '**/dist/**'],
  testTimeout: 30_000,
  hookTimeout: 30_000,
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    // Two cores here and in CI: more workers only add contention.
    maxWorkers: 2,
    projects: [
      { test: { ...shared, name: 'public', include: publicTests } },
      {
        test: {
          ...shared,
          name: 'internal',
          include: ['packages/*/test/**/*.test.ts'],
          exclude: [...shared.exclude, 'packages/*/test/public/**'],
        },
      },
    ],
  },
});
