/**
 * Errors of a transform refused at load, shaped like Azure's answer to a DCR whose transform
 * does not compile. A field report quotes one (Azure/Azure-Sentinel PR #14286):
 *
 *   InvalidTransformQuery: SemanticError 0x00000009 at 1:63 : Runtime scalar function provider
 *   not found for function: coalesce
 *
 * The emulator writes `<kind> at <line>:<column> : <message>` for every problem it finds; only
 * that unknown-function text is known verbatim, the other messages are the emulator's own.
 */

export type KqlErrorKind = 'SyntaxError' | 'SemanticError';

export class KqlError extends Error {
  constructor(
    readonly kind: KqlErrorKind,
    /** Offset in the transform text. */
    readonly at: number,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'KqlError';
  }

  /** The line and column (both from 1) of `at` in `text`. */
  position(text: string): { line: number; column: number } {
    const before = text.slice(0, Math.max(0, this.at));
    return { line: before.split('\n').length, column: this.at - before.lastIndexOf('\n') };
  }

  /** `SemanticError at 1:63 : …` with the line and column of `at` in `text`. */
  format(text: string): string {
    const { line, column } = this.position(text);
    const code = this.detail.startsWith('Runtime scalar function provider not found')
      ? ' 0x00000009'
      : '';
    return `${this.kind}${code} at ${line}:${column} : ${this.detail}`;
  }
}

export function semantic(at: number, detail: string): KqlError {
  return new KqlError('SemanticError', at, detail);
}
