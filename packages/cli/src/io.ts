/**
 * Where a command reads and writes: the process's streams and environment in the bin, other
 * ones in tests. Colour only on a terminal: escape codes in a file or a pipe are noise.
 */

/** A stream a command writes text to. */
export interface OutStream {
  write(text: string): unknown;
  /** Set by Node on a terminal. */
  readonly isTTY?: boolean | undefined;
}

/** What a command runs against. */
export interface Io {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  /** Read when no file is given (NDJSON input). */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean | undefined };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The process's own. */
export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

const CODES = { red: [31, 39], green: [32, 39], yellow: [33, 39], dim: [2, 22], bold: [1, 22] };

export type Style = keyof typeof CODES;

/** Colour for `stream`: a terminal, and neither NO_COLOR nor TERM=dumb set (https://no-color.org). */
export function colourFor(stream: OutStream, env: Io['env']): boolean {
  if (stream.isTTY !== true) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return env.TERM !== 'dumb';
}

/** Writes lines to one stream, styled only when it is a colour terminal. */
export class Printer {
  readonly #stream: OutStream;
  readonly colour: boolean;

  constructor(stream: OutStream, env: Io['env']) {
    this.#stream = stream;
    this.colour = colourFor(stream, env);
  }

  style(style: Style, text: string): string {
    if (!this.colour) return text;
    const [on, off] = CODES[style];
    return `\u001b[${on}m${text}\u001b[${off}m`;
  }

  line(text = ''): void {
    this.#stream.write(`${text}\n`);
  }

  /** Writes without a newline (a progress line redrawn with `\r`). */
  raw(text: string): void {
    this.#stream.write(text);
  }
}

/** Writes `value` as indented JSON and a newline (the `--json` output). */
export function writeJson(stream: OutStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Exit statuses of every command. */
export const EXIT = {
  /** Done: the probe was accepted, the records delivered, the proposal written. */
  OK: 0,
  /** The probe failed, the pre-flight found problems, or records were not delivered. */
  FAILED: 1,
  /** Bad flags, or an invalid configuration (options and AZURE_LOGS_INGESTION_* variables). */
  USAGE: 2,
} as const;

/** A number with thousands separators (`12,345`). */
export const count = (n: number): string => n.toLocaleString('en-US');

/** Bytes for humans: `812 B`, `3.4 kB`, `12.0 MB` (powers of 1000). */
export function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}
