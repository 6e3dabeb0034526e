/**
 * DateTime and TimeSpan functions of the transformations page. All in UTC (Kusto's datetime
 * has no zone); weeks start on Sunday (startofweek docs); week numbers are ISO 8601.
 */
import {
  civilOf,
  daysFromCivil,
  daysInMonth,
  floorDiv,
  inRange,
  TICKS_PER_DAY,
  TICKS_PER_HOUR,
  TICKS_PER_MINUTE,
  TICKS_PER_SECOND,
  ticksOf,
  ticksOfMs,
} from '../datetime.js';
import type { KType } from '../types.js';
import { isNull, toLong, toReal, toStr } from '../values.js';
import { checked, def, type FnDef, need } from './registry.js';

const DT: KType[] = ['datetime'];
const TS: KType[] = ['timespan'];
const STR: KType[] = ['string'];

const int = (t: KType | undefined, v: unknown): number | null => {
  const l = toLong(t ?? 'long', v);
  return l === null ? null : Number(l);
};

/** Ticks of a unit that has a fixed length. */
const FIXED: Record<string, bigint> = {
  week: 7n * TICKS_PER_DAY,
  day: TICKS_PER_DAY,
  hour: TICKS_PER_HOUR,
  minute: TICKS_PER_MINUTE,
  second: TICKS_PER_SECOND,
  millisecond: 10_000n,
  microsecond: 10n,
  nanosecond: 1n,
};

const periodOf = (t: KType, v: unknown): string => toStr(t, v).trim().toLowerCase();

/** .NET AddMonths: the day is clamped to the length of the target month. */
function addMonths(ticks: bigint, months: number): bigint | null {
  const c = civilOf(ticks);
  const total = c.y * 12 + (c.m - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  if (y < 1 || y > 9999) return null;
  const inDay = ticks - BigInt(c.days) * TICKS_PER_DAY;
  return BigInt(daysFromCivil(y, m, Math.min(c.d, daysInMonth(y, m)))) * TICKS_PER_DAY + inDay;
}

function datetimeAdd(period: string, amount: number, ticks: bigint): bigint | null {
  if (period === 'year') return addMonths(ticks, amount * 12);
  if (period === 'quarter') return addMonths(ticks, amount * 3);
  if (period === 'month') return addMonths(ticks, amount);
  const unit = FIXED[period];
  return unit === undefined ? null : inRange(ticks + BigInt(amount) * unit);
}

/** Start of the week (Sunday) of a day count since 1970-01-01 (a Thursday). */
const weekStartDay = (days: number): number => days - ((((days + 4) % 7) + 7) % 7);

/** datetime_diff: both values cut to the period, then counted (the docs' examples). */
function datetimeDiff(period: string, a: bigint, b: bigint): bigint | null {
  const ca = civilOf(a);
  const cb = civilOf(b);
  switch (period) {
    case 'year':
      return BigInt(ca.y - cb.y);
    case 'quarter':
      return BigInt(
        ca.y * 4 + Math.floor((ca.m - 1) / 3) - (cb.y * 4 + Math.floor((cb.m - 1) / 3)),
      );
    case 'month':
      return BigInt(ca.y * 12 + ca.m - (cb.y * 12 + cb.m));
    case 'week':
      return BigInt((weekStartDay(ca.days) - weekStartDay(cb.days)) / 7);
  }
  if (period === 'nanosecond') return (a - b) * 100n;
  const unit = FIXED[period];
  return unit === undefined ? null : floorDiv(a, unit) - floorDiv(b, unit);
}

/** ISO 8601 week number (week 1 holds the year's first Thursday). */
function isoWeek(ticks: bigint): number {
  const c = civilOf(ticks);
  const weekday = ((((c.days + 3) % 7) + 7) % 7) + 1; // Monday 1 .. Sunday 7
  const thursday = c.days - weekday + 4;
  const year = civilOf(BigInt(thursday) * TICKS_PER_DAY).y;
  return Math.floor((thursday - daysFromCivil(year, 1, 1)) / 7) + 1;
}

function datetimePart(part: string, ticks: bigint): number | null {
  const c = civilOf(ticks);
  switch (part) {
    case 'year':
      return c.y;
    case 'quarter':
      return Math.floor((c.m - 1) / 3) + 1;
    case 'month':
      return c.m;
    case 'week_of_year':
    case 'weekofyear':
      return isoWeek(ticks);
    case 'day':
      return c.d;
    case 'dayofyear':
      return c.days - daysFromCivil(c.y, 1, 1) + 1;
    case 'hour':
      return c.h;
    case 'minute':
      return c.mi;
    case 'second':
      return c.s;
    case 'millisecond':
      return Math.floor(c.fraction / 10_000);
    case 'microsecond':
      return Math.floor(c.fraction / 10);
    case 'nanosecond':
      return c.fraction * 100;
  }
  return null;
}

type Unit = 'day' | 'week' | 'month' | 'year';

function startOf(unit: Unit, ticks: bigint, offset: number): bigint | null {
  const c = civilOf(ticks);
  let days: number;
  if (unit === 'day') days = c.days + offset;
  else if (unit === 'week') days = weekStartDay(c.days) + 7 * offset;
  else if (unit === 'month') {
    const total = c.y * 12 + (c.m - 1) + offset;
    const y = Math.floor(total / 12);
    days = daysFromCivil(y, total - y * 12 + 1, 1);
  } else days = daysFromCivil(c.y + offset, 1, 1);
  return inRange(BigInt(days) * TICKS_PER_DAY);
}

function endOf(unit: Unit, ticks: bigint, offset: number): bigint | null {
  const next = startOf(unit, ticks, offset + 1);
  return next === null ? null : inRange(next - 1n);
}

function boundary(name: string, f: typeof startOf): FnDef {
  return def(
    1,
    2,
    (args) => checked('datetime', need(name, args, 0, DT), need(name, args, 1, 'numeric')),
    ([d, o], types) => {
      if (isNull(d)) return null;
      const offset = o === undefined ? 0 : int(types[1], o);
      return offset === null
        ? null
        : f(name.replace(/^(start|end)of/, '') as Unit, d as bigint, offset);
    },
  );
}

const part = (name: string, p: string, type: KType = 'int'): FnDef =>
  def(
    1,
    1,
    (args) => checked(type, need(name, args, 0, DT)),
    ([d]) => (isNull(d) ? null : datetimePart(p, d as bigint)),
  );

function makeDatetime(args: unknown[], types: readonly KType[]): bigint | null {
  const n = args.map((v, i) => (i === 5 ? toReal(types[i]!, v) : int(types[i], v)));
  if (n.some((v) => v === null)) return null;
  const [y, m, d, h = 0, mi = 0, s = 0] = n as number[];
  const whole = Math.floor(s);
  const fraction = BigInt(Math.round((s - whole) * 1e7));
  return ticksOf(y!, m!, d!, h, mi, whole, fraction);
}

function makeTimespan(args: unknown[], types: readonly KType[]): bigint | null {
  const n = args.map((v, i) => toReal(types[i]!, v));
  if (n.some((v) => v === null)) return null;
  const [d, h, mi, s] = (args.length === 4 ? n : [0, ...n]) as number[];
  const seconds = (d ?? 0) * 86400 + (h ?? 0) * 3600 + (mi ?? 0) * 60 + (s ?? 0);
  return BigInt(Math.round(seconds * 1e7));
}

export const DATETIME: Record<string, FnDef> = {
  now: def(
    0,
    1,
    (args) => checked('datetime', need('now', args, 0, TS)),
    ([o], _t, ctx) => ticksOfMs(ctx.now) + ((o as bigint | undefined) ?? 0n),
  ),
  ago: def(
    1,
    1,
    (args) => checked('datetime', need('ago', args, 0, TS)),
    ([o], _t, ctx) => (isNull(o) ? null : ticksOfMs(ctx.now) - (o as bigint)),
  ),
  datetime_add: def(
    3,
    3,
    (args) =>
      checked(
        'datetime',
        need('datetime_add', args, 0, STR),
        need('datetime_add', args, 1, 'numeric'),
        need('datetime_add', args, 2, DT),
      ),
    ([p, a, d], types) => {
      const amount = int(types[1], a);
      return isNull(d) || amount === null
        ? null
        : datetimeAdd(periodOf(types[0]!, p), amount, d as bigint);
    },
  ),
  datetime_diff: def(
    3,
    3,
    (args) =>
      checked(
        'long',
        need('datetime_diff', args, 0, STR),
        need('datetime_diff', args, 1, DT),
        need('datetime_diff', args, 2, DT),
      ),
    ([p, a, b], types) =>
      isNull(a) || isNull(b)
        ? null
        : datetimeDiff(periodOf(types[0]!, p), a as bigint, b as bigint),
  ),
  datetime_part: def(
    2,
    2,
    (args) =>
      checked('int', need('datetime_part', args, 0, STR), need('datetime_part', args, 1, DT)),
    ([p, d], types) => (isNull(d) ? null : datetimePart(periodOf(types[0]!, p), d as bigint)),
  ),
  dayofmonth: part('dayofmonth', 'day'),
  dayofyear: part('dayofyear', 'dayofyear'),
  getmonth: part('getmonth', 'month'),
  getyear: part('getyear', 'year'),
  hourofday: part('hourofday', 'hour'),
  weekofyear: part('weekofyear', 'week_of_year'),
  dayofweek: def(
    1,
    1,
    (args) => checked('timespan', need('dayofweek', args, 0, DT)),
    ([d]) => {
      if (isNull(d)) return null;
      const days = civilOf(d as bigint).days;
      return BigInt(days - weekStartDay(days)) * TICKS_PER_DAY;
    },
  ),
  startofday: boundary('startofday', startOf),
  startofweek: boundary('startofweek', startOf),
  startofmonth: boundary('startofmonth', startOf),
  startofyear: boundary('startofyear', startOf),
  endofday: boundary('endofday', endOf),
  endofweek: boundary('endofweek', endOf),
  endofmonth: boundary('endofmonth', endOf),
  endofyear: boundary('endofyear', endOf),
  make_datetime: def(
    3,
    6,
    (args) =>
      args.length === 4
        ? 'make_datetime() takes 3, 5 or 6 arguments'
        : checked('datetime', ...args.map((_, i) => need('make_datetime', args, i, 'numeric'))),
    (args, types) => makeDatetime(args, types),
  ),
  make_timespan: def(
    2,
    4,
    (args) => checked('timespan', ...args.map((_, i) => need('make_timespan', args, i, 'numeric'))),
    (args, types) => makeTimespan(args, types),
  ),
};
