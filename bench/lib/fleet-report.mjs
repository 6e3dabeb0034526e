// The figures of a fleet run (bench/fleet.mjs, and the CI-sized fleet test) from the emulator's
// request log: share of 429s after the first throttle, request rate against the rule's limit,
// records per request, and when the fleet settled.

/** Length of the spans the settled test looks at (ms): a minute, several rate-limit windows. */
export const SPAN_MS = 60_000;
/** Spans start every STEP_MS. */
const STEP_MS = 5_000;

/**
 * `requests`: `{ at, status, records }` (epoch ms, HTTP status, records of a stored request);
 * `limitPerMin`: the rule's requests per minute; `loadFrom`/`loadTo`: when the fleet was logging
 * (the drain at close() after it is counted in the totals, not in the settled figures).
 *
 * The goals of issue 13: no loss; 429s at most a tenth of the requests after the first
 * throttle; once settled, the accepted requests within 10% below the limit. Settled: from the
 * first span start after which every span of SPAN_MS within the load has its accepted requests at
 * 90% of the limit or more.
 */
export function fleetFigures({ requests, limitPerMin, loadFrom, loadTo }) {
  const sorted = [...requests].sort((a, b) => a.at - b.at);
  const throttled = sorted.find((r) => r.status === 429);
  const after = throttled ? sorted.filter((r) => r.at >= throttled.at) : [];
  const count = (list, status) => list.filter((r) => r.status === status).length;
  const ok = sorted.filter((r) => r.status >= 200 && r.status < 300);
  const records = ok.reduce((n, r) => n + r.records, 0);
  const span = (from, to) => {
    const inside = sorted.filter((r) => r.at >= from && r.at < to);
    const minutes = (to - from) / 60_000;
    return {
      requests: inside.length,
      share429: inside.length === 0 ? 0 : count(inside, 429) / inside.length,
      acceptedPerMin: (inside.length - count(inside, 429)) / minutes,
      requestsPerMin: inside.length / minutes,
    };
  };
  const good = (s) => s.acceptedPerMin >= 0.9 * limitPerMin;
  let settledAt;
  const starts = [];
  for (let t = loadFrom; t + SPAN_MS <= loadTo; t += STEP_MS) starts.push(t);
  for (let k = starts.length - 1; k >= 0; k--) {
    if (!good(span(starts[k], starts[k] + SPAN_MS))) break;
    settledAt = starts[k];
  }
  const settled = settledAt === undefined ? undefined : span(settledAt, loadTo);
  return {
    requests: sorted.length,
    accepted: ok.length,
    answered429: count(sorted, 429),
    firstThrottleS: throttled ? (throttled.at - loadFrom) / 1000 : undefined,
    share429AfterFirstThrottle: after.length === 0 ? 0 : count(after, 429) / after.length,
    share429DuringLoad: span(throttled?.at ?? loadFrom, loadTo).share429,
    recordsPerRequest: ok.length === 0 ? 0 : records / ok.length,
    settleS: settledAt === undefined ? undefined : (settledAt - loadFrom) / 1000,
    settled,
    secondHalf: span((loadFrom + loadTo) / 2, loadTo),
    limitPerMin,
  };
}

/** The figures as lines of text. */
export function formatFigures(f, lost, duplicates) {
  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `records lost ${lost}, stored twice ${duplicates}`,
    `requests ${f.requests}: accepted ${f.accepted}, 429 ${f.answered429}; first 429 at ${f.firstThrottleS ?? '–'} s`,
    `429 share after the first throttle: ${pct(f.share429AfterFirstThrottle)} overall, ${pct(f.share429DuringLoad)} while logging (goal ≤ 10%)`,
    `mean records per accepted request: ${f.recordsPerRequest.toFixed(0)}`,
  ];
  if (f.settled) {
    const s = f.settled;
    lines.push(
      `settled ${f.settleS} s after the start; since then ${s.acceptedPerMin.toFixed(1)} accepted requests/min (${pct(s.acceptedPerMin / f.limitPerMin)} of the limit ${f.limitPerMin}/min; goal 90–100%), ${s.requestsPerMin.toFixed(1)} requests/min in all, 429 share ${pct(s.share429)}`,
    );
  } else lines.push('never settled (no minute from some point to the end at 90% of the limit)');
  return lines.join('\n');
}
