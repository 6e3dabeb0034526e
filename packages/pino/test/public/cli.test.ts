/** The CLI pipe: `node app.js | pino-azure-ingestion`, spawned with stdin, against the emulator. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  envWithoutIngestion,
  messages,
  type NodeRun,
  runNode,
  TABLE,
  useEmulator,
} from '../helpers.js';

// The bin as package.json declares it, resolved through the package name.
const pkgJson = createRequire(import.meta.url).resolve('pino-azure-ingestion/package.json');
const CLI = join(dirname(pkgJson), 'dist', 'cli.mjs');
const emulator = useEmulator();

/** The CLI with `input` on stdin, configured by `env` only (the test's own variables removed). */
function cli(
  input: string,
  args: string[] = [],
  env: Record<string, string> = emulator().env(),
): Promise<NodeRun> {
  return runNode([CLI, ...args], { ...envWithoutIngestion(), ...env }, input);
}

const line = (o: object) => `${JSON.stringify(o)}\n`;

describe('pino-azure-ingestion CLI', () => {
  it('sends NDJSON, counts non-JSON lines, flushes at end of input and exits 0', async () => {
    emulator().reset();
    const input =
      line({ level: 30, time: 1_700_000_000_000, pid: 9, hostname: 'h', msg: 'one' }) +
      'Error: something printed by console.error\n' +
      line({
        level: 50,
        time: 1_700_000_000_001,
        msg: 'two',
        err: { type: 'Error', message: 'e', stack: 'Error: e' },
      }) +
      '\n';
    const run = await cli(input, ['--echo']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(input);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/3 lines \(1 not JSON\), 3 delivered, 0 rejected, 0 dropped/);
    const rows = emulator().rows(TABLE);
    expect(rows.map((r) => r.Message)).toEqual([
      'one',
      'Error: something printed by console.error',
      'two',
    ]);
    expect(rows[1]).toMatchObject({ Properties: { nonJson: true } });
    expect(rows[2]).toMatchObject({ Level: 'error', Exception: { message: 'e' } });
  });

  it('validates piped lines: JSON-looking garbage is sent as text, not as a broken record', async () => {
    emulator().reset();
    // Balanced braces, so pino's compact-form scanner alone would accept it; JSON.parse does not.
    const bad = '{"level":30,"a":{b},"msg":"x"}';
    const run = await cli(
      `${line({ level: 30, msg: 'before' })}${bad}\n${line({ level: 30, msg: 'after' })}`,
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/3 lines \(1 not JSON\), 3 delivered, 0 rejected/);
    expect(messages(emulator())).toEqual(['before', bad, 'after']);
  });

  it('reads custom levels and keys from flags', async () => {
    emulator().reset();
    const run = await cli(line({ lvl: 35, message: 'audited' }), [
      '--custom-levels',
      'audit=35',
      '--level-key',
      'lvl',
      '--message-key',
      'message',
    ]);
    expect(run.code).toBe(0);
    expect(emulator().rows(TABLE)[0]).toMatchObject({ Level: 'audit', Message: 'audited' });
  });

  it('exits 1 when records were rejected', async () => {
    emulator().reset();
    emulator().faults.enqueue({ status: 400, errorCode: 'InvalidPayload' });
    const run = await cli(line({ level: 30, msg: 'x' }), [], {
      ...emulator().env(),
      AZURE_LOGS_INGESTION_WARNINGS: 'false',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/0 delivered, 1 rejected/);
  });

  it('exits 2 on a configuration error, naming the variable', async () => {
    const run = await cli('', [], { AZURE_LOGS_INGESTION_ENDPOINT: 'ftp://nowhere' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/AZURE_LOGS_INGESTION_ENDPOINT/);
  });

  it('on a configuration error still reads stdin to its end, copying it with --echo', async () => {
    emulator().reset();
    const input = line({ msg: 'one' }) + line({ msg: 'two' });
    const env = { ...emulator().env(), AZURE_LOGS_INGESTION_RULE_ID: 'my-rule' };
    const run = await cli(input, ['--echo'], env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe(input);
    expect(run.stderr).toMatch(/ruleId \[env AZURE_LOGS_INGESTION_RULE_ID\]: .* Fix: /);
    expect(run.stderr).toContain('2 lines read and discarded');
    expect(emulator().rows(TABLE)).toHaveLength(0);
  });
});
