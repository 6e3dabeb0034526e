/**
 * The README's API tables are the list of each entry point's exports: every name exported by
 * src/index.ts (the root, for users) is in "## API" and nothing else, and every name exported by
 * src/adapter.ts is in "## Adapter API" and nothing else. An export added, moved or removed
 * fails here until the README follows.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const README = read('../README.md');

/** The names an entry file exports (values and types), from its explicit export lists. */
function exportedNames(source: string): string[] {
  expect(source).not.toMatch(/export \*/);
  const names: string[] = [];
  for (const [, list] of source.matchAll(/^export (?:type )?\{([^}]*)\}/gm)) {
    for (const item of (list ?? '').split(',')) {
      const name = item
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop();
      if (name) names.push(name);
    }
  }
  return names.sort();
}

/** The names in the first column of the table of the README section that starts with `heading`. */
function listedNames(heading: string): string[] {
  const start = README.indexOf(`\n${heading}`);
  expect(start, `no section "${heading}" in the README`).toBeGreaterThan(0);
  const end = README.indexOf('\n## ', start + 1);
  const names: string[] = [];
  for (const line of README.slice(start, end).split('\n')) {
    const first = line.startsWith('| `') ? line.split(/(?<!\\)\|/)[1] : undefined;
    for (const [, code] of (first ?? '').matchAll(/`([^`]+)`/g)) {
      names.push(/^[A-Za-z_$][\w$]*/.exec(code ?? '')?.[0] ?? '');
    }
  }
  return names.sort();
}

describe('README API tables', () => {
  it('"## API" lists exactly the root export (azure-ingestion-core)', () => {
    expect(listedNames('## API\n')).toEqual(exportedNames(read('../src/index.ts')));
  });

  it('"## Adapter API" lists exactly azure-ingestion-core/adapter', () => {
    expect(listedNames('## Adapter API')).toEqual(exportedNames(read('../src/adapter.ts')));
  });

  it('reads the value exports the modules really have', async () => {
    const root = await import('../src/index.js');
    const adapter = await import('../src/adapter.js');
    const listed = new Set([...listedNames('## API\n'), ...listedNames('## Adapter API')]);
    for (const name of [...Object.keys(root), ...Object.keys(adapter)]) {
      expect(listed.has(name), name).toBe(true);
    }
  });
});
