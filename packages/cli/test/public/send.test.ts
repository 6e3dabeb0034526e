/**
 * `azure-ingestion send` against the emulator: NDJSON from stdin or files, as records of the
 * stream or mapped from pino and winston output, the summary and the exit status, each failure
 * injected (the core's warning says what happened; the status is 1).
 */
import { hostname } from 'node:os';
import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, DEFAULT_DECLARATION, dcr, ndjson, tempDir } from '../helpers.js';

const RULE = `dcr-${'6'.repeat(32)}`;
const STREAM = 'Custom-AppLogs';
const TABLE = 'AppLogs_CL';
/** A typed custom stream for records sent as they are. */
const EVENTS_RULE = `dcr-${'7'.repeat(32)}`;
const EVENTS = dcr(EVENTS_RULE, 'Custom-Events', [
  ['TimeGenerated', 'datetime'],
  ['Name', 'string'],
  ['Count', 'int'],
]);

const file = tempDir();
let emu: Emulator;
let forbidding: Emulator;
let secure: Emulator;
beforeAll(async () => {
  [emu, forbidding, secure] = await Promise.all([
    startEmulator({ port: 0, dcrs: [dcr(RULE, STREAM, DEFAULT_DECLARATION), EVENTS] }),
    startEmulator({
      port: 0,
      forbiddenRules: [RULE],
      dcrs: [dcr(RULE, STREAM, DEFAULT_DECLARATION)],
    }),
    startEmulator({ port: 0, https: true }),
  ]);
});
afterAll(() => Promise.all([emu.stop(), forbidding.stop(), secure.stop()]));

const now = () => new Date(Date.now() - 60_000).toISOString();
const events = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    TimeGenerated: now(),
    Name: `event ${from + i}`,
    Count: from + i,
  }));
const eventsEnv = () => emu.env({ stream: 'Custom-Events', ruleId: EVENTS_RULE });
const send = (env: Record<string, string>, args: string[], input?: string) =>
  cli(['send', ...args], env, input);

describe('azure-ingestion send', () => {
  it('sends each object line of stdin as a record of the stream, and exits 0', async () => {
    emu.reset();
    const run = await send(eventsEnv(), [], ndjson(events(3)));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /azure-ingestion send: 3 of 3 records delivered \(0 rejected, 0 dropped, 0 lines not sent\); \d+ B read, \d+ B sent \(\d+ B gzipped\) in [\d.]+ s/,
    );
    expect(emu.rows('Events_CL').map((r) => [r.Name, r.Count])).toEqual([
      ['event 0', 0],
      ['event 1', 1],
      ['event 2', 2],
    ]);
  });

  it('reads files in order, many records through the core batching, with a JSON summary', async () => {
    emu.reset();
    const a = file('a.ndjson', ndjson(events(3000)));
    const b = file('b.ndjson', `\ufeff${ndjson(events(2000, 3000))}`);
    const run = await send({ ...eventsEnv(), AZURE_LOGS_INGESTION_MAX_BATCH_BYTES: '65536' }, [
      a,
      b,
      '--json',
    ]);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({
      ok: true,
      lines: 5000,
      accepted: 5000,
      delivered: 5000,
      linesNotSent: 0,
    });
    expect(summary.requests['204']).toBeGreaterThan(5);
    const rows = emu.rows('Events_CL');
    expect(rows).toHaveLength(5000);
    // Every record once (requests run 4 at a time: their rows may land in any order).
    const counts = rows.map((r) => r.Count as number).sort((a, b) => a - b);
    expect(counts).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });

  it('does not send lines that are not JSON objects, lists them and exits 1', async () => {
    emu.reset();
    const input = `${ndjson(events(1))}not json\n[1,2]\n\n${ndjson(events(1, 1))}`;
    const run = await send(eventsEnv(), [], input);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /2 of 2 records delivered \(0 rejected, 0 dropped, 2 lines not sent\)/,
    );
    expect(run.stderr).toMatch(/stdin:2: not JSON/);
    expect(run.stderr).toMatch(/stdin:3: not a JSON object \(an array\)/);
    expect(emu.rows('Events_CL')).toHaveLength(2);
  });

  it('--map pino: maps pino lines onto the default record, as the pino transport does', async () => {
    emu.reset();
    const lines = ndjson([
      { level: 30, time: Date.now(), pid: 1, hostname: 'h1', msg: 'from pino', userId: 'u' },
      {
        level: 50,
        time: Date.now(),
        msg: 'failed',
        err: { type: 'Error', message: 'boom', stack: 'Error: boom' },
      },
    ]);
    const run = await send(
      emu.env({ stream: STREAM, ruleId: RULE }),
      ['--map', 'pino'],
      `${lines}text printed by something else\n`,
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/3 of 3 records delivered .*1 lines sent as text \(not JSON\)/);
    const rows = emu.rows(TABLE);
    expect(rows[0]).toMatchObject({
      Level: 'info',
      SeverityNumber: 9,
      Message: 'from pino',
      Host: 'h1',
      Properties: { pid: 1, userId: 'u' },
    });
    expect(rows[1]).toMatchObject({
      Level: 'error',
      Message: 'failed',
      Exception: { message: 'boom' },
    });
    expect(rows[2]).toMatchObject({
      Message: 'text printed by something else',
      Properties: { nonJson: true },
    });
  });

  it('--map winston: maps winston JSON output onto the default record', async () => {
    emu.reset();
    const lines = ndjson([
      { level: 'warn', message: 'from winston', timestamp: now(), requestId: 'r1' },
      { level: 'error', message: 'failed', stack: 'TypeError: bad\n    at x (y.js:1:1)' },
    ]);
    const run = await send(emu.env({ stream: STREAM, ruleId: RULE }), ['--map', 'winston'], lines);
    expect(run.code).toBe(0);
    const rows = emu.rows(TABLE);
    expect(rows[0]).toMatchObject({
      Level: 'warn',
      SeverityNumber: 13,
      Message: 'from winston',
      Host: hostname(),
      Properties: { requestId: 'r1' },
    });
    expect(rows[1]).toMatchObject({
      Level: 'error',
      Exception: { type: 'TypeError', message: 'bad' },
    });
  });

  it('draws a progress line when asked (a terminal by default)', async () => {
    const run = await send(eventsEnv(), ['--progress'], ndjson(events(2)));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('\r\u001b[K');
    expect(run.stderr).toMatch(/records\/s · 0 errors/);
  });

  // [case, the failure, what the core's warning or the summary says]
  const FAILURES: [string, () => Record<string, string>, RegExp][] = [
    [
      '401: a token for another audience',
      () => ({
        ...eventsEnv(),
        AZURE_LOGS_INGESTION_TOKEN: emu.token({ audience: 'https://management.azure.com' }),
      }),
      /401 ERR_INGESTION_UNAUTHORIZED \(InvalidAudience/,
    ],
    [
      '403: the role is missing',
      () => forbidding.env({ stream: STREAM, ruleId: RULE }),
      /403 ERR_INGESTION_FORBIDDEN .*Monitoring Metrics Publisher/,
    ],
    [
      '404: an unknown rule',
      () => emu.env({ stream: STREAM, ruleId: `dcr-${'8'.repeat(32)}` }),
      /404 ERR_INGESTION_NOT_FOUND \(NotFound/,
    ],
    [
      'an unknown stream',
      () => emu.env({ stream: 'Custom-Nope', ruleId: RULE }),
      /400 ERR_INGESTION_BAD_REQUEST \(InvalidStream/,
    ],
    [
      '413 on every request',
      () => {
        for (let i = 0; i < 3; i++)
          emu.faults.enqueue({ status: 413, errorCode: 'ContentLengthLimitExceeded' });
        return eventsEnv();
      },
      /413 ERR_INGESTION_RECORD_TOO_LARGE \(ContentLengthLimitExceeded/,
    ],
    [
      '429 past the retry time',
      () => {
        emu.faults.enqueue({ status: 429, retryAfter: '1', errorCode: 'TooManyRequests' });
        return { ...eventsEnv(), AZURE_LOGS_INGESTION_MAX_RETRY_TIME_MS: '0' };
      },
      /429 ERR_INGESTION_RETRIES_EXHAUSTED \(TooManyRequests/,
    ],
    [
      'DNS',
      () => ({
        ...eventsEnv(),
        AZURE_LOGS_INGESTION_ENDPOINT: 'https://logs.invalid',
        AZURE_LOGS_INGESTION_MAX_RETRY_TIME_MS: '0',
      }),
      /the host name logs\.invalid was not found \(DNS: ENOTFOUND\)/,
    ],
    [
      'TLS',
      () => ({ ...secure.env(), AZURE_LOGS_INGESTION_MAX_RETRY_TIME_MS: '0' }),
      /TLS with 127\.0\.0\.1:\d+ failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/,
    ],
  ];

  it.each(FAILURES)('%s: says why, exits 1', async (_case, env, says) => {
    emu.faults.clear();
    const run = await send(env(), [], ndjson(events(2)));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(says);
    expect(run.stderr).toMatch(/0 of 2 records delivered \(2 rejected, 0 dropped/);
  });

  it('with --dcr, says which column the service drops or nulls, and exits 1', async () => {
    emu.reset();
    const dcrFile = file('events-dcr.json', EVENTS);
    const records = [{ TimeGenerated: now(), Name: 'n', Count: 'many', Extra: true }];
    const run = await send(eventsEnv(), ['--dcr', dcrFile], ndjson([...records, ...records]));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /schema pre-flight: column Count \(field Count of the record\) holds a string but stream Custom-Events of .*events-dcr\.json declares it int: the service stores null/,
    );
    expect(run.stderr).toMatch(
      /schema pre-flight: column Extra \(field Extra of the record\) is not declared in stream Custom-Events .*: the service drops it/,
    );
    expect(run.stderr).toMatch(
      /2 of 2 records delivered \(0 rejected, 0 dropped, 0 lines not sent, 2 columns the service drops or nulls/,
    );
    // What the emulator did to them: what the pre-flight said.
    expect(emu.counters()).toMatchObject({ columnsDropped: 2, typeErrors: 2 });
  });

  it('exits 2 on an invalid configuration, before reading its input', async () => {
    const run = await send(
      { AZURE_LOGS_INGESTION_ENDPOINT: 'https://x.invalid' },
      [],
      ndjson(events(1)),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not sending, the configuration is invalid/);
    expect(run.stderr).toMatch(/ruleId \[env AZURE_LOGS_INGESTION_RULE_ID\]: is missing/);
    const missing = await send(eventsEnv(), ['/nonexistent/input.ndjson']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read \/nonexistent\/input\.ndjson: ENOENT/);
  });
});
