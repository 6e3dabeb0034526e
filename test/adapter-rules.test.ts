/**
 * The mapping rules both adapters share, each as one table that the core's function and both
 * adapters (package names, the built dist) are run against: column renames, severity numbers,
 * trace and span ids, times, ANSI colour codes, the User-Agent token. The rules live once, in
 * azure-ingestion-core/adapter; a row that one adapter maps differently fails here.
 *
 * The records are read as the adapters sent them: the emulator answers 403 for the rule (its
 * `forbiddenRules`), so every record comes back through `onError` exactly as serialized (the
 * stored rows would show a time older than 2 days replaced by the receive time, as Azure does).
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { type ConfigProblem, ConfigurationError, type DeliveryFailure } from 'azure-ingestion-core';
import {
  columnsProblems,
  idStaysInProperties,
  isoTime,
  pickId,
  resolveConfig,
  severitiesProblems,
  severityNumber,
  stripAnsi,
  toDefaultRecord,
  withProductToken,
} from 'azure-ingestion-core/adapter';
import { DEFAULT_RULE_ID, type Emulator, startEmulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, type LogicalLog, type MakeAdapter } from './helpers/adapters.js';

let emu: Emulator;
/** Answers 403 to every POST: the records come back through onError as they were sent. */
let refusing: Emulator;
beforeAll(async () => {
  [emu, refusing] = await Promise.all([
    startEmulator({ port: 0 }),
    startEmulator({ port: 0, forbiddenRules: [DEFAULT_RULE_ID] }),
  ]);
});
afterAll(() => Promise.all([emu.stop(), refusing.stop()]));

type Sent = Record<string, unknown>;

/** The records an adapter sends for `logs`, parsed, in order. */
async function sent(
  make: MakeAdapter,
  logs: readonly LogicalLog[],
  options: Record<string, unknown> = {},
  env: NodeJS.ProcessEnv = {},
): Promise<Sent[]> {
  const records: string[] = [];
  const adapter = await make(
    {
      url: refusing.streamUrl(),
      token: refusing.token(),
      warnings: false,
      onError: (f: DeliveryFailure) => records.push(...f.records),
      ...options,
    },
    env,
  );
  for (const log of logs) adapter.log(log);
  await adapter.flush();
  await adapter.close();
  return records.map((r) => JSON.parse(r) as Sent);
}

/** The ConfigurationError's problems when the adapter refuses `options`, else undefined. */
async function refused(
  make: MakeAdapter,
  options: Record<string, unknown>,
): Promise<readonly ConfigProblem[] | undefined> {
  try {
    const adapter = await make({ url: emu.streamUrl(), token: emu.token(), ...options });
    await adapter.close();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }
}

const T = 1_700_000_000_000; // 2023-11-14T22:13:20.000Z

/** `name/version` of a package of this repository, from its package.json. */
function productToken(dir: string): string {
  const url = new URL(`../packages/${dir}/package.json`, import.meta.url);
  const { name, version } = JSON.parse(readFileSync(url, 'utf8')) as Record<string, string>;
  return `${name}/${version}`;
}

describe.each(ADAPTERS)('%s', (adapter, make) => {
  describe('columns: renames, reserved names, duplicates', () => {
    // [case, columns option, options of the problems (empty: accepted)]
    const TABLE: [string, unknown, string[]][] = [
      ['a rename', { Message: 'Msg' }, []],
      ['leaving columns out', { Host: null, Exception: null }, []],
      ['swapping two names', { Message: 'Level', Level: 'Message' }, []],
      ['a reserved name', { Message: 'Type' }, ['columns.Message']],
      ['a reserved name in another case', { Host: 'tenantid' }, ['columns.Host']],
      ['a name starting with a digit', { Level: '1x' }, ['columns.Level']],
      ['a one-letter name', { Level: 'L' }, ['columns.Level']],
      ['a name that is not a string', { Level: 5 }, ['columns.Level']],
      ['not a default column', { Nope: 'x' }, ['columns.Nope']],
      ['RecordId (named by the recordId option)', { RecordId: 'Rid' }, ['columns.RecordId']],
      ["another column's name", { Message: 'Level' }, ['columns']],
      ['two columns under one new name', { Message: 'Text', Host: 'Text' }, ['columns']],
      ['not an object', 'Message', ['columns']],
      ['an array', ['Message'], ['columns']],
    ];
    it.each(TABLE)('%s', async (_case, columns, options) => {
      const expected = columnsProblems(columns);
      expect(expected.map((p) => p.option)).toEqual(options);
      const problems = await refused(make, { columns });
      expect(problems ?? []).toEqual(expected);
    });

    it('renames alike', async () => {
      const log: LogicalLog = { level: 'info', message: 'hello', time: T, fields: { a: 1 } };
      const [record] = await sent(make, [log], {
        columns: { Message: 'Level', Level: 'Message', Host: null, Properties: 'Props' },
      });
      expect(record).toEqual({
        TimeGenerated: '2023-11-14T22:13:20.000Z',
        Message: 'info',
        SeverityNumber: 9,
        Level: 'hello',
        Props: { a: 1 },
      });
    });
  });

  describe('severity numbers given by the user', () => {
    // [case, value, labels refused (empty: accepted)]
    const TABLE: [string, unknown, string[]][] = [
      ['in range', { audit: 11, panic: 24 }, []],
      ['zero', { audit: 0 }, ['audit']],
      ['over 24', { audit: 25 }, ['audit']],
      ['a fraction', { audit: 9.5 }, ['audit']],
      ['a numeric text', { audit: '9' }, ['audit']],
      ['not an object', 9, []],
    ];
    // The same rule under each adapter's option name.
    const option = adapter === 'winston' ? 'levels' : 'levelSeverities';
    it.each(TABLE)('%s', async (_case, value, labels) => {
      const expected = severitiesProblems(option, value);
      if (typeof value === 'object') {
        expect(expected.map((p) => p.option)).toEqual(labels.map((l) => `${option}.${l}`));
      } else {
        expect(expected.map((p) => p.option)).toEqual([option]);
      }
      const problems = await refused(make, { [option]: value });
      expect(problems ?? []).toEqual(expected);
    });
  });

  describe('trace and span ids', () => {
    // [case, fields, TraceId, SpanId, Properties]
    const TABLE: [
      string,
      Record<string, unknown>,
      (string | undefined)?,
      (string | undefined)?,
      object?,
    ][] = [
      ['snake_case', { trace_id: 't1', span_id: 's1' }, 't1', 's1'],
      ['camelCase', { traceId: 't2', spanId: 's2' }, 't2', 's2'],
      [
        'snake_case before camelCase',
        { traceId: 'c', trace_id: 's' },
        's',
        undefined,
        { traceId: 'c' },
      ],
      ['one id under both spellings', { trace_id: 'a', traceId: 'a' }, 'a'],
      ['an empty snake_case id', { trace_id: '', traceId: 'abc' }, 'abc'],
      ['empty ids only', { traceId: '', span_id: '' }],
      [
        'ids that are not strings',
        { trace_id: 42, spanId: { a: 1 } },
        undefined,
        undefined,
        { trace_id: 42, spanId: { a: 1 } },
      ],
      ['a number beside a string', { trace_id: 7, traceId: 'x' }, 'x', undefined, { trace_id: 7 }],
      [
        'other fields',
        { trace_id: 't', trace_flags: '01', user: 'u' },
        't',
        undefined,
        { trace_flags: '01', user: 'u' },
      ],
    ];
    it.each(TABLE)('%s', async (_case, fields, traceId, spanId, properties) => {
      // The core's rule gives the table's columns, and keeps exactly the table's Properties.
      const trace = pickId(fields.trace_id, fields.traceId);
      const span = pickId(fields.span_id, fields.spanId);
      expect([trace, span]).toEqual([traceId, spanId]);
      const kept = Object.keys(fields).filter((k) => {
        if (k === 'trace_id' || k === 'traceId') return idStaysInProperties(fields[k], trace);
        if (k === 'span_id' || k === 'spanId') return idStaysInProperties(fields[k], span);
        return true;
      });
      expect(kept).toEqual(Object.keys(properties ?? {}));

      const [record] = await sent(make, [{ level: 'info', message: 'ids', time: T, fields }]);
      expect([record?.TraceId, record?.SpanId, record?.Properties]).toEqual([
        traceId,
        spanId,
        properties,
      ]);
    });
  });

  describe('times', () => {
    // [case, time value, TimeGenerated (undefined: not a time, the log takes now)]
    const TABLE: [string, unknown, string | undefined][] = [
      ['epoch ms', T, '2023-11-14T22:13:20.000Z'],
      ['epoch ms with a fraction', T + 123.9, '2023-11-14T22:13:20.123Z'],
      ['epoch seconds (pino unixTime)', T / 1000, '2023-11-14T22:13:20.000Z'],
      ['epoch seconds with a fraction', T / 1000 + 0.5, '2023-11-14T22:13:20.500Z'],
      ['epoch ms as text', String(T), '2023-11-14T22:13:20.000Z'],
      ['ISO 8601 (pino isoTime)', '2023-11-14T22:13:20.000Z', '2023-11-14T22:13:20.000Z'],
      ['ISO 8601 with nanoseconds', '2023-11-14T22:13:20.000123456Z', '2023-11-14T22:13:20.000Z'],
      ['ISO 8601 with an offset', '2023-11-15T00:13:20+02:00', '2023-11-14T22:13:20.000Z'],
      ['zero', 0, '1970-01-01T00:00:00.000Z'],
      ['a negative epoch in ms', -T, '1916-02-18T01:46:40.000Z'],
      ['a negative epoch in seconds', -5, '1969-12-31T23:59:55.000Z'],
      ['a negative epoch as text', '-5', '1969-12-31T23:59:55.000Z'],
      ['a word', 'yesterday', undefined],
      ['empty text', '', undefined],
      ['beyond the range of Date', 9e15, undefined],
      ['null', null, undefined],
      ['a boolean', true, undefined],
      ['an object', { at: 1 }, undefined],
    ];
    it.each(TABLE)('%s', async (_case, time, expected) => {
      expect(isoTime(time)).toBe(expected);
      const before = Date.now();
      const [record] = await sent(make, [{ level: 'info', message: 't', time }]);
      if (expected !== undefined) {
        expect(record?.TimeGenerated).toBe(expected);
        expect(record?.Properties).toBeUndefined();
      } else {
        // Not guessed at: the time of the call, and the value kept under its key.
        const ms = Date.parse(String(record?.TimeGenerated));
        expect(ms).toBeGreaterThanOrEqual(before);
        expect(ms).toBeLessThanOrEqual(Date.now());
        expect(record?.Properties).toEqual({ timestamp: time });
      }
    });
  });

  describe('ANSI colour codes in the level', () => {
    // [case, level as written, Level, SeverityNumber]
    const TABLE: [string, string, string, number][] = [
      ['green info', '\u001b[32minfo\u001b[39m', 'info', 9],
      ['red error', '\u001b[31merror\u001b[39m', 'error', 17],
      ['bold yellow warn', '\u001b[1m\u001b[33mwarn\u001b[39m\u001b[22m', 'warn', 13],
      ['no colour', 'debug', 'debug', 5],
    ];
    it.each(TABLE)('%s', async (_case, levelText, level, severity) => {
      expect([stripAnsi(levelText), severityNumber(levelText)]).toEqual([level, severity]);
      const [record] = await sent(make, [{ level: 'info', message: 'c', time: T, levelText }]);
      expect([record?.Level, record?.SeverityNumber]).toEqual([level, severity]);
    });
  });

  describe('fieldColumns: fields into columns of their own', () => {
    // The field columns as the core resolves them from the variable.
    const f = (text: string) =>
      resolveConfig(
        { url: emu.streamUrl(), token: 't' },
        { AZURE_LOGS_INGESTION_FIELD_COLUMNS: text },
      ).config.fieldColumns;
    // [case, fieldColumns (environment form), fields of the log, columns taken, Properties left]
    const TABLE: [string, string, Record<string, unknown>, Sent, unknown][] = [
      ['a top-level field', 'UserId=userId', { userId: 'u', a: 1 }, { UserId: 'u' }, { a: 1 }],
      [
        'a nested field',
        'UserId=user.id',
        { user: { id: 'u', n: 1 } },
        { UserId: 'u' },
        { user: { n: 1 } },
      ],
      [
        'the last field of an object',
        'UserId=user.id',
        { user: { id: 'u' } },
        { UserId: 'u' },
        undefined,
      ],
      [
        'a key with a dot',
        'Path=req.url\\.path',
        { req: { 'url.path': '/a' } },
        { Path: '/a' },
        undefined,
      ],
      [
        'text into a real column',
        'DurationMs:real=ms',
        { ms: '12.5' },
        { DurationMs: 12.5 },
        undefined,
      ],
      [
        'text into int and boolean',
        'Code:int=code,Ok:boolean=ok',
        { code: '201', ok: 'false' },
        { Code: 201, Ok: false },
        undefined,
      ],
      [
        'epoch ms into datetime',
        'At:datetime=at',
        { at: T },
        { At: '2023-11-14T22:13:20.000Z' },
        undefined,
      ],
      [
        'an object into string',
        'Tags:string=tags',
        { tags: { a: 1 } },
        { Tags: '{"a":1}' },
        undefined,
      ],
      [
        'absent and null fields',
        'UserId=user.id,Tenant=tenant',
        { tenant: null, x: 1 },
        {},
        { tenant: null, x: 1 },
      ],
      ['a value the type cannot hold', 'DurationMs:real=ms', { ms: 'fast' }, {}, { ms: 'fast' }],
    ];
    it.each(TABLE)('%s', async (_case, fieldColumns, fields, columns, properties) => {
      // The core's rule gives the table's record; each adapter sends it.
      const core = toDefaultRecord(
        { time: T, level: 'info', severityNumber: 9, message: 'f', properties: fields },
        {},
        f(fieldColumns),
      );
      expect(core).toMatchObject(columns);
      expect(core.Properties).toEqual(properties);
      const env = { AZURE_LOGS_INGESTION_FIELD_COLUMNS: fieldColumns };
      const [record] = await sent(
        make,
        [{ level: 'info', message: 'f', time: T, fields }],
        {},
        env,
      );
      const { TimeGenerated: _t, Host: _h, ...rest } = record ?? {};
      expect(rest).toEqual({
        Level: 'info',
        SeverityNumber: 9,
        Message: 'f',
        ...columns,
        ...(properties === undefined ? {} : { Properties: properties }),
      });
    });

    it('refuses a rename onto a field column, and bad field columns, alike', async () => {
      const clash = await refused(make, {
        columns: { Message: 'UserId' },
        fieldColumns: 'UserId=user.id',
      });
      expect(clash?.map((p) => [p.option, p.problem])).toEqual([
        ['columns.Message', 'gives Message the name of the field column UserId (user.id)'],
      ]);
      const bad = await refused(make, { fieldColumns: 'Type=t' });
      expect(bad?.map((p) => [p.option, p.problem])).toEqual([
        ['fieldColumns', 'Type: is a reserved column name'],
      ]);
    });
  });

  describe('the User-Agent token', () => {
    // The tokens carry each package's version constant: they must equal package.json's.
    const own = productToken(adapter);
    const core = `${productToken('core')} Node.js/${process.versions.node} (${process.platform})`;
    // [case, userAgent option, AZURE_LOGS_INGESTION_USER_AGENT, the tokens before the core's]
    const TABLE: [string, string | undefined, string | undefined, string][] = [
      ['neither', undefined, undefined, own],
      ['the option', 'my-app/1.2.0', undefined, `my-app/1.2.0 ${own}`],
      ['the variable', undefined, 'env-app/3', `env-app/3 ${own}`],
      ['the option over the variable', 'my-app/1.2.0', 'env-app/3', `my-app/1.2.0 ${own}`],
      ['a blank variable', undefined, '  ', own],
    ];
    it.each(TABLE)('%s', async (_case, userAgent, variable, tokens) => {
      const env = variable === undefined ? {} : { AZURE_LOGS_INGESTION_USER_AGENT: variable };
      const options = userAgent === undefined ? {} : { userAgent };
      expect(withProductToken(options, own, env).userAgent).toBe(tokens);
      emu.reset();
      const logger = await make({ url: emu.streamUrl(), token: emu.token(), ...options }, env);
      logger.log({ level: 'info', message: 'ua' });
      await logger.flush();
      await logger.close();
      const header = emu.requests()[0]?.headers['user-agent'] ?? '';
      expect(header).toBe(`${tokens} ${core}`);
    });
  });
});

it('runs on the host the adapters name in Host (both take os.hostname())', async () => {
  for (const [, make] of ADAPTERS) {
    const [record] = await sent(make, [{ level: 'info', message: 'h', time: T }]);
    expect(record?.Host).toBe(hostname());
  }
});
