/**
 * The writable stream pino writes to, whatever receives the lines: chunks go into a LineQueue,
 * each line to a sink (the mapper and the client; in a worker with invalid options, a counter).
 *
 *   write(chunk) ─► LineQueue ─► sink.line(line)
 *   flush(cb)    ─► position now (queue + Writable's buffer) ─► queue passes it ─► sink.settle() ─► cb
 *   end/destroy  ─► sink.close() once ─► 'close'
 *
 * A flush waits for the lines written before it, not for the queue to be empty: under steady
 * logging the queue is rarely empty, and `logger.flush(cb)` would wait for lines logged after it.
 */
import { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { LineQueue } from './line-queue.js';

/** What the stream hands its lines to. None of it throws or rejects. */
export interface LineSink {
  /** One line, without its newline. */
  line(text: string): void;
  /**
   * Called synchronously as soon as every line written before a flush was given to `line`;
   * resolves once those are settled (for the client: delivered or finally failed).
   */
  settle(): Promise<unknown>;
  /** The final settle at the end of input or on destroy, bounded; called once. */
  close(): Promise<unknown>;
}

/** The stream, with pino's `flush(cb)`. */
export interface LineStream extends Writable {
  /** Calls back once every line written before is settled. Never passes an error. */
  flush(callback: (error?: Error | null) => void): void;
  /**
   * Hands every queued line to the sink now, synchronously, the last one even without its
   * newline (at process exit, when no later turn of the loop will come).
   */
  drainNow(): void;
}

/**
 * Above thread-stream's chunks (its buffer is 4 MiB): `write` then returns true and thread-stream
 * reads on after a setImmediate. On false it would wait for 'drain', which comes on nextTick, and
 * loop on reading without ever giving the event loop (HTTP, the line queue) a turn.
 */
const HIGH_WATER_MARK = 16 * 1024 * 1024;

export function createLineStream(sink: LineSink): LineStream {
  const queue = new LineQueue((line) => sink.line(line));
  const decoder = new StringDecoder('utf8');
  let closing: Promise<unknown> | undefined;
  const close = (): Promise<unknown> => {
    if (closing === undefined) {
      queue.drainAll();
      closing = sink.close().catch(() => {});
    }
    return closing;
  };
  const stream = new Writable({
    highWaterMark: HIGH_WATER_MARK,
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      // thread-stream and pino write strings; a pipe (the CLI's stdin) writes bytes. Positions
      // count what the Writable counts in writableLength: a string's length, a Buffer's bytes.
      queue.push(typeof chunk === 'string' ? chunk : decoder.write(chunk), chunk.length);
      callback();
    },
    final(callback) {
      queue.push(decoder.end(), 0);
      callback();
    },
    destroy(_error, callback) {
      // At the end of input and on destroy(); delivery errors never become an 'error' event
      // (in a worker that kills it), as with pino-abstract-transport's close.
      close().then(() => callback(null));
    },
  }) as LineStream;

  const flush = (callback: (error?: Error | null) => void): void => {
    const done = () => callback();
    if (closing !== undefined) {
      closing.then(done);
      return;
    }
    // Text the Writable still buffers (corked) was written before this call too.
    const position = queue.position + stream.writableLength;
    // settle() is called inside the queue's loop, before the next line reaches the sink, so
    // the client's own flush counts exactly the records of the lines written before.
    queue.whenHandled(position, () => {
      sink.settle().then(done, done);
    });
  };
  Object.defineProperty(stream, 'flush', { value: flush, writable: true, configurable: true });
  Object.defineProperty(stream, 'drainNow', {
    value: () => queue.drainAll(),
    writable: true,
    configurable: true,
  });
  return stream;
}
