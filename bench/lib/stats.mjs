// Small statistics shared by the bench scripts: medians of interleaved rounds, and ratios
// taken per round (robust to load that shifts during a run on a shared machine).

/** The median of a list of numbers (the upper middle for an even count). */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The median of per-round ratios xs[i] / base[i]. */
export const medianRatio = (xs, base) => median(xs.map((x, i) => x / base[i]));

/** `key` of every object in a list. */
export const pluck = (key, xs) => xs.map((x) => x[key]);

/** The q-quantile of a list (nearest rank). */
export const quantile = (xs, q) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/**
 * Per-round ratios xs[i] / base[i] as `1.23x (1.15–1.31)`: the median and the interquartile
 * range, the spread a shared machine gives one figure within one run.
 */
export function ratioText(xs, base) {
  const r = xs.map((x, i) => x / base[i]);
  const f = (x) => x.toFixed(2);
  return `${f(median(r))}x (${f(quantile(r, 0.25))}–${f(quantile(r, 0.75))})`;
}
