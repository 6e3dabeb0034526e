import { afterEach, describe, expect, it } from 'vitest';
import { canonicalIsoMs, parseTimeMs } from '../src/dcr/iso-time.js';
import type { Emulator } from '../src/index.js';
import { DEFAULT_TABLE, startEmulator } from '../src/index.js';
import { RowBuffer } from '../src/store/row-buffer.js';
import { post, V } from './helpers.js';

describe('reading toISOString() timestamps by hand', () => {
  it('gives Date.parse for canonical texts and NaN (the slow path) for anything else', () => {
    let x = 12345;
    const next = () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x;
    };
    for (let i = 0; i < 5000; i++) {
      // Years 0000..9999, all of the calendar, leap days included.
      const ms = (next() / 2 ** 32) * 315_537_897_599_999 - 62_167_219_200_000;
      const iso = new Date(Math.floor(ms)).toISOString();
      expect(canonicalIsoMs(iso)).toBe(Date.parse(iso));
    }
    // Anything else takes the general path: KQL's formats, UTC when no zone is given.
    const jan1 = Date.UTC(2026, 0, 1);
    const others: Array<[string, number]> = [
      ['2026-02-29T00:00:00.000Z', Number.NaN], // not a leap year
      ['2024-02-29T23:59:59.999Z', Date.UTC(2024, 1, 29, 23, 59, 59, 999)],
      ['2026-04-31T00:00:00.000Z', Number.NaN],
      ['2026-13-01T00:00:00.000Z', Number.NaN],
      ['2026-01-01T24:00:00.000Z', Number.NaN],
      ['2026-01-01T00:60:00.000Z', Number.NaN],
      ['2026-01-01T00:00:60.000Z', Number.NaN],
      ['2026-01-01T00:00:00Z', jan1],
      ['2026-01-01 00:00:00.000Z', jan1],
      ['2026-01-01T00:00:00.000+00:00', jan1],
      ['2026-01-01T01:00:00.000+01:00', jan1],
      ['2026-01-01T00:00:00', jan1],
      ['2026-01-01 00:00:00', jan1],
      ['+02026-01-01T00:00:00.000Z', Number.NaN],
      ['2026-0a-01T00:00:00.000Z', Number.NaN],
      ['garbage', Number.NaN],
      ['', Number.NaN],
    ];
    for (const [text, expected] of others) {
      const fast = canonicalIsoMs(text);
      if (!Number.isNaN(fast)) {
        expect(fast).toBe(expected);
        expect(new Date(fast).toISOString()).toBe(text);
      }
      expect(parseTimeMs(text), text).toBe(expected);
    }
    expect(canonicalIsoMs('2026-02-29T00:00:00.000Z')).toBeNaN();
    expect(canonicalIsoMs('2024-02-29T23:59:59.999Z')).toBe(Date.parse('2024-02-29T23:59:59.999Z'));
  });
});

describe('RowBuffer', () => {
  it('keeps the newest max rows across object and text batches, in order', () => {
    const buf = new RowBuffer<{ n: number; t?: string }>(5);
    buf.push([{ n: 1 }, { n: 2 }, { n: 3 }]);
    buf.pushText('[{"n":4},{"n":5},{"n":6}]', 3, (r) => Object.assign(r, { t: 'x' }));
    buf.push([{ n: 7 }]);
    expect(buf.size).toBe(5);
    expect(buf.received).toBe(7);
    const all = [...buf.batches()].flatMap((b) => b.rows);
    expect(all).toEqual([{ n: 3 }, { n: 4, t: 'x' }, { n: 5, t: 'x' }, { n: 6, t: 'x' }, { n: 7 }]);
    for (let i = 0; i < 1000; i++) buf.push([{ n: 8 + i }]);
    expect([...buf.batches()].flatMap((b) => b.rows).map((r) => r.n)).toEqual([
      1003, 1004, 1005, 1006, 1007,
    ]);
    expect(buf.received).toBe(1007);
  });
});

describe('the ingestion path keeps rows as the service would', () => {
  let emu: Emulator | undefined;
  afterEach(async () => {
    await emu?.stop();
    emu = undefined;
  });

  it('stores identical rows whether a body is kept as text or as objects', async () => {
    const now = Date.parse('2026-06-01T12:00:00.000Z');
    emu = await startEmulator({ now: () => now });
    const token = emu.token();
    const iso = new Date(now - 1000).toISOString();
    const clean = [
      {
        TimeGenerated: iso,
        Level: 'info',
        SeverityNumber: 9,
        Message: 'a',
        Properties: { k: [1] },
      },
      { Message: 'b', TimeGenerated: iso, Host: 'h' },
    ];
    // One value to convert: the body is kept as objects.
    const converted = clean.map((r) => ({ ...r, SeverityNumber: '9' }));
    await post(emu.streamUrl() + V, clean, { token });
    await post(emu.streamUrl() + V, converted, { token });
    const rows = emu.rows(DEFAULT_TABLE);
    const stamp = new Date(now).toISOString();
    expect(rows.slice(0, 2)).toEqual(clean.map((r) => ({ ...r, _TimeReceived: stamp })));
    expect(rows.slice(2)).toEqual(
      clean.map((r) => ({ ...r, SeverityNumber: 9, _TimeReceived: stamp })),
    );
    expect(Object.keys(rows[1]!)).toEqual(['Message', 'TimeGenerated', 'Host', '_TimeReceived']);
    // Rows handed out are copies: changing them changes nothing stored.
    rows[0]!.Message = 'changed';
    rows[2]!.Message = 'changed';
    expect(emu.rows(DEFAULT_TABLE).map((r) => r.Message)).toEqual(['a', 'b', 'a', 'b']);
    expect(emu.rows(DEFAULT_TABLE, { limit: 3 })).toHaveLength(3);
  });

  it('bounds each table to maxRowsPerTable; waitForRows counts evicted rows', async () => {
    emu = await startEmulator({ maxRowsPerTable: 50 });
    const token = emu.token();
    const iso = new Date().toISOString();
    const waiting = emu.waitForRows(DEFAULT_TABLE, 300, 5000);
    for (let b = 0; b < 3; b++) {
      const body = Array.from({ length: 100 }, (_, i) => ({
        TimeGenerated: iso,
        Message: `m${b * 100 + i}`,
      }));
      expect((await post(emu.streamUrl() + V, body, { token })).status).toBe(204);
    }
    await expect(waiting).resolves.toBeUndefined();
    const rows = emu.rows(DEFAULT_TABLE);
    expect(rows).toHaveLength(50);
    expect(rows[0]!.Message).toBe('m250');
    expect(rows[49]!.Message).toBe('m299');
    expect(emu.counters().rowsIngested).toBe(300);
    await expect(emu.waitForRows(DEFAULT_TABLE, 301, 20)).rejects.toThrow(
      /has 300 rows \(250 evicted beyond maxRowsPerTable\)/,
    );
  });
});
