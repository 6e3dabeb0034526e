/**
 * NDJSON input: the lines of the files given, in order, or of stdin when none is. Lines are
 * read as a stream (a log file may be larger than memory); the bytes read so far and, for
 * files, the total are known, for a progress line's ETA.
 */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Io } from './io.js';

/** One input line, with where it came from (for messages: `app.log:12`). */
export interface InputLine {
  readonly text: string;
  readonly source: string;
  readonly number: number;
}

/** The lines of `files` (or stdin), and how much of the input is read. */
export interface LineInput {
  readonly lines: AsyncIterable<InputLine>;
  /** Bytes read so far. */
  bytesRead(): number;
  /** Bytes of all the files; undefined for stdin. */
  readonly totalBytes: number | undefined;
  /** Stops reading (the iteration ends after the current line). */
  stop(): void;
}

/**
 * The input of `files`, or of `io.stdin` when there are none (`-` also names stdin).
 * @throws Error naming a file that cannot be read
 */
export function lineInput(files: readonly string[], io: Io): LineInput {
  const sources = files.length === 0 ? ['-'] : files;
  if (files.length === 0 && io.stdin.isTTY === true) {
    io.stderr.write(
      'azure-ingestion: reading NDJSON from the terminal (end with Ctrl-D), or give files\n',
    );
  }
  let total: number | undefined = 0;
  for (const file of sources) {
    if (file === '-') total = undefined;
    else if (total !== undefined) total += statSync(file).size;
  }
  let read = 0;
  let stopped = false;
  let current: NodeJS.ReadableStream | undefined;
  async function* lines(): AsyncGenerator<InputLine> {
    for (const file of sources) {
      const stream: NodeJS.ReadableStream = file === '-' ? io.stdin : createReadStream(file);
      current = stream;
      stream.on('data', (chunk: Buffer | string) => {
        read += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      });
      const reader = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
      let number = 0;
      try {
        for await (const text of reader) {
          number++;
          if (stopped) return;
          yield { text, source: file === '-' ? 'stdin' : file, number };
        }
      } finally {
        reader.close();
      }
      if (stopped) return;
    }
  }
  return {
    lines: lines(),
    bytesRead: () => read,
    totalBytes: total,
    stop() {
      stopped = true;
      // Reading stdin would otherwise wait for input that may never come.
      (current as { destroy?: () => void } | undefined)?.destroy?.();
    },
  };
}

/** A line as a JSON object, or why it is not one. */
export function parseObject(text: string): { value: Record<string, unknown> } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return { error: `not JSON (${(error as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { error: `not a JSON object (${Array.isArray(value) ? 'an array' : String(value)})` };
  }
  return { value: value as Record<string, unknown> };
}
