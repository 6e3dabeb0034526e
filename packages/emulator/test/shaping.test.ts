import { afterEach, describe, expect, it } from 'vitest';
import { shapeRecord, truncateUtf8 } from '../src/dcr/shape.js';
import type { Emulator } from '../src/index.js';
import { DEFAULT_TABLE, MAX_FIELD_BYTES, startEmulator } from '../src/index.js';
import { post, V } from './helpers.js';

const COLUMNS = new Map([
  ['S', 'string'],
  ['I', 'int'],
  ['L', 'long'],
  ['R', 'real'],
  ['B', 'boolean'],
  ['D', 'datetime'],
  ['Y', 'dynamic'],
] as const);

describe('shaping a record against the stream declaration', () => {
  it('keeps well-typed values and converts texts that are numbers, booleans and dates', () => {
    const r = shapeRecord(
      {
        S: 'a',
        I: '42',
        L: 9007199254740991,
        R: '1.5e3',
        B: 'true',
        D: '2026-01-01T00:00:00Z',
        Y: { a: [1] },
      },
      COLUMNS,
    );
    expect(r.row).toEqual({
      S: 'a',
      I: 42,
      L: 9007199254740991,
      R: 1500,
      B: true,
      D: '2026-01-01T00:00:00.000Z',
      Y: { a: [1] },
    });
    expect(r.typeErrors).toBe(0);
  });

  it('turns values of the wrong type into null and counts them; strings take scalars', () => {
    const r = shapeRecord(
      { S: 12, I: 1.5, L: 'x', R: {}, B: 'yes', D: 'yesterday', Y: null },
      COLUMNS,
    );
    expect(r.row).toEqual({ S: '12', I: null, L: null, R: null, B: null, D: null, Y: null });
    expect(r.typeErrors).toBe(5);
    expect(shapeRecord({ I: 2 ** 31 }, COLUMNS).typeErrors).toBe(1);
  });

  it('drops undeclared properties (case-sensitive) and counts them', () => {
    const r = shapeRecord({ S: 'a', s: 'b', Extra: 1 }, COLUMNS);
    expect(r.row).toEqual({ S: 'a' });
    expect(r.columnsDropped).toBe(2);
  });

  it('truncates strings over 64 KB on a character boundary', () => {
    const long = 'é'.repeat(MAX_FIELD_BYTES);
    const cut = truncateUtf8(long);
    expect(cut.truncated).toBe(true);
    expect(Buffer.byteLength(cut.text)).toBeLessThanOrEqual(MAX_FIELD_BYTES);
    expect(cut.text.endsWith('é')).toBe(true);
    expect(shapeRecord({ S: 'x'.repeat(MAX_FIELD_BYTES + 10) }, COLUMNS).truncated).toBe(1);
    expect(truncateUtf8('x'.repeat(MAX_FIELD_BYTES)).truncated).toBe(false);
  });
});

describe('TimeGenerated window and token expiry on the injected clock', () => {
  let emu: Emulator | undefined;
  afterEach(() => emu?.stop());

  it('replaces TimeGenerated older than 2 days or over 1 day ahead by the receive time', async () => {
    const now = Date.parse('2026-06-01T12:00:00.000Z');
    emu = await startEmulator({ now: () => now });
    const iso = (ms: number) => new Date(ms).toISOString();
    const day = 24 * 3600 * 1000;
    const input = [
      { TimeGenerated: iso(now - 2 * day + 1000), Message: 'in' },
      { TimeGenerated: iso(now - 2 * day - 1000), Message: 'old' },
      { TimeGenerated: iso(now + day + 1000), Message: 'future' },
      { Message: 'absent' },
      { TimeGenerated: 'garbage', Message: 'garbage' },
    ];
    expect((await post(emu.streamUrl() + V, input, { token: emu.token() })).status).toBe(204);
    const rows = emu.rows(DEFAULT_TABLE);
    expect(rows.map((r) => r.TimeGenerated)).toEqual([
      iso(now - 2 * day + 1000),
      iso(now),
      iso(now),
      iso(now),
      iso(now),
    ]);
    expect(rows.every((r) => r._TimeReceived === iso(now))).toBe(true);
    const c = emu.counters();
    expect(c.timeGeneratedReplaced).toBe(2);
    expect(c.typeErrors).toBe(1);
  });

  it('counts dropped columns and type errors per request', async () => {
    emu = await startEmulator();
    await post(emu.streamUrl() + V, [{ Message: 'a', Nope: 1, Other: 2, SeverityNumber: 'high' }], {
      token: emu.token(),
    });
    const c = emu.counters();
    expect(c.columnsDropped).toBe(2);
    expect(c.typeErrors).toBe(1);
    expect(emu.rows(DEFAULT_TABLE)[0]).toMatchObject({ Message: 'a', SeverityNumber: null });
  });

  it('refuses a token once the clock passes its expiry', async () => {
    let now = Date.parse('2026-06-01T12:00:00.000Z');
    emu = await startEmulator({ now: () => now, tokenLifetimeSec: 60 });
    const token = emu.token();
    expect((await post(emu.streamUrl() + V, [], { token })).status).toBe(204);
    now += 61_000;
    const r = await post(emu.streamUrl() + V, [], { token });
    expect(r.status).toBe(401);
    expect(r.body).toContain('expired');
  });

  it('accepts tokens across instances that share tokenSecret', async () => {
    const tokenSecret = 'a-shared-ci-secret-0123456789';
    emu = await startEmulator({ tokenSecret });
    const other = await startEmulator({ tokenSecret });
    try {
      expect((await post(emu.streamUrl() + V, [], { token: other.token() })).status).toBe(204);
    } finally {
      await other.stop();
    }
  });
});
