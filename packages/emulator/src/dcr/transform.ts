/**
 * transformKql: `source` passes rows through. Anything else is compiled by kql/pipeline.ts
 * against the stream's columns; what Azure would refuse, or the emulator cannot run, is refused
 * at load with a message in Azure's form, never ignored.
 */

import { KqlError } from '../kql/errors.js';
import type { KqlContext } from '../kql/functions/registry.js';
import { compileQuery } from '../kql/pipeline.js';
import type { Schema } from '../kql/types.js';

/** A compiled transform: one row in, the row out (or null when filtered away). */
export type Transform = (
  row: Record<string, unknown>,
  ctx: KqlContext,
) => Record<string, unknown> | null;

/** `source`: the row as it is. Exported so the ingestion loop can skip the call. */
export const identityTransform: Transform = (row) => row;

/** A transform and the columns it outputs (what the destination table is checked against). */
export interface FlowTransform {
  readonly transform: Transform;
  readonly output: Schema;
}

/**
 * Compile a `transformKql` text over the stream's columns; throws an Error whose message is
 * Azure's kind (`InvalidTransformQuery: SemanticError at 1:22 : …`).
 */
export function compileTransform(kql: string | undefined, input: Schema): FlowTransform {
  const text = (kql ?? 'source').trim();
  if (text === 'source') return { transform: identityTransform, output: input };
  try {
    const compiled = compileQuery(text, input);
    return { transform: (row, ctx) => compiled.run(row, ctx), output: compiled.output };
  } catch (err) {
    if (err instanceof KqlError) throw new Error(`InvalidTransformQuery: ${err.format(text)}`);
    throw err;
  }
}
