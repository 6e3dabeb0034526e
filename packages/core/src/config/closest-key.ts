/** "Did you mean …?" for a mistyped option name: the closest known name by edit distance. */
import { OPTION_KEYS } from './option-table.js';

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The known option name closest to `key` (case-insensitive edit distance), if reasonably close. */
export function closestKey(
  key: string,
  known: readonly string[] = OPTION_KEYS,
): string | undefined {
  const k = key.toLowerCase().replace(/[-_\s]/g, '');
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const name of known) {
    const d = distance(k, name.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = name;
    }
  }
  return bestD <= Math.max(2, Math.floor(k.length / 3)) ? best : undefined;
}
