/**
 * The spool's file format, version 1: one file per request body.
 *
 *   name:  <time:15 digits>-<counter:9 digits>-<tag:8 hex>-<records>r.v1.seg
 *   bytes: {"format":"azure-ingestion-spool","v":1,"records":n,"bytes":B,"crc32":c,"sizes":[…]}\n
 *          [r0,r1,…]                                    (B bytes: the request body as sent)
 *
 * The name sorts oldest first (the time and a per-client counter) and carries what the backlog
 * needs without opening the file (the record count); the tag keeps names unique when files of
 * several clients end up in one folder. The header line gives each record's UTF-8 size (a record
 * is any JSON object text, which may contain newlines: its size is what separates it from the
 * next) and a CRC-32 of the body: a torn or altered file is detected when read back, never sent.
 */
import type { Segment } from '../engine/segment.js';

export const FORMAT = 'azure-ingestion-spool';
export const FORMAT_VERSION = 1;
/** Spool files: the format's version is part of the name (`.v1.seg`). */
const NAME = /^(\d{15})-(\d{9})-([0-9a-f]{8})-(\d+)r\.v(\d+)\.seg$/;
const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
const COMMA = 0x2c;
const NEWLINE = 0x0a;

type Crc32 = (data: Uint8Array) => number;
let crc32Loaded: Crc32 | undefined;

/** zlib's CRC-32 (Node ≥ 20.15), loaded at the first use: importing the core loads no zlib. */
function crc32(data: Uint8Array): number {
  crc32Loaded ??= (process.getBuiltinModule('node:zlib') as typeof import('node:zlib')).crc32;
  return crc32Loaded(data);
}

/** What a spool file's name says. */
export interface FileName {
  readonly name: string;
  /** `<time>-<counter>-<tag>`: the file's place in the replay order. */
  readonly place: string;
  readonly records: number;
  readonly version: number;
}

/** A file's place in the replay order: time (ms), then a per-client counter, then its tag. */
export function filePlace(time: number, counter: number, tag: string): string {
  const t = String(Math.max(0, Math.floor(time))).padStart(15, '0');
  const c = String(counter % 1e9).padStart(9, '0');
  return `${t}-${c}-${tag}`;
}

export function fileName(place: string, records: number): string {
  return `${place}-${records}r.v${FORMAT_VERSION}.seg`;
}

/** Parses a spool file's name; undefined for any other file (temp files, `.corrupt`, …). */
export function parseName(name: string): FileName | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  const place = `${m[1]}-${m[2]}-${m[3]}`;
  return { name, place, records: Number(m[4]), version: Number(m[5]) };
}

/** Record ranges of one segment, `[from, to)`, in order. */
export type Ranges = ReadonlyArray<readonly [number, number]>;

/**
 * The file's bytes for records of `segment` (one copy: the segment's Buffer may be reused or
 * rewritten after this returns). Separators are written here, not copied: the byte before a
 * record may hold a `[` written for a split half's body (see Segment.body).
 */
export function encode(segment: Segment, ranges: Ranges): { data: Buffer; records: number } {
  segment.commit();
  const sizes: number[] = [];
  for (const [from, to] of ranges)
    for (let i = from; i < to; i++) sizes.push(segment.recordBytes(i));
  const n = sizes.length;
  let bytes = 2 + Math.max(0, n - 1);
  for (const size of sizes) bytes += size;
  const body = Buffer.allocUnsafe(bytes);
  body[0] = OPEN;
  let pos = 1;
  const source = segment.buffer;
  for (const [from, to] of ranges) {
    for (let i = from; i < to; i++) {
      if (pos > 1) body[pos++] = COMMA;
      pos += source.copy(body, pos, segment.start(i), segment.ends[i]);
    }
  }
  body[pos] = CLOSE;
  const header = JSON.stringify({
    format: FORMAT,
    v: FORMAT_VERSION,
    records: n,
    bytes,
    crc32: crc32(body),
    sizes,
  });
  return { data: Buffer.concat([Buffer.from(`${header}\n`), body]), records: n };
}

/** A file read back: the body and each record's size, or why it cannot be used. */
export type Decoded =
  | { readonly body: Buffer; readonly sizes: readonly number[] }
  | { readonly problem: string };

interface Header {
  readonly format: unknown;
  readonly v: unknown;
  readonly records: unknown;
  readonly bytes: unknown;
  readonly crc32: unknown;
  readonly sizes: unknown;
}

/** Checks a file's bytes against its header and its name's record count. */
export function decode(data: Buffer, expectedRecords: number): Decoded {
  const eol = data.indexOf(NEWLINE);
  if (eol < 0) return { problem: 'torn: no complete header line' };
  let header: Header;
  try {
    header = JSON.parse(data.toString('utf8', 0, eol)) as Header;
  } catch {
    return { problem: 'corrupt header (not JSON)' };
  }
  if (header?.format !== FORMAT) return { problem: 'not a spool file' };
  if (header.v !== FORMAT_VERSION) {
    return { problem: `format version ${String(header.v)}, this version reads ${FORMAT_VERSION}` };
  }
  const { records, bytes, sizes } = header;
  if (
    typeof bytes !== 'number' ||
    typeof records !== 'number' ||
    !Array.isArray(sizes) ||
    sizes.length !== records ||
    records !== expectedRecords
  ) {
    return { problem: 'corrupt header (record count)' };
  }
  const body = data.subarray(eol + 1);
  if (body.length < bytes) return { problem: `torn: ${body.length} of ${bytes} body bytes` };
  if (body.length > bytes) return { problem: 'corrupt: longer than its header says' };
  if (crc32(body) !== header.crc32) return { problem: 'corrupt: checksum mismatch' };
  return checkLayout(body, sizes) ?? { body, sizes: sizes as number[] };
}

/** The sizes must tile the body as `[` r `,` r … `]`. */
function checkLayout(body: Buffer, sizes: readonly unknown[]): { problem: string } | undefined {
  let pos = 1;
  if (body[0] !== OPEN) return { problem: 'corrupt: the body is not a JSON array' };
  for (let i = 0; i < sizes.length; i++) {
    const size = sizes[i];
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 2) {
      return { problem: 'corrupt header (record sizes)' };
    }
    pos += size;
    const expected = i === sizes.length - 1 ? CLOSE : COMMA;
    if (body[pos] !== expected) return { problem: 'corrupt: record sizes do not match the body' };
    pos++;
  }
  if (sizes.length === 0 && body[1] !== CLOSE) return { problem: 'corrupt: empty body' };
  return pos === body.length || (sizes.length === 0 && body.length === 2)
    ? undefined
    : { problem: 'corrupt: record sizes do not match the body' };
}

/** The records of a decoded body, as JSON texts (for `onError`). */
export function recordTexts(body: Buffer, sizes: readonly number[]): string[] {
  const texts: string[] = [];
  let pos = 1;
  for (const size of sizes) {
    texts.push(body.toString('utf8', pos, pos + size));
    pos += size + 1;
  }
  return texts;
}
