// Small statistics shared by the bench scripts: medians of interleaved rounds, and ratios
// taken per round (robust to load that shifts during a run on a shared machine).

/** The median of a list of numbers (the upper middle for an even count). */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The median of per-round ratios xs[i] / base[i]. */
export const medianRatio = (xs, base) => median(xs.map((x, i) => x / base[i]));

/** `key` of every object in a list. */
export const pluck = (key, xs) => xs.map((x) => x[key]);
