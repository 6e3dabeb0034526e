/**
 * Every scalar function the transformations page lists, each with an example from its Kusto
 * documentation page (dynamic() literals written as parse_json(), as the transformations page
 * asks). Values are compared as a stored row holds them: datetimes as ISO text, timespans as
 * Kusto prints them, longs as numbers.
 */
import { describe, expect, it } from 'vitest';
import {
  ACCEPTED_BEYOND_THE_LIST,
  DOCUMENTED_FUNCTIONS,
  FUNCTIONS,
  NOT_EMULATED,
} from '../src/kql/functions/index.js';
import { compileQuery } from '../src/kql/pipeline.js';

const ctx = { now: Date.parse('2026-01-02T03:04:05.000Z') };
const value = (expr: string): unknown => compileQuery(`print r = ${expr}`, []).run({}, ctx)!.r;

/** [function, expression, expected] */
const EXAMPLES: Array<[string, string, unknown]> = [
  // Bitwise
  ['binary_and', 'binary_and(6, 3)', 2],
  ['binary_or', 'binary_or(5, 3)', 7],
  ['binary_xor', 'binary_xor(1, 2)', 3],
  ['binary_not', 'binary_not(100)', -101],
  ['binary_shift_left', 'binary_shift_left(1, 2)', 4],
  ['binary_shift_right', 'binary_shift_right(1, 2)', 0],
  // Conversion
  [
    'tobool',
    'tobool("true") == true and tobool("false") == false and tobool(1) == true and tobool(123) == true',
    true,
  ],
  ['todatetime', 'todatetime("2015-12-31 23:59:59.9")', '2015-12-31T23:59:59.900Z'],
  ['todouble', 'todouble("123.4")', 123.4],
  ['toreal', 'toreal("123.4") == 123.4', true],
  [
    'toguid',
    'toguid("0123456789ab-cdef-0123-456789abcdef")',
    '01234567-89ab-cdef-0123-456789abcdef',
  ],
  ['toint', 'toint(2.3)', 2],
  ['tolong', 'tolong("123") == 123', true],
  ['tostring', 'tostring(123)', '123'],
  ['totimespan', 'totimespan("0.00:03:00")', '00:03:00'],
  // DateTime and TimeSpan
  ['ago', 'ago(1d)', '2026-01-01T03:04:05.000Z'],
  [
    'datetime_add',
    "datetime_add('month', -15, make_datetime(2017, 1, 1))",
    '2015-10-01T00:00:00.000Z',
  ],
  ['datetime_diff', "datetime_diff('month', datetime(2017-01-01), datetime(2015-12-30))", 13],
  ['datetime_part', 'datetime_part("dayOfYear", datetime(2017-10-30 01:02:03.7654321))', 303],
  ['dayofmonth', 'dayofmonth(datetime(2015-12-14))', 14],
  ['dayofweek', 'dayofweek(datetime(1947-11-30 10:00:05))', '00:00:00'],
  ['dayofyear', 'dayofyear(datetime(2015-12-14))', 348],
  ['endofday', 'endofday(datetime(2017-01-01 10:10:17), -1)', '2016-12-31T23:59:59.9999999Z'],
  ['endofmonth', 'endofmonth(datetime(2017-01-01 10:10:17), 1)', '2017-02-28T23:59:59.9999999Z'],
  ['endofweek', 'endofweek(datetime(2017-01-01 10:10:17), -1)', '2016-12-31T23:59:59.9999999Z'],
  ['endofyear', 'endofyear(datetime(2017-01-01 10:10:17), 1)', '2018-12-31T23:59:59.9999999Z'],
  ['getmonth', 'getmonth(datetime("2015-12-14"))', 12],
  ['getyear', 'getyear(datetime(2015-10-12))', 2015],
  ['hourofday', 'hourofday(datetime(2015-12-14 18:54))', 18],
  [
    'make_datetime',
    'make_datetime(2017, 10, 01, 12, 11, 0.1234567)',
    '2017-10-01T12:11:00.1234567Z',
  ],
  ['make_timespan', 'make_timespan(1, 12, 30, 55.123)', '1.12:30:55.1230000'],
  ['now', 'now(-2d)', '2025-12-31T03:04:05.000Z'],
  ['startofday', 'startofday(datetime(2017-01-01 10:10:17), -1)', '2016-12-31T00:00:00.000Z'],
  ['startofmonth', 'startofmonth(datetime(2017-01-01 10:10:17), -1)', '2016-12-01T00:00:00.000Z'],
  ['startofweek', 'startofweek(datetime(2017-01-01 10:10:17), 1)', '2017-01-08T00:00:00.000Z'],
  ['startofyear', 'startofyear(datetime(2017-01-01 10:10:17), 1)', '2018-01-01T00:00:00.000Z'],
  ['weekofyear', 'weekofyear(datetime(2020-12-31))', 53],
  // Dynamic and array
  ['array_concat', 'array_concat(pack_array(1, 2, 4), pack_array(1, 2))', [1, 2, 4, 1, 2]],
  ['array_length', 'array_length(parse_json(\'[1, 2, 3, "four"]\'))', 4],
  ['pack_array', 'pack_array(1, tostring(2), 2 * 1s)', [1, '2', '00:00:02']],
  [
    'pack',
    'pack("Level", "Information", "ProcessID", 1234, "Data", pack("url", "www.bing.com"))',
    { Level: 'Information', ProcessID: 1234, Data: { url: 'www.bing.com' } },
  ],
  ['parse_json', 'parse_json(\'{"duration":{"value":118.0,"min":100.0}}\').duration.min', 100],
  [
    'parse_xml',
    'parse_xml("<duration><value>118.0</value><min>100.0</min></duration>").duration.value',
    118,
  ],
  [
    'zip',
    'zip(parse_json(\'["A", 1, 1.5]\'), parse_json(\'[{}, "B"]\'))',
    [
      ['A', {}],
      [1, 'B'],
      [1.5, null],
    ],
  ],
  // Mathematical
  ['abs', 'abs(-5)', 5],
  ['bin', 'bin(datetime(1970-05-11 13:45:07), 1d)', '1970-05-11T00:00:00.000Z'],
  ['floor', 'floor(4.5, 1)', 4],
  ['ceiling', 'ceiling(-1.1)', -1],
  ['exp', 'round(exp(2), 6)', 7.389056],
  ['exp10', 'exp10(2)', 100],
  ['exp2', 'exp2(3)', 8],
  ['isfinite', 'isfinite(1.0 * 1 / 0.0)', false],
  ['isinf', 'isinf(1.0 * -1 / 0.0)', true],
  ['isnan', 'isnan(1.0 * 0 / 0.0)', true],
  ['log', 'log(5)', 1.6094379124341003],
  ['log10', 'log10(5)', 0.69897000433601886],
  ['log2', 'log2(5)', 2.3219280948873622],
  ['pow', 'pow(2, 3)', 8],
  ['round', 'round(2.15, 1)', 2.2],
  ['sign', 'sign(-42)', -1],
  // Conditional
  ['case', 'case(7 <= 3, "Small", 7 <= 10, "Medium", "Large")', 'Medium'],
  [
    'iif',
    'iif("Heavy Rain" in ("Heavy Rain", "Flash Flood", "Flood"), "Rain event", "Not rain event")',
    'Rain event',
  ],
  ['max_of', 'max_of(10, 1, -3, 17)', 17],
  ['min_of', 'min_of(10, 1, -3, 17)', -3],
  // String
  ['base64_encodestring', 'base64_encodestring("Kusto")', 'S3VzdG8='],
  ['base64_decodestring', 'base64_decodestring("S3VzdG8=")', 'Kusto'],
  ['countof', 'countof("aaaa", "aa")', 3],
  ['extract', 'extract(@"-(\\d{2})-", 1, "15-12-2024", typeof(int))', 12],
  [
    'extract_all',
    'extract_all(@"(\\w)(\\w+)(\\w)", parse_json("[1,3]"), "82b8be2d-dfa7-4bd1-8f63-24ad26d31449")',
    [
      ['8', 'd'],
      ['d', '7'],
      ['4', '1'],
      ['8', '3'],
      ['2', '9'],
    ],
  ],
  ['indexof', 'indexof("abcdefg", "cde", -5)', 2],
  ['isempty', 'isempty(parse_json(""))', true],
  ['isnotempty', 'isnotempty("x")', true],
  ['split', 'split("aaa_bbb_ccc", "_", 1)', ['bbb']],
  ['strcat', 'strcat("hello", " ", "world")', 'hello world'],
  ['strcat_delim', "strcat_delim('-', 1, '2', 'A', 1s)", '1-2-A-00:00:01'],
  ['strlen', 'strlen("⒦⒰⒮⒯⒪")', 5],
  ['substring', 'substring("123456", 2, 2)', '34'],
  ['tolower', 'tolower("Hello") == "hello"', true],
  ['toupper', 'toupper("hello") == "HELLO"', true],
  [
    'hash_sha256',
    'hash_sha256(datetime(2020-01-01))',
    'ba666752dc1a20eb750b0eb64e780cc4c968bc9fb8813461c1d7e750f302d71d',
  ],
  // Type
  ['gettype', 'gettype(parse_json(\' {"abc":1} \'))', 'dictionary'],
  ['isnotnull', 'isnotnull(parse_json("[]"))', true],
  ['isnull', 'isnull(parse_json(""))', true],
  // Accepted beyond the list
  ['iff', 'iff(1 > 2, "a", "b")', 'b'],
  ['not', 'not(1 > 2)', true],
];

describe('scalar functions of the transformations page', () => {
  it.each(EXAMPLES)('%s: %s', (_fn, expr, expected) => {
    expect(value(expr)).toEqual(expected);
  });

  it('has an example for every listed function, and runs exactly those', () => {
    const listed = Object.values(DOCUMENTED_FUNCTIONS)
      .flat()
      .filter((f) => f !== 'columnifexists');
    const tested = new Set(EXAMPLES.map(([fn]) => fn));
    expect(listed.filter((f) => !tested.has(f))).toEqual([]);
    expect(Object.keys(FUNCTIONS).sort()).toEqual([...listed, ...ACCEPTED_BEYOND_THE_LIST].sort());
    expect(NOT_EMULATED).toEqual(['geo_location', 'parse_cef_dictionary']);
  });

  it('more examples from the docs', () => {
    expect(value('split("a__b", "_")')).toEqual(['a', '', 'b']);
    expect(value('split("aabbcc", "bb")')).toEqual(['aa', 'cc']);
    expect(value('extract_all(@"(\\d+)", "a set of numbers: 123, 567 and 789")')).toEqual([
      '123',
      '567',
      '789',
    ]);
    expect(
      value(
        'extract_all(@"(?P<first>\\w)(?P<middle>\\w+)(?P<last>\\w)", parse_json(\'["first", 2, "last"]\'), "82b8be2d-dfa7")',
      ),
    ).toEqual([
      ['8', '2b8be2', 'd'],
      ['d', 'fa', '7'],
    ]);
    expect(value('extract("User: ([^,]+)", 1, "User: David, Age: 35")')).toBe('David');
    expect(value('extract(@"Email: (\\S+),", 1, "User: David, Age: 35")')).toBe('');
    expect(
      ['idx2', 'idx3', 'idx4', 'idx6', 'idx7', 'idx8', 'idx9'].map((_, i) =>
        value(
          [
            'indexof("abcdefg","cde",1,4)',
            'indexof("abcdefg","cde",1,2)',
            'indexof("abcdefg","cde",3,4)',
            'indexof(1234567,5,1,4)',
            'indexof("abcdefg","cde",2,-1)',
            'indexof("abcdefgabcdefg", "cde", 1, 10, 2)',
            'indexof("abcdefgabcdefg", "cde", 1, -1, 3)',
          ][i]!,
        ),
      ),
    ).toEqual([2, -1, -1, 4, 2, 9, -1]);
    expect([
      value('countof("ababa", "ab", "normal")'),
      value('countof("ababa", "aba")'),
      value('countof("ababa", "aba", "regex")'),
      value('countof("abcabc", "a.c", "regex")'),
    ]).toEqual([2, 2, 1, 2]);
    expect([
      value('substring("123456", 1)'),
      value('substring("ABCD", 0, 2)'),
      value('substring("123456", -2, 2)'),
    ]).toEqual(['23456', 'AB', '56']);
    expect([
      value('round(2.98765, 3)'),
      value('round(2.15)'),
      value('round(-50.55, -2)'),
      value('round(21.5, -1)'),
    ]).toEqual([2.988, 2, -100, 20]);
    expect([value('bin(4.5, 1)'), value('bin(time(16d), 7d)')]).toEqual([4, '14.00:00:00']);
    expect([
      value('ceiling(0)'),
      value('ceiling(0.9)'),
      value('sign(0)'),
      value('sign(11.2)'),
    ]).toEqual([0, 1, 0, 1]);
    expect(value('hash_sha256("World")')).toBe(
      '78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524',
    );
    expect(value('base64_decodestring("U3RyaW5n0KHR0tGA0L7Rh9C60LA=")')).toBe('');
    expect(value("strlen('C\u0327edilla')")).toBe(8);
    expect([
      value('gettype("a")'),
      value('gettype(111)'),
      value('gettype(1==1)'),
      value('gettype(now())'),
      value('gettype(1s)'),
      value("gettype(parse_json('1'))"),
      value('gettype(parse_json(\' "abc" \'))'),
      value("gettype(parse_json(' [1, 2, 3] '))"),
      value('gettype(123.45)'),
      value('gettype(guid(12e8b78d-55b4-46ae-b068-26d7a0080254))'),
      value("gettype(parse_json(''))"),
    ]).toEqual([
      'string',
      'long',
      'bool',
      'datetime',
      'timespan',
      'int',
      'string',
      'array',
      'real',
      'guid',
      'null',
    ]);
    expect(value('zip(parse_json("[1,3,5]"), parse_json("[2,4,6]"))')).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(
      value("datetime_diff('week', datetime(2017-10-29 00:00), datetime(2017-09-30 23:59))"),
    ).toBe(5);
    expect(
      value(
        "datetime_diff('nanosecond', datetime(2017-10-30 23:00:00.0000000), datetime(2017-10-30 23:00:00.0000007))",
      ),
    ).toBe(-700);
    expect([
      value("datetime_add('year', -5, make_datetime(2017, 1, 1))"),
      value("datetime_add('quarter', 12, make_datetime(2017, 1, 1))"),
      value("datetime_add('week', 100, make_datetime(2017, 1, 1))"),
    ]).toEqual([
      '2012-01-01T00:00:00.000Z',
      '2020-01-01T00:00:00.000Z',
      '2018-12-02T00:00:00.000Z',
    ]);
    expect([
      value('weekofyear(datetime(2020-06-15))'),
      value('weekofyear(datetime(1970-01-01))'),
      value('weekofyear(datetime(2000-01-01))'),
    ]).toEqual([25, 1, 52]);
    expect(value('parse_xml("<e><a>x</a><a>y</a></e>")')).toEqual({ e: { a: ['x', 'y'] } });
    expect(value('parse_xml("<e/>")')).toEqual({ e: null });
    expect(value('parse_xml(\'<?xml version="1.0"?><e name="value" />\')')).toEqual({
      e: { '@name': 'value' },
    });
    expect(value('parse_xml("<e>broken")')).toBeNull();
    expect(
      value('parse_json(tostring(parse_json(\'{"a":123, "b":"{\\\\"c\\\\":456}"}\').b)).c'),
    ).toBe(456);
  });
});
