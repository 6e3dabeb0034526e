/**
 * The service's 64 KB field cap: a value over it is cut by Azure (a dynamic column then no longer
 * parses), so the core cuts strings itself, at a character boundary and with a visible marker.
 */

/** The service's per-field cap (64 KB): longer values are cut by Azure. */
export const MAX_FIELD_BYTES = 65536;

/** Strings up to this many UTF-16 units cannot exceed MAX_FIELD_BYTES in UTF-8 (3 bytes per unit at most). */
export const SAFE_LENGTH = Math.floor(MAX_FIELD_BYTES / 3);

/**
 * `s` cut to at most `maxBytes` UTF-8 bytes including the marker "…[truncated N bytes]"
 * (N = bytes removed), at a character boundary. Returns `s` itself when it fits. `partial`
 * says `s` is itself only the start of a longer text: the marker then reads "truncated over N".
 * `removedBefore`: bytes already cut from inside `s` by earlier truncations (a field holding a
 * truncated string); they are added to N, so the marker states how much of the original value
 * is gone, not only what this cut removed.
 */
export function truncateString(
  s: string,
  maxBytes: number = MAX_FIELD_BYTES,
  partial = false,
  removedBefore = 0,
): string {
  if (s.length <= Math.floor(maxBytes / 3)) return s;
  const own = Buffer.byteLength(s, 'utf8');
  if (own <= maxBytes) return s;
  const total = own + removedBefore;
  const over = partial ? 'over ' : '';
  // The marker's length is reserved for the largest possible N, so the result always fits.
  const reserve = Buffer.byteLength(`…[truncated ${over}${total} bytes]`);
  // Each UTF-16 unit is at least one byte: the first maxBytes units hold every byte kept.
  const head = Buffer.from(s.slice(0, maxBytes), 'utf8');
  let end = Math.max(0, Math.min(head.length, maxBytes - reserve));
  while (end > 0 && (head[end]! & 0xc0) === 0x80) end--; // back to a character start
  return `${head.toString('utf8', 0, end)}…[truncated ${over}${total - end} bytes]`;
}
