/** Counters of the lines the transport read (the client counts records and requests). */
export interface LineStats {
  /** Non-empty lines read. */
  readonly lines: number;
  /** Lines that were not a JSON object, sent with the line as Message (Properties.nonJson). */
  readonly nonJson: number;
  /** Lines whose record reused the line's text (no re-serialization). */
  readonly fastPath: number;
}

export class LineCounter {
  lines = 0;
  nonJson = 0;
  fast = 0;

  snapshot(): LineStats {
    return { lines: this.lines, nonJson: this.nonJson, fastPath: this.fast };
  }
}

/** An empty or whitespace-only line: skipped, not counted. */
export function isBlank(line: string): boolean {
  const first = line.charCodeAt(0);
  return Number.isNaN(first) || (first <= 32 && line.trim().length === 0);
}
