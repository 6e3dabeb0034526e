/**
 * The transform language: statements, tabular operators, typing and null rules, and what is
 * refused at load. Examples marked "docs" are taken from the Kusto documentation pages of the
 * operator or from "Supported KQL features in Azure Monitor transformations".
 */
import { describe, expect, it } from 'vitest';
import { compileTransform } from '../src/dcr/transform.js';
import { compileQuery } from '../src/kql/pipeline.js';
import type { KType } from '../src/kql/types.js';

const ctx = { now: Date.parse('2026-01-02T03:04:05.000Z') };
const schema = (cols: Record<string, KType>) =>
  Object.entries(cols).map(([name, type]) => ({ name, type }));
const run = (kql: string, row: Record<string, unknown>, cols: Record<string, KType> = {}) =>
  compileQuery(kql, schema(cols)).run(row, ctx);
const outputOf = (kql: string, cols: Record<string, KType>) =>
  Object.fromEntries(compileQuery(kql, schema(cols)).output.map((c) => [c.name, c.type]));
const refused =
  (kql: string, cols: Record<string, KType> = {}) =>
  () =>
    compileTransform(kql, schema(cols));

const LOG = { Level: 'string', SeverityNumber: 'int', Message: 'string', Host: 'string' } as const;

describe('source, where and the string operators', () => {
  it('passes rows through with source', () => {
    const row = { a: 1 };
    expect(compileTransform('source', []).transform(row, ctx)).toBe(row);
    expect(compileTransform('  source  ', []).transform(row, ctx)).toBe(row);
  });

  it('filters with typed predicates', () => {
    const kql = "source | where Level != 'debug' and SeverityNumber >= 9";
    expect(run(kql, { Level: 'info', SeverityNumber: 9 }, LOG)).toMatchObject({ Level: 'info' });
    expect(run(kql, { Level: 'debug', SeverityNumber: 20 }, LOG)).toBeNull();
    expect(run(kql, { Level: 'info', SeverityNumber: 5 }, LOG)).toBeNull();
    expect(run(kql, { Level: 'info', SeverityNumber: null }, LOG)).toBeNull();
    const match = (where: string, row: Record<string, unknown>) =>
      run(`source | where ${where}`, row, LOG) !== null;
    expect(
      match("Message contains 'BOOM' or isempty(Host)", { Message: 'a boom', Host: 'h' }),
    ).toBe(true);
    expect(match("Message contains_cs 'BOOM'", { Message: 'a boom' })).toBe(false);
    expect(match("Message !contains_cs 'BOOM'", { Message: 'a boom' })).toBe(true);
    expect(match("Message has 'boo'", { Message: 'a boom' })).toBe(false);
    expect(match("Message has 'boom'", { Message: 'a boom!' })).toBe(true);
    expect(match("Message has_cs 'Boom'", { Message: 'a boom!' })).toBe(false);
    expect(match("Message !has 'boom'", { Message: 'a boom!' })).toBe(false);
    expect(match("Message startswith 'A B'", { Message: 'a boom' })).toBe(true);
    expect(match("Message !startswith_cs 'A'", { Message: 'a boom' })).toBe(true);
    expect(match("Message endswith_cs 'oom'", { Message: 'a boom' })).toBe(true);
    expect(match("Message !endswith 'OOM'", { Message: 'a boom' })).toBe(false);
    expect(match("Level in ('warn', 'error')", { Level: 'error' })).toBe(true);
    expect(match("Level !in ('warn', 'error')", { Level: 'error' })).toBe(false);
    expect(match("Level =~ 'ERROR'", { Level: 'error' })).toBe(true);
    expect(match("Level !~ 'ERROR'", { Level: 'error' })).toBe(false);
    expect(match("not(Level =~ 'INFO')", { Level: 'info' })).toBe(false);
    expect(match(String.raw`Message matches regex @"^a\s+b"`, { Message: 'a  boom' })).toBe(true);
  });
});

describe('typing as KQL types it', () => {
  it('divides a real as a real and integers as integers; % is never negative (docs)', () => {
    const cols = { Rl: 'real', N: 'int', L: 'long' } as const;
    expect(
      run(
        'source | project A = Rl / 2, B = N / 2, C = 1.0 / 2, D = 1 / 2.0, E = 1 / 2',
        { Rl: 5, N: 5, L: 1 },
        cols,
      ),
    ).toEqual({ A: 2.5, B: 2, C: 0.5, D: 0.5, E: 0 });
    expect(
      run(
        'print plusPlus = 14 % 12, minusPlus = -14 % 12, plusMinus = 14 % -12, minusMinus = -14 % -12',
        {},
      ),
    ).toEqual({ plusPlus: 2, minusPlus: 10, plusMinus: 2, minusMinus: 10 });
    expect(
      outputOf('source | extend A = Rl / 2, B = N + 1, C = N + L, D = Rl * N', cols),
    ).toMatchObject({ A: 'real', B: 'long', C: 'long', D: 'real' });
  });

  it('refuses a comparison across types, as KQL does (Num == "5")', () => {
    expect(refused('source | where Num == "5"', { Num: 'int' })).toThrow(
      /InvalidTransformQuery: SemanticError at 1:20 : Cannot compare values of types int and string/,
    );
    expect(refused('source | where Level > 5', LOG)).toThrow(
      /Cannot compare values of types string and long/,
    );
    expect(refused('source | where Level in (1, 2)', LOG)).toThrow(/Cannot compare/);
    // Numbers compare across int, long and real; dynamic values by what they hold.
    expect(
      run(
        'source | where N == 5.0 and D.a == 1 and D.s == "x"',
        { N: 5, D: { a: 1, s: 'x' } },
        { N: 'int', D: 'dynamic' },
      ),
    ).not.toBeNull();
  });

  it('does datetime and timespan arithmetic (docs)', () => {
    expect(
      run(
        'print a = datetime(1997-06-25) - datetime(1910-06-11), b = 1d + 2d, c = datetime(1910-06-11) + 1d, d = 1d / 5h, e = 1.5 * 1h, f = 1h / 1s',
        {},
      ),
    ).toEqual({
      a: '31791.00:00:00',
      b: '3.00:00:00',
      c: '1910-06-12T00:00:00.000Z',
      d: 4.8,
      e: '01:30:00',
      f: 3600,
    });
    expect(refused('print a = datetime(2020-01-01) + datetime(2020-01-01)')).toThrow(
      /not defined for datetime and datetime/,
    );
    expect(refused("print a = 'x' + 'y'")).toThrow(/strcat/);
  });

  it('follows the null rules of "Null values" (docs datatable example)', () => {
    const kql =
      'source | extend IsBiggerThan3 = val > 3, IsBiggerThan3OrNull = val > 3 or isnull(val), IsEqualToNull = val == int(null), IsNotEqualToNull = val != int(null)';
    expect(run(kql, { val: 5 }, { val: 'int' })).toEqual({
      val: 5,
      IsBiggerThan3: true,
      IsBiggerThan3OrNull: true,
      IsEqualToNull: false,
      IsNotEqualToNull: true,
    });
    expect(run(kql, { val: null }, { val: 'int' })).toEqual({
      val: null,
      IsBiggerThan3: null,
      IsBiggerThan3OrNull: true,
      IsEqualToNull: null,
      IsNotEqualToNull: null,
    });
    // where drops a null predicate, keeps ival != 5 for a null ival (docs).
    expect(
      run('source | where ival != 5', { ival: null, sval: 'b' }, { ival: 'int', sval: 'string' }),
    ).toEqual({ ival: null, sval: 'b' });
    expect(
      run('source | where ival != 5', { ival: 5, sval: 'a' }, { ival: 'int', sval: 'string' }),
    ).toBeNull();
  });

  it('keeps long values beyond 2^53 exact (stored as decimal text)', () => {
    const cols = { L: 'long' } as const;
    expect(run('source | extend M = L + 1, N = L - 1', { L: '9007199254740993' }, cols)).toEqual({
      L: '9007199254740993',
      M: '9007199254740994',
      N: '9007199254740992',
    });
    expect(
      run('print a = tolong("9223372036854775807"), b = tolong("9223372036854775808")', {}),
    ).toEqual({ a: '9223372036854775807', b: null });
  });

  it('reads zone-less datetime text as UTC, never in the machine time zone', () => {
    expect(
      run(
        'print a = todatetime("2024-01-01 10:00:00"), b = todatetime("2023-11-14 15:10:02"), c = datetime(2015-12-31 23:59:59.9)',
        {},
      ),
    ).toEqual({
      a: '2024-01-01T10:00:00.000Z',
      b: '2023-11-14T15:10:02.000Z',
      c: '2015-12-31T23:59:59.900Z',
    });
    expect(run("print todatetime('12-02-2022') == datetime('12-02-2022')", {})).toEqual({
      print_0: true,
    });
  });
});

describe('statements and sources', () => {
  it('runs let: scalars, functions with scalar arguments (docs), datatable with in', () => {
    const unix =
      'let fromUnixTime = (t: long) { datetime(1970-01-01) + t * 1sec }; print result = fromUnixTime(1546897531)';
    expect(run(unix, {})).toEqual({ result: '2019-01-07T21:45:31.000Z' });
    const toUnix =
      'let toUnixTime = (dt: datetime) { (dt - datetime(1970-01-01)) / 1s }; print result = toUnixTime(datetime(2019-01-07 21:45:31.0000000))';
    expect(run(toUnix, {})).toEqual({ result: 1546897531 });
    const lets =
      "let limit = 10; let levels = datatable(l: string)['warn', 'error']; source | where SeverityNumber > limit and Level in (levels)";
    expect(run(lets, { Level: 'error', SeverityNumber: 17 }, LOG)).not.toBeNull();
    expect(run(lets, { Level: 'info', SeverityNumber: 17 }, LOG)).toBeNull();
    const tab = "let errors = source | where Level == 'error'; errors | project Message";
    expect(run(tab, { Level: 'error', Message: 'm' }, LOG)).toEqual({ Message: 'm' });
  });

  it('runs print (docs: print x = 2 + 2, y = 5 | extend z = exp2(x) + exp2(y))', () => {
    expect(
      run(
        'print x = 2 + 2, y = 5 | extend z = exp2(x) + exp2(y)',
        { ignored: 1 },
        { ignored: 'int' },
      ),
    ).toEqual({ x: 4, y: 5, z: 48 });
    expect(run("print 'a', b = 1, 'c'", {})).toEqual({ print_0: 'a', b: 1, print_2: 'c' });
  });

  it('extends, projects, renames and removes columns; names what it is not told', () => {
    const cols = { Message: 'string', Properties: 'dynamic', Level: 'string' } as const;
    const row = { Message: 'hi', Properties: { user: { id: 7 } }, Level: 'warn' };
    expect(
      run(
        "source | extend UserId = toint(Properties.user.id), Tag = strcat(toupper(Level), '-', Message)",
        row,
        cols,
      ),
    ).toEqual({ ...row, UserId: 7, Tag: 'WARN-hi' });
    expect(run('source | extend A = 1, B = A + 1', row, cols)).toMatchObject({ A: 1, B: 2 });
    expect(run('source | project Message, Lvl = Level, Twice = 2 * 21', row, cols)).toEqual({
      Message: 'hi',
      Lvl: 'warn',
      Twice: 42,
    });
    expect(run('source | project-away Properties, Level', row, cols)).toEqual({ Message: 'hi' });
    expect(run('source | project-away Me*, Level', row, cols)).toEqual({
      Properties: row.Properties,
    });
    expect(run('source | project-rename Msg = Message', row, cols)).toEqual({
      Properties: row.Properties,
      Level: 'warn',
      Msg: 'hi',
    });
    expect(run("source | project Properties.user, strlen(Message), ['Level']", row, cols)).toEqual({
      Properties_user: { id: 7 },
      Column2: 2,
      Level: 'warn',
    });
    expect(
      run("source | extend TimeGenerated = now(), U = Properties['user'].id", row, cols),
    ).toMatchObject({ TimeGenerated: '2026-01-02T03:04:05.000Z', U: 7 });
    expect(refused('source | project-away Nope', cols)).toThrow(
      /Failed to resolve column or scalar expression named 'Nope'/,
    );
  });

  it('runs columnifexists: the column when the stream has it, else the default', () => {
    const cols = { A: 'string' } as const;
    expect(
      run(
        "source | project X = columnifexists('A', 'none'), Y = columnifexists('B', 'none')",
        { A: 'a' },
        cols,
      ),
    ).toEqual({ X: 'a', Y: 'none' });
  });
});

describe('parse (docs examples)', () => {
  const traces = [
    'Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=23, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01, previousLockTime=02/17/2016 08:39:01)',
    'Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=nonValidLongValue, sliceNumber=20, lockTime=02/17/2016 08:40:01, releaseTime=nonValidDateTime 08:40:01, previousLockTime=02/17/2016 08:39:01)',
  ];
  const cols = { EventText: 'string' } as const;

  it('kind=simple: typed columns, *, strict matching', () => {
    const kql =
      'source | parse EventText with * "resourceName=" resourceName ", totalSlices=" totalSlices: long * "sliceNumber=" sliceNumber: long * "lockTime=" lockTime ", releaseTime=" releaseTime: date "," * "previousLockTime=" previousLockTime: date ")" * | project resourceName, totalSlices, sliceNumber, lockTime, releaseTime, previousLockTime';
    expect(run(kql, { EventText: traces[0] }, cols)).toEqual({
      resourceName: 'PipelineScheduler',
      totalSlices: 27,
      sliceNumber: 23,
      lockTime: '02/17/2016 08:40:01',
      releaseTime: '2016-02-17T08:40:01.000Z',
      previousLockTime: '2016-02-17T08:39:01.000Z',
    });
    // Strict: a column that does not match its type makes every column null.
    expect(run(kql, { EventText: traces[1] }, cols)).toEqual({
      resourceName: '',
      totalSlices: null,
      sliceNumber: null,
      lockTime: '',
      releaseTime: null,
      previousLockTime: null,
    });
    const email =
      'source | parse Contacts with * "email=" alias:string "@" domain: string ", Website=https:" WebsiteDomain: string ")" | project EmailAddress=strcat(alias, "@", domain), EmailAlias=alias, WebsiteDomain';
    expect(
      run(
        email,
        {
          Contacts:
            'Event: LeadContact (email=abi@fourthcoffee.com, Website=https:www.fourthcoffee.com)',
        },
        { Contacts: 'string' },
      ),
    ).toEqual({
      EmailAddress: 'abi@fourthcoffee.com',
      EmailAlias: 'abi',
      WebsiteDomain: 'www.fourthcoffee.com',
    });
  });

  it('kind=relaxed: only the column that does not convert is null', () => {
    const kql =
      'source | parse kind=relaxed EventText with * "resourceName=" resourceName ", totalSlices=" totalSlices: long ", sliceNumber=" sliceNumber: long * "lockTime=" lockTime ", releaseTime=" releaseTime: date "," * "previousLockTime=" previousLockTime: date ")" * | project-away EventText';
    expect(run(kql, { EventText: traces[1] }, cols)).toEqual({
      resourceName: 'PipelineScheduler',
      totalSlices: null,
      sliceNumber: 20,
      lockTime: '02/17/2016 08:40:01',
      releaseTime: null,
      previousLockTime: '2016-02-17T08:39:01.000Z',
    });
  });

  it('kind=regex: greedy by default, flags U and i', () => {
    const greedy =
      'source | parse kind=regex EventText with * "resourceName=" resourceName \',\' * | project resourceName';
    expect(run(greedy, { EventText: traces[0] }, cols)).toEqual({
      resourceName:
        'PipelineScheduler, totalSlices=27, sliceNumber=23, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01',
    });
    const lazy =
      'source | parse kind=regex flags=Ui EventText with * "RESOURCENAME=" resourceName \',\' * | project resourceName';
    expect(run(lazy, { EventText: traces[0] }, cols)).toEqual({
      resourceName: 'PipelineScheduler',
    });
    const groups = String.raw`source | parse kind=regex EventText with "(.*?)[a-zA-Z]*=" resourceName @", totalSlices=\s*\d+\s*.*?sliceNumber=" sliceNumber: long  ".*?(previous)?lockTime=" lockTime ".*?releaseTime=" releaseTime ".*?previousLockTime=" previousLockTime: date "\\)" | project resourceName, sliceNumber, lockTime, releaseTime, previousLockTime`;
    expect(run(groups, { EventText: traces[0] }, cols)).toEqual({
      resourceName: 'PipelineScheduler',
      sliceNumber: 23,
      lockTime: '02/17/2016 08:40:01, ',
      releaseTime: '02/17/2016 08:40:01, ',
      previousLockTime: '2016-02-17T08:39:01.000Z',
    });
  });

  it('refuses more than 10 columns in one parse (the transforms page)', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `c${i} ","`).join(' ');
    expect(refused(`source | parse EventText with ${eleven}`, cols)).toThrow(
      /limited to 10 columns per statement/,
    );
  });
});

describe('what a transform may not use is refused at load', () => {
  it('operators outside the page, with the list', () => {
    for (const op of [
      'summarize count() by Level',
      'take 1',
      'join (x) on a',
      'mv-expand Level',
      'project-keep Level',
      'distinct Level',
    ]) {
      expect(refused(`source | ${op}`, LOG)).toThrow(
        /not supported in transformations \(supported: extend, project, print, where, parse, project-away, project-rename, datatable\)/,
      );
    }
    for (const where of [
      "Level has_any ('a')",
      "Level in~ ('a')",
      'SeverityNumber between (1 .. 2)',
      "Level hasprefix 'a'",
    ]) {
      expect(refused(`source | where ${where}`, LOG)).toThrow(/not supported in transformations/);
    }
    expect(refused('Table | take 1')).toThrow(/a transform reads 'source'/);
    expect(refused('datatable(a: int)[1] | where a > 0')).toThrow(/only be used with in/);
  });

  it('functions outside the page, with the text Azure answers', () => {
    for (const call of [
      'coalesce(Level, Host)',
      "replace_string(Level, 'a', 'b')",
      "replace_regex(Level, 'a', 'b')",
      'bag_keys(parse_json(Level))',
      "bag_set_key(parse_json(Level), 'a', 1)",
      'todynamic(Level)',
      "trim_start('a', Level)",
      "column_ifexists('Level', '')",
      'parse_url(Level)',
      'bag_pack("a", 1)',
    ]) {
      const name = call.slice(0, call.indexOf('('));
      expect(refused(`source | extend X = ${call}`, LOG)).toThrow(
        new RegExp(
          `SemanticError 0x00000009 at 1:21 : Runtime scalar function provider not found for function: ${name}\\. Transformations support only the functions listed in "Supported KQL features in Azure Monitor transformations"`,
        ),
      );
    }
    expect(refused('print g = geo_location("1.0.0.5")')).toThrow(
      /supported by Azure in transformations but the emulator cannot reproduce it/,
    );
  });

  it('syntax and typing mistakes, with their position', () => {
    expect(refused('source | where')).toThrow(/unexpected end/);
    expect(refused("source | where a == 'x")).toThrow(/unterminated string/);
    expect(refused('source | extend X = toint(1, 2)')).toThrow(
      /toint\(\) takes 1 arguments, got 2/,
    );
    expect(refused('source | extend X = Nope + 1', LOG)).toThrow(
      /at 1:21 : Failed to resolve scalar expression named 'Nope'/,
    );
    expect(refused('source | extend X = Message.a', LOG)).toThrow(
      /apply to dynamic values, not string/,
    );
    expect(refused('source | extend X = dynamic({"a":1})')).toThrow(/use parse_json/);
    expect(refused('source | where Level', LOG)).toThrow(
      /where needs a bool predicate, not string/,
    );
    expect(refused("source\n| extend X = startofday('x')", LOG)).toThrow(
      /at 2:14 : startofday\(\): argument 1 must be datetime, not string/,
    );
  });
});
