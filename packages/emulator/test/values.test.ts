/**
 * Values as the service reads them: datetime text in KQL's formats (UTC when no zone, 100 ns
 * kept), `long` as 64-bit end to end, dynamic values over 64 KB truncated, and the two size
 * rules (documented, and lenient).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TABLE, MAX_FIELD_BYTES, startEmulator } from '../src/index.js';
import { formatDateTime, parseDateTime } from '../src/kql/datetime.js';
import { http, post, record, V } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'emu-values-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const iso = (text: string) => {
  const t = parseDateTime(text);
  return t === null ? null : formatDateTime(t);
};

describe('datetime text (the datetime data type page, "Supported formats")', () => {
  it.each([
    // ISO 8601
    ['2014-05-25T08:20:03.123456Z', '2014-05-25T08:20:03.123456Z'],
    ['2014-05-25T08:20:03.123456', '2014-05-25T08:20:03.123456Z'],
    ['2014-05-25T08:20', '2014-05-25T08:20:00.000Z'],
    ['2014-11-08 15:55:55.123456Z', '2014-11-08T15:55:55.123456Z'],
    ['2014-11-08 15:55:55', '2014-11-08T15:55:55.000Z'],
    ['2014-11-08 15:55', '2014-11-08T15:55:00.000Z'],
    ['2014-11-08', '2014-11-08T00:00:00.000Z'],
    // RFC 822
    ['Sat, 8 Nov 14 15:05:02 GMT', '2014-11-08T15:05:02.000Z'],
    ['Sat, 8 Nov 14 15:05:02', '2014-11-08T15:05:02.000Z'],
    ['Sat, 8 Nov 14 15:05', '2014-11-08T15:05:00.000Z'],
    ['Sat, 8 Nov 14 15:05 GMT', '2014-11-08T15:05:00.000Z'],
    ['8 Nov 14 15:05:02 GMT', '2014-11-08T15:05:02.000Z'],
    ['8 Nov 14 15:05', '2014-11-08T15:05:00.000Z'],
    ['Tue, 14 Nov 2023 10:10:02 EST', '2023-11-14T15:10:02.000Z'],
    // RFC 850
    ['Saturday, 08-Nov-14 15:05:02 GMT', '2014-11-08T15:05:02.000Z'],
    ['Saturday, 08-Nov-14 15:05', '2014-11-08T15:05:00.000Z'],
    ['08-Nov-14 15:05:02', '2014-11-08T15:05:02.000Z'],
    ['08-Nov-14 15:05 GMT', '2014-11-08T15:05:00.000Z'],
    // Sortable
    ['2014-11-8 15:05:25 GMT', '2014-11-08T15:05:25.000Z'],
    ['2014-11-08T15:05 GMT', '2014-11-08T15:05:00.000Z'],
    // Offsets, 100 ns, the parse docs' US form
    ['2023-11-14T16:10:02+01:00', '2023-11-14T15:10:02.000Z'],
    ['2023-11-14T15:10:02.1234567Z', '2023-11-14T15:10:02.1234567Z'],
    ['2023-11-14T15:10:02.123456789Z', '2023-11-14T15:10:02.1234567Z'],
    ['02/17/2016 08:40:01', '2016-02-17T08:40:01.000Z'],
    ['0001-01-01', '0001-01-01T00:00:00.000Z'],
  ])('%s', (text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  it('refuses what is not a datetime', () => {
    for (const t of [
      'yesterday',
      '2014-13-01',
      '2014-02-30',
      '2014-11-08T25:00',
      '10000-01-01',
      'Sat, 8 Foo 14 15:05',
      '',
    ]) {
      expect(iso(t), t).toBeNull();
    }
  });
});

describe('ingestion of time values', () => {
  it("reads Microsoft's sample body time (no zone) as UTC, keeps 100 ns and reads RFC forms", async () => {
    const now = Date.parse('2023-11-14T16:00:00.000Z');
    const emu = await startEmulator({ now: () => now });
    try {
      const times = [
        '2023-11-14 15:10:02',
        'Tue, 14 Nov 2023 15:10:02 GMT',
        'Tuesday, 14-Nov-23 15:10:02',
        '2023-11-14T15:10:02.1234567Z',
        '2023-11-14T17:10:02+02:00',
      ];
      const body = times.map((TimeGenerated) => record({ TimeGenerated }));
      expect((await post(emu.streamUrl() + V, body, { token: emu.token() })).status).toBe(204);
      expect(emu.rows(DEFAULT_TABLE).map((r) => r.TimeGenerated)).toEqual([
        '2023-11-14T15:10:02.000Z',
        '2023-11-14T15:10:02.000Z',
        '2023-11-14T15:10:02.000Z',
        '2023-11-14T15:10:02.1234567Z',
        '2023-11-14T15:10:02.000Z',
      ]);
      const c = emu.counters();
      expect(c.timeGeneratedReplaced).toBe(0);
      expect(c.typeErrors).toBe(0);
    } finally {
      await emu.stop();
    }
  });
});

const LONGS = {
  name: 'dcr-longs',
  properties: {
    immutableId: 'dcr-0000000000000000000000000000a001',
    streamDeclarations: {
      'Custom-Longs': {
        columns: [
          { name: 'TimeGenerated', type: 'datetime' },
          { name: 'Lg', type: 'long' },
          { name: 'Dy', type: 'dynamic' },
        ],
      },
    },
    dataFlows: [
      {
        streams: ['Custom-Longs'],
        destinations: ['w'],
        outputStream: 'Custom-Longs_CL',
        transformKql: 'source',
      },
      {
        streams: ['Custom-Longs'],
        destinations: ['w'],
        outputStream: 'Custom-Next_CL',
        transformKql: 'source | project TimeGenerated, Mx = Lg + 1',
      },
    ],
  },
};

describe('long is 64-bit, end to end', () => {
  it('stores values beyond 2^53 exact in rows(), the data dir and GET /tables/…/rows', async () => {
    const dataDir = join(dir, 'longs');
    const emu = await startEmulator({ dcrs: [LONGS], dataDir });
    try {
      const t = new Date().toISOString();
      // Written by hand: JSON.stringify cannot write these numbers exactly.
      const body = `[{"TimeGenerated":"${t}","Lg":9007199254740993,"Dy":{"n":1}},{"TimeGenerated":"${t}","Lg":"9223372036854775807"},{"TimeGenerated":"${t}","Lg":-9223372036854775808},{"TimeGenerated":"${t}","Lg":42},{"TimeGenerated":"${t}","Lg":9223372036854775808}]`;
      const r = await post(emu.streamUrl('Custom-Longs') + V, body, { token: emu.token() });
      expect(r.status).toBe(204);
      const expected = [
        '9007199254740993',
        '9223372036854775807',
        '-9223372036854775808',
        42,
        null,
      ];
      expect(emu.rows('Longs_CL').map((x) => x.Lg)).toEqual(expected);
      expect(emu.rows('Longs_CL')[0]!.Dy).toEqual({ n: 1 });
      expect(emu.rows('Next_CL').map((x) => x.Mx)).toEqual([
        '9007199254740994',
        '-9223372036854775808',
        '-9223372036854775807',
        43,
        null,
      ]); // 64-bit wrap, as .NET long does
      expect(emu.counters().typeErrors).toBe(1);
      const file = readFileSync(join(dataDir, 'Longs_CL.jsonl'), 'utf8');
      expect(file).toContain('"Lg":"9007199254740993"');
      const viaHttp = JSON.parse(
        (await http(`${emu.endpoint}/tables/Longs_CL/rows`)).body,
      ) as Array<{ Lg: unknown }>;
      expect(viaHttp.map((x) => x.Lg)).toEqual(expected);
    } finally {
      await emu.stop();
    }
  });
});

describe('values over 64 KB', () => {
  it('truncates dynamic values too (their JSON text, kept as a string)', async () => {
    const emu = await startEmulator();
    try {
      const big = { blob: 'x'.repeat(MAX_FIELD_BYTES) };
      const small = { ok: true };
      const body = [
        record({ Properties: big }),
        record({ Properties: small }),
        record({ Properties: 'y'.repeat(MAX_FIELD_BYTES + 5) }),
      ];
      expect((await post(emu.streamUrl() + V, body, { token: emu.token() })).status).toBe(204);
      const rows = emu.rows(DEFAULT_TABLE);
      expect(typeof rows[0]!.Properties).toBe('string');
      expect(Buffer.byteLength(rows[0]!.Properties as string)).toBe(MAX_FIELD_BYTES);
      expect((rows[0]!.Properties as string).startsWith('{"blob":"xxx')).toBe(true);
      expect(rows[1]!.Properties).toEqual(small);
      expect((rows[2]!.Properties as string).length).toBe(MAX_FIELD_BYTES);
      expect(emu.counters().valuesTruncated).toBe(2);
    } finally {
      await emu.stop();
    }
  });
});

describe('body size: documented (1 MB compressed and uncompressed) or lenient', () => {
  const inflating = gzipSync(JSON.stringify([record({ Message: 'x'.repeat(2_000_000) })]));

  it('refuses by default a small gzip body that inflates past 1 MB', async () => {
    const emu = await startEmulator();
    try {
      const r = await post(emu.streamUrl() + V, null, {
        token: emu.token(),
        raw: inflating,
        headers: { 'content-encoding': 'gzip' },
      });
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body).error.message).toContain('(1 MB), compressed and uncompressed');
    } finally {
      await emu.stop();
    }
  });

  it('with lenientSize accepts it, refuses past 50 MB inflated and past 1 MB on the wire', async () => {
    const emu = await startEmulator({ lenientSize: true });
    try {
      const ok = await post(emu.streamUrl() + V, null, {
        token: emu.token(),
        raw: inflating,
        headers: { 'content-encoding': 'gzip' },
      });
      expect(ok.status).toBe(204);
      expect((emu.rows(DEFAULT_TABLE)[0]!.Message as string).length).toBe(MAX_FIELD_BYTES);
      const bomb = gzipSync(Buffer.alloc(51 * 1_048_576, 0x20));
      const r = await post(emu.streamUrl() + V, null, {
        token: emu.token(),
        raw: bomb,
        headers: { 'content-encoding': 'gzip' },
      });
      expect(r.status).toBe(413);
      expect(r.headers['x-ms-error-code']).toBe('PayloadSizeLimitExceeded');
      const wire = await post(emu.streamUrl() + V, null, {
        token: emu.token(),
        raw: Buffer.alloc(1_048_577, 0x20),
      });
      expect(wire.status).toBe(413);
      expect(wire.headers['x-ms-error-code']).toBe('ContentLengthLimitExceeded');
    } finally {
      await emu.stop();
    }
  });
});
