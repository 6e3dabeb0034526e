// Realistic log records of the default stream, ~434 bytes of JSON each: the input of the
// benchmarks that measure the core and the emulator without a logger.

/** `length` hex digits from a xorshift of `seed`: trace and span ids that differ per record. */
function hex(seed, length) {
  let x = seed >>> 0 || 1;
  let out = '';
  while (out.length < length) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += (x >>> 0).toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

const LEVELS = [
  ['info', 9],
  ['info', 9],
  ['warn', 13],
  ['error', 17],
];

/** Record `i` of a series whose times start at `t0` (epoch ms) and cycle over a minute. */
export function realisticRecord(i, t0) {
  const [Level, SeverityNumber] = LEVELS[i % LEVELS.length];
  const ms = (i * 37) % 500;
  return {
    TimeGenerated: new Date(t0 + (i % 60_000)).toISOString(),
    Level,
    SeverityNumber,
    Message: `request completed: GET /api/orders/${100_000 + ((i * 7919) % 900_000)} -> 200 in ${ms} ms`,
    TraceId: hex(i * 2 + 1, 32),
    SpanId: hex(i * 2 + 2, 16),
    Host: 'orders-api-7d9f8c6b5-x2k4q',
    Properties: {
      service: 'orders-api',
      version: '2.14.3',
      region: 'westeurope',
      userId: `u-${(i * 104_729) % 50_000}`,
      tenant: `t-${i % 97}`,
      statusCode: 200,
      durationMs: ms,
      route: '/api/orders/:id',
    },
  };
}

/**
 * The same logs as an application hands them to a logger: `count` (message, meta) pairs, meta
 * holding the trace context and the request's fields (the Properties of `realisticRecord`), to
 * cycle through (made beforehand: a bench times the logger, not the making of ids).
 * winston: `logger.info(message, meta)`; pino: `logger.info(meta, message)`. With winston's
 * `timestamp()` + `json()`, each info's JSON text is ~360 bytes, and the record ~430 bytes.
 */
export function realisticLogs(count = 1024) {
  return Array.from({ length: count }, (_, i) => {
    const { Message, TraceId, SpanId, Properties } = realisticRecord(i, 0);
    return { message: Message, meta: { trace_id: TraceId, span_id: SpanId, ...Properties } };
  });
}
