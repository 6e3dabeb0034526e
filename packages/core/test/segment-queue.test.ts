import { describe, expect, it } from 'vitest';
import { batchBody, batchTexts, newBatch } from '../src/engine/batch.js';
import { Fifo } from '../src/engine/fifo.js';
import { MIN_CAPACITY, Segment } from '../src/engine/segment.js';
import { bodyBytes, fitsAlone, SegmentQueue, splitRange } from '../src/engine/segment-queue.js';

/** A JSON object text of exactly `bytes` UTF-8 bytes, built from 3-byte characters (€) and padding. */
function objectOfBytes(bytes: number, tag = ''): string {
  const frame = `{"m":"${tag}"}`.length;
  const euros = Math.floor((bytes - frame) / 3);
  const text = `{"m":"${tag}${'€'.repeat(euros)}${'a'.repeat(bytes - frame - euros * 3)}"}`;
  expect(Buffer.byteLength(text)).toBe(bytes);
  return text;
}

let seq = 0;
function fill(batcher: SegmentQueue, texts: string[]): void {
  for (const t of texts) batcher.append(t, -1, ++seq);
}

function takeAll(batcher: SegmentQueue): string[][] {
  const out: string[][] = [];
  for (let s = batcher.take(); s; s = batcher.take()) out.push(batchTexts(newBatch(s)));
  return out;
}

describe('Fifo', () => {
  it('is FIFO across chunk boundaries', () => {
    const q = new Fifo<number>();
    for (let i = 0; i < 5000; i++) q.push(i);
    for (let i = 0; i < 3000; i++) expect(q.shift()).toBe(i);
    for (let i = 5000; i < 7000; i++) q.push(i);
    expect(q.peek()).toBe(3000);
    expect(q.length).toBe(4000);
    for (let i = 3000; i < 7000; i++) expect(q.shift()).toBe(i);
    expect(q.shift()).toBeUndefined();
    expect(q.length).toBe(0);
  });
});

describe('Segment', () => {
  it('writes the JSON array in place and reports exact UTF-8 sizes', () => {
    const s = new Segment(1, 1_048_576, MIN_CAPACITY);
    expect(s.append('{"a":"é"}', -1)).toBe(10);
    expect(s.append('{"b":"😀"}', -1)).toBe(12);
    expect(s.append('{}', 2)).toBe(2);
    const body = s.body(0, 3);
    expect(body.toString()).toBe('[{"a":"é"},{"b":"😀"},{}]');
    expect(JSON.parse(body.toString())).toHaveLength(3);
    expect(s.text(1)).toBe('{"b":"😀"}');
    expect(s.body(0, 2).toString()).toBe('[{"a":"é"},{"b":"😀"}]');
    expect(s.body(1, 3).toString()).toBe('[{"b":"😀"},{}]');
  });

  it('grows past its first 64 KB and refuses what would exceed the limit', () => {
    const s = new Segment(1, 200_000, MIN_CAPACITY);
    const big = objectOfBytes(50_000);
    for (let i = 0; i < 3; i++) expect(s.append(big, -1)).toBe(50_000);
    // `[` + 3 × 50,000 + 3 commas = 150,004; one more comma, then the record, then `]`.
    expect(s.append(objectOfBytes(49_996), -1)).toBe(-1); // 200,001 bytes
    expect(s.append(objectOfBytes(49_995), -1)).toBe(49_995); // exactly 200,000
    expect(s.body(0, 4).length).toBe(200_000);
  });

  it('drops from the head and still writes a valid body', () => {
    const s = new Segment(1, 4096, MIN_CAPACITY);
    for (let i = 0; i < 4; i++) s.append(`{"i":${i}}`, -1);
    expect(s.dropHead()).toEqual({ text: '{"i":0}', bytes: 7 });
    expect(s.count).toBe(3);
    expect(s.bytes).toBe(21);
    expect(s.body(s.head, 4).toString()).toBe('[{"i":1},{"i":2},{"i":3}]');
  });
});

describe('Segment staging (records written in groups)', () => {
  it('counts staged records, then writes them with exact ends, sizes and body', () => {
    const deltas: number[] = [];
    const s = new Segment(1, 1_048_576, MIN_CAPACITY, (d) => deltas.push(d));
    const texts = ['{"a":1}', '{"b":"é"}', '{"c":"😀"}', '{"d":"\ud800"}', '{}'];
    // Staged: each counts its UTF-16 length until the group is written.
    expect(texts.map((t) => s.stage(t))).toEqual(texts.map((t) => t.length));
    expect(s.count).toBe(5);
    expect(s.ends).toHaveLength(0);
    s.commit();
    const exact = texts.map((t) => Buffer.byteLength(t));
    expect(s.ends).toHaveLength(5);
    expect(texts.map((_, i) => s.recordBytes(i))).toEqual(exact);
    expect(s.bytes).toBe(exact.reduce((a, b) => a + b));
    // é +1, 😀 (2 units, 4 bytes) +2, a lone surrogate (1 unit, 3 bytes: U+FFFD) +2.
    expect(deltas).toEqual([5]);
    expect(s.text(1)).toBe('{"b":"é"}');
    expect(s.body(0, 5).toString()).toBe(`[${texts.slice(0, 3).join(',')},{"d":"\ufffd"},{}]`);
  });

  it('reports no resize for ASCII, and mixes staged and measured records in order', () => {
    const deltas: number[] = [];
    const s = new Segment(1, 1_048_576, MIN_CAPACITY, (d) => deltas.push(d));
    s.stage('{"i":1}');
    s.stage('{"i":2}');
    expect(s.append('{"i":3}', 7)).toBe(7); // a measured record writes the group first
    s.stage('{"i":4}');
    expect(s.body(0, 4).toString()).toBe('[{"i":1},{"i":2},{"i":3},{"i":4}]');
    expect(deltas).toEqual([]);
  });

  it('writes a full group at once and refuses to stage what might not fit the Buffer', () => {
    const s = new Segment(1, 1_048_576, 1024);
    for (let i = 0; i < 70; i++) expect(s.stage('{}')).toBe(2);
    expect(s.ends.length).toBe(64); // the 65th stage() wrote the first 64
    const big = `{"m":"${'x'.repeat(400)}"}`;
    // 3 bytes per unit at most: 406 × 3 does not fit in what is left of 1,024 bytes.
    expect(s.stage(big)).toBe(-1);
    expect(s.append(big, -1)).toBe(big.length); // measured, and the Buffer grows
    expect(JSON.parse(s.body(0, s.ends.length).toString())).toHaveLength(71);
  });

  it('keeps the SegmentQueue and its listener exact with non-ASCII records', () => {
    let resized = 0;
    const b = new SegmentQueue(4096, 0, (d) => {
      resized += d;
    });
    const texts = Array.from({ length: 100 }, (_, i) => `{"m":"é${i}"}`);
    let returned = 0;
    for (const t of texts) returned += b.append(t, -1, ++seq);
    const exact = texts.reduce((a, t) => a + Buffer.byteLength(t), 0);
    const taken = takeAll(b);
    expect(taken.flat()).toEqual(texts);
    expect(returned + resized).toBe(exact);
    expect(b.bytes).toBe(0);
    for (const group of taken) {
      expect(Buffer.byteLength(`[${group.join(',')}]`)).toBeLessThanOrEqual(4096);
    }
  });

  it('drops the oldest record even while it is only staged', () => {
    const b = new SegmentQueue(1_048_576, 0);
    fill(b, ['{"i":"é1"}', '{"i":2}']);
    expect(b.dropOldest()).toEqual({ text: '{"i":"é1"}', bytes: 11 });
    expect(b.bytes).toBe(7);
    expect(takeAll(b)).toEqual([['{"i":2}']]);
  });
});

describe('batch sizing', () => {
  it('counts brackets and commas', () => {
    expect(bodyBytes(0, 0)).toBe(2);
    expect(bodyBytes(1, 10)).toBe(12);
    expect(bodyBytes(3, 30)).toBe(34);
    expect(fitsAlone(1022, 1024)).toBe(true);
    expect(fitsAlone(1023, 1024)).toBe(false);
  });

  it('puts a body of exactly the limit in one batch and splits at one byte more (multi-byte text)', () => {
    const limit = 4096;
    const exact = new SegmentQueue(limit, 0);
    fill(exact, [objectOfBytes(1500), objectOfBytes(1500), objectOfBytes(limit - 4 - 3000)]);
    expect(exact.hasFull()).toBe(false);
    const segment = exact.take();
    expect(segment && batchBody(newBatch(segment)).length).toBe(limit);
    expect(exact.take()).toBeUndefined();

    const over = new SegmentQueue(limit, 0);
    fill(over, [objectOfBytes(1500), objectOfBytes(1500), objectOfBytes(limit - 4 - 3000 + 1)]);
    expect(over.hasFull()).toBe(true);
    const sizes = takeAll(over).map((texts) => texts.length);
    expect(sizes).toEqual([2, 1]);
  });

  it('takes one record of exactly limit − 2 bytes', () => {
    const b = new SegmentQueue(1024, 0);
    fill(b, [objectOfBytes(1022), objectOfBytes(100)]);
    const first = b.take();
    expect(first && batchBody(newBatch(first)).length).toBe(1024);
    expect(first?.count).toBe(1);
  });

  it('closes batches on the record count', () => {
    const b = new SegmentQueue(1_048_576, 4);
    fill(
      b,
      Array.from({ length: 10 }, () => '{}'),
    );
    expect(b.hasFull()).toBe(true);
    expect(takeAll(b).map((t) => t.length)).toEqual([4, 4, 2]);
  });

  it('tracks queued bytes, the head sequence number and drops the oldest first', () => {
    const b = new SegmentQueue(30, 0);
    const first = seq + 1;
    fill(b, ['{"i":1}', '{"i":2}', '{"i":3}', '{"i":4}', '{"i":5}']);
    expect(b.bytes).toBe(35);
    expect(b.headSeq()).toBe(first);
    expect(b.dropOldest()?.text).toBe('{"i":1}');
    expect(b.headSeq()).toBe(first + 1);
    expect(b.bytes).toBe(28);
    expect(takeAll(b)).toEqual([
      ['{"i":2}', '{"i":3}'],
      ['{"i":4}', '{"i":5}'],
    ]);
    expect(b.headSeq()).toBe(Number.POSITIVE_INFINITY);
    expect(b.bytes).toBe(0);
  });

  it('reuses the full-size Buffer of a delivered batch, and its old bytes never leak', () => {
    const b = new SegmentQueue(1024, 0);
    fill(
      b,
      Array.from({ length: 10 }, (_, i) => objectOfBytes(100, `old${i}`)),
    );
    const first = b.take();
    const buffer = first?.release();
    expect(buffer?.length).toBe(1024);
    if (first) b.recycle(first);
    const fresh = Array.from({ length: 11 }, (_, i) => objectOfBytes(90, `new${i}`));
    fill(b, fresh);
    const second = b.take();
    expect(second?.release()).toBe(buffer); // the same memory, reused
    expect(second && batchBody(newBatch(second)).toString()).toBe(`[${fresh.join(',')}]`);
    expect(b.take()).toBeUndefined();
  });

  it('splits ranges in ordered halves', () => {
    expect(splitRange(0, 5)).toEqual([
      [0, 3],
      [3, 5],
    ]);
    expect(splitRange(4, 6)).toEqual([
      [4, 5],
      [5, 6],
    ]);
  });
});
