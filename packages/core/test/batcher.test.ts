import { describe, expect, it } from 'vitest';
import { joinRecords } from '../src/batch-encoder.js';
import { bodyBytes, fitsAlone, hasFullBatch, splitBatch, takeBatch } from '../src/batcher.js';
import { RecordQueue } from '../src/queue.js';

let seq = 0;
function queueOf(texts: string[]): RecordQueue {
  const q = new RecordQueue();
  for (const text of texts) q.push({ text, bytes: Buffer.byteLength(text), seq: ++seq });
  return q;
}

/** A JSON object text of exactly `bytes` UTF-8 bytes, built from 3-byte characters (€) and padding. */
function objectOfBytes(bytes: number): string {
  const frame = '{"m":""}'.length;
  const euros = Math.floor((bytes - frame) / 3);
  const text = `{"m":"${'€'.repeat(euros)}${'a'.repeat(bytes - frame - euros * 3)}"}`;
  expect(Buffer.byteLength(text)).toBe(bytes);
  return text;
}

describe('RecordQueue', () => {
  it('is FIFO across chunk boundaries and tracks count and bytes', () => {
    const q = new RecordQueue();
    for (let i = 0; i < 5000; i++) q.push({ text: `{"i":${i}}`, bytes: 1, seq: i });
    expect(q.length).toBe(5000);
    expect(q.bytes).toBe(5000);
    for (let i = 0; i < 3000; i++) expect(q.shift()?.seq).toBe(i);
    for (let i = 5000; i < 7000; i++) q.push({ text: '', bytes: 2, seq: i });
    expect(q.peek()?.seq).toBe(3000);
    expect(q.length).toBe(4000);
    expect(q.bytes).toBe(2000 + 4000);
    const rest = q.drain();
    expect(rest.map((r) => r.seq)).toEqual(Array.from({ length: 4000 }, (_, k) => 3000 + k));
    expect(q.length).toBe(0);
    expect(q.bytes).toBe(0);
    expect(q.shift()).toBeUndefined();
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

  it('takes a batch of exactly the limit as one, and splits at one byte more (multi-byte text)', () => {
    const limit = 4096;
    // Three records; body = 2 + a + b + c + 2 = limit.
    const a = objectOfBytes(1500);
    const b = objectOfBytes(1500);
    const c = objectOfBytes(limit - 4 - 3000);
    const exact = queueOf([a, b, c]);
    const batch = takeBatch(exact, limit, 0);
    expect(batch).toHaveLength(3);
    expect(joinRecords(batch).length).toBe(limit);
    expect(exact.length).toBe(0);

    const over = queueOf([a, b, objectOfBytes(limit - 4 - 3000 + 1)]);
    expect(hasFullBatch(over, limit, 0)).toBe(true);
    const first = takeBatch(over, limit, 0);
    expect(first).toHaveLength(2);
    expect(joinRecords(first).length).toBeLessThanOrEqual(limit);
    expect(takeBatch(over, limit, 0)).toHaveLength(1);
  });

  it('takes one record of exactly limit − 2 bytes', () => {
    const q = queueOf([objectOfBytes(1022), objectOfBytes(100)]);
    const batch = takeBatch(q, 1024, 0);
    expect(batch).toHaveLength(1);
    expect(joinRecords(batch).length).toBe(1024);
  });

  it('closes batches on the record count', () => {
    const q = queueOf(Array.from({ length: 10 }, () => '{}'));
    expect(hasFullBatch(q, 1_048_576, 4)).toBe(true);
    expect(takeBatch(q, 1_048_576, 4)).toHaveLength(4);
    expect(takeBatch(q, 1_048_576, 4)).toHaveLength(4);
    expect(hasFullBatch(q, 1_048_576, 4)).toBe(false);
    expect(takeBatch(q, 1_048_576, 4)).toHaveLength(2);
  });

  it('reports no full batch while everything fits', () => {
    const q = queueOf([objectOfBytes(500), objectOfBytes(500)]);
    expect(hasFullBatch(q, 1003, 0)).toBe(false);
    expect(hasFullBatch(q, 1002, 0)).toBe(true);
  });

  it('splits in ordered halves', () => {
    expect(splitBatch([1, 2, 3, 4, 5])).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(splitBatch([1, 2])).toEqual([[1], [2]]);
  });
});
