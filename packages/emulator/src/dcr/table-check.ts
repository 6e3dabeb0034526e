/**
 * A data flow's output against its destination table, as Azure checks it when the DCR is
 * created: a column the transform outputs with another type than the table's refuses the DCR
 * with `InvalidTransformOutput` (text seen in public deployment logs):
 *
 *   Types of transform output columns do not match the ones defined by the output stream:
 *   DaysInactive [produced:'Int', output:'Long']
 *
 * Columns the table lacks are accepted at load and dropped from every row (counted). With no
 * table definition the table is inferred from the output: nothing is checked, and a warning
 * says so.
 */
import { clrName, type Schema } from '../kql/types.js';
import type { TableModel } from './tables.js';

/** What a flow does with its rows on the way to the table. */
export interface TableFit {
  /** Whether a table definition was given (false: inferred, nothing checked). */
  readonly checked: boolean;
  /** Output columns the table lacks: removed from every row. */
  readonly dropped: ReadonlyArray<string>;
}

/** The InvalidTransformOutput text for the mismatched columns, or undefined when all fit. */
export function typeMismatch(output: Schema, table: TableModel): string | undefined {
  const wrong = output.flatMap((c) => {
    const t = table.columns.get(c.name);
    return t !== undefined && t !== c.type
      ? [`${c.name} [produced:'${clrName(c.type)}', output:'${clrName(t)}']`]
      : [];
  });
  if (wrong.length === 0) return undefined;
  return `InvalidTransformOutput: Types of transform output columns do not match the ones defined by the output stream: ${wrong.join(', ')}`;
}

/** Check a flow's output against its table; throws Azure's message on a type mismatch. */
export function fitTable(output: Schema, table: TableModel | undefined, where: string): TableFit {
  if (!table) return { checked: false, dropped: [] };
  const mismatch = typeMismatch(output, table);
  if (mismatch) {
    throw new Error(
      `${where}: ${mismatch} (table ${table.name} from ${table.source}). Cast in transformKql (toint(), tolong(), toreal(), toguid(), todatetime()…) or make the stream and table types agree.`,
    );
  }
  return {
    checked: true,
    dropped: output.filter((c) => !table.columns.has(c.name)).map((c) => c.name),
  };
}
