/**
 * `timespan` as Kusto holds it: a signed count of 100 ns ticks (a BigInt here). Literals follow
 * "The timespan data type" (`2d`, `1.5h`, `30m`, `10s`, `100ms`, `10microsecond`, `1tick`,
 * `timespan(0.12:34:56.7)`); text is written as Kusto prints it: `[-][d.]hh:mm:ss[.fffffff]`.
 */
import { TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE, TICKS_PER_SECOND } from './datetime.js';

/** Ticks per unit of the literal suffixes Kusto accepts. */
const UNITS: Record<string, bigint> = {
  d: TICKS_PER_DAY,
  day: TICKS_PER_DAY,
  days: TICKS_PER_DAY,
  h: TICKS_PER_HOUR,
  hr: TICKS_PER_HOUR,
  hrs: TICKS_PER_HOUR,
  hour: TICKS_PER_HOUR,
  hours: TICKS_PER_HOUR,
  m: TICKS_PER_MINUTE,
  min: TICKS_PER_MINUTE,
  minute: TICKS_PER_MINUTE,
  minutes: TICKS_PER_MINUTE,
  s: TICKS_PER_SECOND,
  sec: TICKS_PER_SECOND,
  second: TICKS_PER_SECOND,
  seconds: TICKS_PER_SECOND,
  ms: 10_000n,
  milli: 10_000n,
  millis: 10_000n,
  millisecond: 10_000n,
  milliseconds: 10_000n,
  microsecond: 10n,
  microseconds: 10n,
  tick: 1n,
  ticks: 1n,
};

/** A literal like `1.5h` matched at the start of `text`: `^\d+(\.\d+)?unit` with a known unit. */
export const TIMESPAN_LITERAL = /^(\d+(?:\.\d+)?)([a-z]+)\b/;

/** Ticks of `amount` `unit`s, or undefined for an unknown unit. */
export function unitTicks(amount: string, unit: string): bigint | undefined {
  const per = UNITS[unit];
  if (per === undefined) return undefined;
  const [whole, frac = ''] = amount.split('.');
  const scale = 10n ** BigInt(frac.length);
  return ((BigInt(whole!) * scale + BigInt(frac || '0')) * per) / scale;
}

const CLOCK = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;

/** Read `[-][d.]hh:mm[:ss[.f]]`, a literal like `3m`, or a plain number of days; null otherwise. */
export function parseTimespan(text: string): bigint | null {
  const t = text.trim();
  const clock = CLOCK.exec(t);
  if (clock) {
    const [, neg, d, h, mi, s, f] = clock;
    if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return null;
    const ticks =
      BigInt(d ?? 0) * TICKS_PER_DAY +
      BigInt(h!) * TICKS_PER_HOUR +
      BigInt(mi!) * TICKS_PER_MINUTE +
      BigInt(s ?? 0) * TICKS_PER_SECOND +
      BigInt((f ?? '').padEnd(7, '0') || '0');
    return neg ? -ticks : ticks;
  }
  const lit = /^(-)?(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(t);
  if (lit) {
    const ticks = unitTicks(lit[2]!, lit[3]!.toLowerCase());
    if (ticks === undefined) return null;
    return lit[1] ? -ticks : ticks;
  }
  if (/^-?\d+(\.\d+)?$/.test(t)) {
    const neg = t.startsWith('-');
    const ticks = unitTicks(neg ? t.slice(1) : t, 'd')!;
    return neg ? -ticks : ticks;
  }
  return null;
}

const pad = (n: bigint, width: number): string => String(n).padStart(width, '0');

/** Kusto's text of a timespan: `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTimespan(ticks: bigint): string {
  const neg = ticks < 0n;
  let t = neg ? -ticks : ticks;
  const days = t / TICKS_PER_DAY;
  t -= days * TICKS_PER_DAY;
  const h = t / TICKS_PER_HOUR;
  t -= h * TICKS_PER_HOUR;
  const mi = t / TICKS_PER_MINUTE;
  t -= mi * TICKS_PER_MINUTE;
  const s = t / TICKS_PER_SECOND;
  const frac = t - s * TICKS_PER_SECOND;
  return `${neg ? '-' : ''}${days > 0n ? `${days}.` : ''}${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${frac > 0n ? `.${pad(frac, 7)}` : ''}`;
}
