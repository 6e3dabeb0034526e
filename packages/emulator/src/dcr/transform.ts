/**
 * transformKql: `source` passes rows through. Anything else is compiled by kql/compile.ts (a small,
 * per-row subset); what it cannot do is refused at load with a clear message, never ignored.
 */
import { compileKql, type KqlContext } from '../kql/compile.js';

/** A compiled transform: one row in, the row out (or null when filtered away). */
export type Transform = (
  row: Record<string, unknown>,
  ctx: KqlContext,
) => Record<string, unknown> | null;

/** `source`: the row as it is. Exported so the ingestion loop can skip the call. */
export const identityTransform: Transform = (row) => row;

/** Compile a `transformKql` text; throws an Error naming the problem when unsupported. */
export function compileTransform(kql: string | undefined): Transform {
  const text = (kql ?? 'source').trim();
  if (text === 'source') return identityTransform;
  return compileKql(text);
}
