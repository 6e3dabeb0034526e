/**
 * What the CLI's tests share: the built bin run as users run it (`azure-ingestion …`, resolved
 * through the package name), configured by environment variables alone, and DCR files written
 * to a temporary directory.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_COLUMN_TYPES } from 'azure-ingestion-core/adapter';
import { afterAll } from 'vitest';

const pkg = createRequire(import.meta.url).resolve('azure-ingestion-cli/package.json');
const { bin } = createRequire(import.meta.url)('azure-ingestion-cli/package.json') as {
  bin: Record<string, string>;
};
/** The bin as package.json declares it. */
export const BIN = join(dirname(pkg), bin['azure-ingestion']!);

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The current environment without any AZURE_LOGS_INGESTION_* (or Azure credential) variable. */
export function cleanEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('AZURE_') || k.startsWith('IDENTITY_')) continue;
    out[k] = v;
  }
  return out;
}

/** Runs `azure-ingestion ...args` with `env` (added to a clean environment) and `input` on stdin. */
export function cli(
  args: readonly string[],
  env: Record<string, string>,
  input?: string,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...cleanEnv(), NO_COLOR: '1', ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** A temporary directory for the file's tests, removed after them. */
export function tempDir(): (name: string, content: unknown) => string {
  const dir = mkdtempSync(join(tmpdir(), 'azure-ingestion-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (name, content) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return path;
  };
}

/** The default columns and their types (as templates/dcr.json declares them). */
export const DEFAULT_DECLARATION = Object.entries(DEFAULT_COLUMN_TYPES);

/** A DCR as `az monitor data-collection rule show` exports it, with one stream and its columns. */
export function dcr(
  ruleId: string,
  stream: string,
  columns: readonly (readonly [string, string])[],
) {
  const table = `${stream.replace(/^Custom-/, '')}_CL`;
  return {
    name: `dcr-${table.toLowerCase().replace(/_/g, '-')}`,
    type: 'Microsoft.Insights/dataCollectionRules',
    properties: {
      immutableId: ruleId,
      streamDeclarations: {
        [stream]: { columns: columns.map(([name, type]) => ({ name, type })) },
      },
      destinations: { logAnalytics: [{ name: 'w', workspaceResourceId: '/w' }] },
      dataFlows: [
        {
          streams: [stream],
          destinations: ['w'],
          transformKql: 'source',
          outputStream: `Custom-${table}`,
        },
      ],
    },
  };
}

/** NDJSON text of `records`. */
export const ndjson = (records: readonly object[]): string =>
  records.map((r) => `${JSON.stringify(r)}\n`).join('');
