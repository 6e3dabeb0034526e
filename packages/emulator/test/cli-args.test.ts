import { describe, expect, it } from 'vitest';
import { parseCli, parseFaultSpec } from '../src/cli-args.js';

describe('CLI arguments', () => {
  it('parses fault specs', () => {
    expect(parseFaultSpec('503')).toEqual({ status: 503 });
    expect(parseFaultSpec('429:5')).toEqual({ status: 429, retryAfter: '5' });
    expect(parseFaultSpec('reset')).toEqual({ reset: true });
    expect(parseFaultSpec('hangup')).toEqual({ hangUp: 'mid-request' });
    expect(parseFaultSpec('hangup-after-body')).toEqual({ hangUp: 'after-body' });
    expect(parseFaultSpec('drop-answer')).toEqual({ dropAnswer: true });
    expect(parseFaultSpec('latency:250')).toEqual({ latencyMs: 250 });
    expect(parseFaultSpec('slow:1000')).toEqual({ slowReadBytesPerSec: 1000 });
    expect(parseFaultSpec('{"status":400,"body":"<html/>"}')).toEqual({
      status: 400,
      body: '<html/>',
    });
    expect(() => parseFaultSpec('latency:-1')).toThrow(/expects a number >= 0/);
    expect(() => parseFaultSpec('teapot')).toThrow(/unknown fault spec 'teapot'/);
  });

  it('maps flags to options, faults and rates', () => {
    const c = parseCli([
      '--port',
      '0',
      '--host',
      '0.0.0.0',
      '--dcr',
      'a.json',
      '--dcr',
      'b.json',
      '--data-dir',
      'd',
      '--https',
      '--fault',
      '503:2',
      '--fault',
      'reset',
      '--fault-rate',
      '0.1:500',
      '--fault-rate',
      '0.05:429:3',
      '--seed',
      '9',
      '--latency',
      '20',
      '--rate-limit-rpm',
      '60',
      '--rate-limit-bpm',
      '1000',
      '--rate-limit-window',
      '5000',
      '--forbid',
      'dcr-x',
      '--token-lifetime',
      '60',
      '--table',
      't.json',
      '--cloud',
      'usgov',
      '--lenient-size',
    ]);
    expect(c.options).toEqual({
      port: 0,
      host: '0.0.0.0',
      dcrs: ['a.json', 'b.json'],
      tables: ['t.json'],
      cloud: 'usgov',
      lenientSize: true,
      dataDir: 'd',
      https: true,
      rateLimits: { requestsPerMinute: 60, bytesPerMinute: 1000, windowMs: 5000 },
      forbiddenRules: ['dcr-x'],
      tokenLifetimeSec: 60,
      latencyMs: 20,
    });
    expect(c.faults).toEqual([{ status: 503, retryAfter: '2' }, { reset: true }]);
    expect(c.faultRates).toEqual([
      { probability: 0.1, fault: { status: 500 } },
      { probability: 0.05, fault: { status: 429, retryAfter: '3' } },
    ]);
    expect(c.seed).toBe(9);
  });

  it('defaults: port 8042, a day-long token, no faults; refuses unknown flags and bad rates', () => {
    const c = parseCli([]);
    expect(c.options.port).toBe(8042);
    expect(c.options.tokenLifetimeSec).toBe(86_400);
    expect(c.faults).toEqual([]);
    expect(() => parseCli(['--nope'])).toThrow(/Unknown option '--nope'/);
    expect(parseCli(['--', '--port', '1']).options.port).toBe(1);
    expect(() => parseCli(['--fault-rate', '2:503'])).toThrow(/p in 0\.\.1/);
    expect(() => parseCli(['--port', 'x'])).toThrow(/--port expects a number/);
    expect(() => parseCli(['--cloud', 'mars'])).toThrow(/--cloud expects public, usgov or china/);
    expect(c.options.lenientSize).toBeUndefined();
  });
});
