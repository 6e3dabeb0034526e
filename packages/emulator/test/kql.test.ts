import { describe, expect, it } from 'vitest';
import { compileTransform } from '../src/dcr/transform.js';

const ctx = { now: Date.parse('2026-01-02T03:04:05.000Z') };
const run = (kql: string, row: Record<string, unknown>) => compileTransform(kql)(row, ctx);

describe('transformKql subset', () => {
  it('passes rows through with source', () => {
    const row = { a: 1 };
    expect(run('source', row)).toBe(row);
    expect(run('  source  ', row)).toBe(row);
  });

  it('filters with where and simple predicates', () => {
    const kql = "source | where Level != 'debug' and SeverityNumber >= 9";
    expect(run(kql, { Level: 'info', SeverityNumber: 9 })).toEqual({
      Level: 'info',
      SeverityNumber: 9,
    });
    expect(run(kql, { Level: 'debug', SeverityNumber: 20 })).toBeNull();
    expect(run(kql, { Level: 'info', SeverityNumber: 5 })).toBeNull();
    expect(run(kql, { Level: 'info', SeverityNumber: null })).toBeNull();
    expect(
      run("source | where Message contains 'BOOM' or isempty(Host)", {
        Message: 'a boom here',
        Host: 'h',
      }),
    ).not.toBeNull();
    expect(run("source | where Message has 'boo'", { Message: 'a boom' })).toBeNull();
    expect(run("source | where Message has 'boom'", { Message: 'a boom!' })).not.toBeNull();
    expect(run("source | where Level in ('warn', 'error')", { Level: 'error' })).not.toBeNull();
    expect(run("source | where Level !in ('warn', 'error')", { Level: 'error' })).toBeNull();
    expect(run("source | where not(Level =~ 'INFO')", { Level: 'info' })).toBeNull();
  });

  it('extends, projects, renames and removes columns', () => {
    const row = { Message: 'hi', Properties: { user: { id: 7 } }, Level: 'warn' };
    expect(
      run(
        "source | extend UserId = toint(Properties.user.id), Tag = strcat(toupper(Level), '-', Message)",
        row,
      ),
    ).toEqual({
      ...row,
      UserId: 7,
      Tag: 'WARN-hi',
    });
    expect(run('source | project Message, Lvl = Level, Twice = 2 * 21', row)).toEqual({
      Message: 'hi',
      Lvl: 'warn',
      Twice: 42,
    });
    expect(run('source | project-away Properties, Level', row)).toEqual({ Message: 'hi' });
    expect(run('source | project-rename Msg = Message', row)).toEqual({
      Properties: row.Properties,
      Level: 'warn',
      Msg: 'hi',
    });
    expect(
      run("source | extend TimeGenerated = now(), U = Properties['user']", {
        Properties: { user: 1 },
      }),
    ).toEqual({
      Properties: { user: 1 },
      TimeGenerated: '2026-01-02T03:04:05.000Z',
      U: 1,
    });
  });

  it('returns null from conversions that fail, as KQL does', () => {
    expect(
      run("source | extend N = toint(X), D = todatetime(X), B = tobool('true')", { X: 'abc' }),
    ).toEqual({ X: 'abc', N: null, D: null, B: true });
  });

  it('refuses unsupported operators, functions and syntax at compile time with a clear message', () => {
    expect(() => compileTransform('source | summarize count() by Level')).toThrow(
      /operator 'summarize' is not supported/,
    );
    expect(() => compileTransform('source | extend X = parse_url(Y)')).toThrow(
      /function 'parse_url' is not supported/,
    );
    expect(() => compileTransform('source | where')).toThrow(/unexpected end/);
    expect(() => compileTransform('Table | take 1')).toThrow(/must start with 'source'/);
    expect(() => compileTransform("source | where a == 'x")).toThrow(/unterminated string/);
    expect(() => compileTransform('source | extend X = toint(1, 2)')).toThrow(/takes 1 arguments/);
  });
});
