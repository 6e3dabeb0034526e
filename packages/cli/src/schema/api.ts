/** The schema proposal as a function of records already in memory (the library entry). */
import { detectShape, FieldCollector, type Shape } from './collect.js';
import { type ProposeOptions, propose, type SchemaProposal } from './propose.js';

/**
 * The table and stream columns (and `fieldColumns`) for sample records: parsed lines of pino or
 * winston JSON output, or records of the stream as they are. `shape` defaults to what most
 * records look like.
 */
export function proposeSchema(
  records: readonly Record<string, unknown>[],
  options: ProposeOptions & { readonly shape?: Shape } = {},
): SchemaProposal {
  const collector = new FieldCollector(options.shape ?? detectShape(records));
  for (const record of records) collector.add(record);
  return propose(collector.result(), options);
}
