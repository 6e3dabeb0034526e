/** The spool's file format: what is written reads back exactly; what was damaged is refused. */
import { describe, expect, it } from 'vitest';
import { Segment } from '../src/engine/segment.js';
import {
  decode,
  encode,
  fileName,
  filePlace,
  parseName,
  recordTexts as texts,
} from '../src/spool/format.js';

const RECORDS = [
  '{"Message":"plain"}',
  '{"Message":"déjà vu, 日本語, 🎉"}',
  '{\n  "Message": "pretty JSON, with a newline inside"\n}',
  '{"Message":"a comma, a bracket ] and a brace }"}',
];

function segment(texts: readonly string[]): Segment {
  const s = new Segment(1, 1_048_576, 1024);
  for (const t of texts) s.append(t, -1);
  s.commit();
  return s;
}

function decoded(data: Buffer, records: number) {
  const d = decode(data, records);
  if (!('body' in d)) throw new Error(d.problem);
  return d;
}

describe('spool file format v1', () => {
  it('reads back every record exactly, the body being the request body', () => {
    const { data, records } = encode(segment(RECORDS), [[0, RECORDS.length]]);
    expect(records).toBe(4);
    const { body, sizes } = decoded(data, 4);
    expect(texts(body, sizes)).toEqual(RECORDS);
    expect(JSON.parse(body.toString('utf8'))).toHaveLength(4);
    const header = JSON.parse(data.toString('utf8', 0, data.indexOf(10)));
    expect(header).toMatchObject({ format: 'azure-ingestion-spool', v: 1, records: 4 });
  });

  it('writes its own separators: a split half may have put a `[` into the segment', () => {
    const s = segment(RECORDS);
    s.body(2, 4); // the second half of a split body, built in place
    const { data } = encode(s, [
      [0, 2],
      [3, 4],
    ]);
    const { body, sizes } = decoded(data, 3);
    expect(texts(body, sizes)).toEqual([RECORDS[0], RECORDS[1], RECORDS[3]]);
    expect(JSON.parse(body.toString('utf8'))).toHaveLength(3);
  });

  it('reads back into a segment that sends the same body', () => {
    const { data } = encode(segment(RECORDS), [[0, 4]]);
    const { body, sizes } = decoded(data, 4);
    const back = Segment.fromBody(7, 1_048_576, body, sizes);
    expect(back.count).toBe(4);
    expect(back.bytes).toBe(RECORDS.reduce((n, r) => n + Buffer.byteLength(r), 0));
    expect(back.text(2)).toBe(RECORDS[2]);
    expect(back.body(0, 4).equals(body)).toBe(true);
  });

  it('refuses a torn, an altered, a foreign or a newer file, saying why', () => {
    const { data } = encode(segment(RECORDS), [[0, 4]]);
    const problem = (d: Buffer, n = 4) => {
      const r = decode(d, n);
      return 'problem' in r ? r.problem : 'ok';
    };
    expect(problem(data.subarray(0, data.length - 3))).toMatch(/^torn: \d+ of \d+ body bytes$/);
    expect(problem(data.subarray(0, 30))).toBe('torn: no complete header line');
    const flipped = Buffer.from(data);
    flipped.writeUInt8((flipped[flipped.length - 5] as number) ^ 1, flipped.length - 5);
    expect(problem(flipped)).toBe('corrupt: checksum mismatch');
    expect(problem(Buffer.concat([data, Buffer.from('x')]))).toBe(
      'corrupt: longer than its header says',
    );
    expect(problem(data, 5)).toBe('corrupt header (record count)');
    expect(problem(Buffer.from('{"format":"other"}\n[]'))).toBe('not a spool file');
    expect(problem(Buffer.from('{"format":"azure-ingestion-spool","v":2}\n[]'))).toBe(
      'format version 2, this version reads 1',
    );
    expect(problem(Buffer.from('garbage\n[]'))).toBe('corrupt header (not JSON)');
  });

  it('names files in replay order, the version in the name', () => {
    const a = fileName(filePlace(1_767_225_600_000, 1, 'abcdef01'), 250);
    const b = fileName(filePlace(1_767_225_600_000, 2, 'abcdef01'), 3);
    const c = fileName(filePlace(1_767_225_600_001, 1, '00000000'), 9);
    expect(a).toBe('001767225600000-000000001-abcdef01-250r.v1.seg');
    expect([c, b, a].sort()).toEqual([a, b, c]);
    expect(parseName(a)).toEqual({
      name: a,
      place: '001767225600000-000000001-abcdef01',
      records: 250,
      version: 1,
    });
    for (const other of [`${a}.corrupt`, `${a}.123-4.tmp`, 'owner.json', 'x.v1.seg']) {
      expect(parseName(other)).toBeUndefined();
    }
  });
});
