/**
 * `Retry-After` parsing (RFC 9110 §10.2.3): either delay-seconds or an HTTP date. Pure: the
 * current time is a parameter so tests need no clock.
 */

/**
 * The delay in ms a `Retry-After` value asks for, or `undefined` when it is absent or
 * unparseable. A date in the past gives 0.
 */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: number,
): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Only accept something that looks like a date, so `Date.parse` is not fed numbers or junk.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
