/**
 * Compresses a request body with gzip on libuv's threadpool (`zlib.gzip`, asynchronous) so
 * compression never runs on the thread that calls `push()`. The body itself is already one
 * Buffer (see segment.ts): no join, no re-encoding here.
 *
 * Default level 1, measured with `node bench/core-throughput.mjs` on 432-byte log records
 * (this machine, see the bench output): level 1 ≈ 13.6 % of the raw size, level 3 ≈ 13.1 %,
 * level 6 ≈ 12.2 %, while CPU per record grows with the level (level 6 costs roughly twice
 * level 1's gzip time). The service bounds the *uncompressed* size, so a better ratio buys no
 * larger batches, only slightly fewer bytes on the wire: CPU is the cost that matters.
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);

export interface EncodedBody {
  /** What goes on the wire (gzipped unless level 0). */
  readonly body: Buffer;
  /** The uncompressed JSON array size in bytes. */
  readonly rawBytes: number;
  readonly gzipped: boolean;
}

/** Encodes a body: gzipped at `level` (0 = sent uncompressed). */
export async function encodeBody(raw: Buffer, level: number): Promise<EncodedBody> {
  if (level === 0) return { body: raw, rawBytes: raw.length, gzipped: false };
  const body = await gzip(raw, { level });
  return { body, rawBytes: raw.length, gzipped: true };
}
