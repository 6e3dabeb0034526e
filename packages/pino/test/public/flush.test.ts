/**
 * `logger.flush(cb)` under steady logging: it waits for the lines written before it (by their
 * position in the stream), delivered to the emulator, and not for the lines logged after it.
 */
import pino from 'pino';
import pinoAzureIngestion, {
  type AzureIngestionStream,
  EVENTS,
  type TransportStats,
} from 'pino-azure-ingestion';
import { describe, expect, it } from 'vitest';
import { emulatorOptions, endAndClose, flush, TABLE, useEmulator } from '../helpers.js';

const emulator = useEmulator();

/** Turns of logging before the flush: it is called in the middle of steady logging. */
const WARMUP = 3;

interface Outcome {
  /** Lines logged before the flush. */
  readonly before: number;
  /** Lines logged after the flush when it called back (undefined: it never did while logging). */
  readonly afterAtCallback: number | undefined;
  /** The rows of the records logged before, in the emulator when the flush called back. */
  readonly beforeRowsAtCallback: number;
  /** Lines logged after the flush, in all. */
  readonly after: number;
}

const beforeRows = () =>
  emulator()
    .rows(TABLE)
    .filter((r) => (r.Properties as { phase?: string }).phase === 'before').length;

interface Logging {
  /** Lines logged each turn. */
  readonly perTurn: number;
  /** Runs the next turn. */
  readonly schedule: (f: () => void) => void;
  /**
   * Turns of logging after the flush before the test gives up on it. A flush that waited for
   * the queue to be empty would only call back once the logging stops, here.
   */
  readonly cap: number;
}

/**
 * Logs `perTurn` lines each turn, calls logger.flush(cb) after WARMUP turns, and logs on until
 * the flush called back (or for `cap` turns after it).
 */
function flushWhileLogging(
  logger: pino.Logger,
  { perTurn, schedule, cap }: Logging,
): Promise<Outcome> {
  let turns = 0;
  let before = 0;
  let after = 0;
  let flushed = false;
  let afterAtCallback: number | undefined;
  let beforeRowsAtCallback = -1;
  return new Promise((resolve) => {
    const turn = () => {
      if (afterAtCallback !== undefined || after >= cap * perTurn) {
        resolve({ before, afterAtCallback, beforeRowsAtCallback, after });
        return;
      }
      for (let k = 0; k < perTurn; k++) {
        if (flushed) logger.info({ i: after++, phase: 'after' }, 'after');
        else logger.info({ i: before++, phase: 'before' }, 'before');
      }
      if (++turns === WARMUP) {
        flushed = true;
        logger.flush(() => {
          afterAtCallback = after;
          beforeRowsAtCallback = beforeRows();
        });
      }
      schedule(turn);
    };
    schedule(turn);
  });
}

function expectAccounted(s: TransportStats, lines: number): void {
  expect(s.lines).toBe(lines);
  expect(s.accepted).toBe(lines);
  expect(s.accepted).toBe(s.delivered + s.rejected + s.dropped);
}

describe('flush by position under steady logging', () => {
  it('in-process: calls back once the lines before it are delivered, while logging goes on', async () => {
    emulator().reset();
    const stream: AzureIngestionStream = await pinoAzureIngestion(emulatorOptions(emulator()));
    const logger = pino(stream);
    // More lines each turn than the stream maps in one (4096): its queue is never empty again
    // until the logging stops, and a flush that waited for an empty queue would wait for that.
    // It calls back after a dozen turns or so (the HTTP round trip to the emulator).
    const logging = { perTurn: 5000, schedule: setImmediate, cap: 100 };
    const outcome = await flushWhileLogging(logger, logging);
    expect(outcome.afterAtCallback).toBeDefined();
    expect(outcome.afterAtCallback!).toBeLessThan(logging.cap * logging.perTurn);
    expect(outcome.beforeRowsAtCallback).toBe(outcome.before);
    await flush(logger);
    await endAndClose(stream);
    expect(emulator().rows(TABLE)).toHaveLength(outcome.before + outcome.after);
    expectAccounted(stream.stats(), outcome.before + outcome.after);
  });

  it('worker: calls back once the lines before it are delivered, while logging goes on', {
    timeout: 60_000,
  }, async () => {
    emulator().reset();
    const transport = pino.transport({
      target: 'pino-azure-ingestion',
      options: emulatorOptions(emulator()),
    });
    const stats: TransportStats[] = [];
    transport.on(EVENTS.stats, (s: TransportStats) => stats.push(s));
    const logger = pino(transport);
    // From a timer, with idle loop turns between: pino's own flush(cb) first waits, polling with
    // setImmediate, for a turn in which this thread has nothing left to hand to the worker,
    // which logging on every turn would hold off (thread-stream's flushBuffer).
    const logging = { perTurn: 200, schedule: (f: () => void) => setTimeout(f, 20), cap: 500 };
    const outcome = await flushWhileLogging(logger, logging);
    expect(outcome.afterAtCallback).toBeDefined();
    expect(outcome.afterAtCallback!).toBeLessThan(logging.cap * logging.perTurn);
    expect(outcome.beforeRowsAtCallback).toBe(outcome.before);
    await flush(logger);
    expect(emulator().rows(TABLE)).toHaveLength(outcome.before + outcome.after);
    expectAccounted(stats.at(-1)!, outcome.before + outcome.after);
    await endAndClose(transport as unknown as Parameters<typeof endAndClose>[0]);
  });
});
