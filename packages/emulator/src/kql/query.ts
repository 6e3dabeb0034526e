/**
 * Compiling and running a console query (query-parse.ts) over a table's stored rows. Row-level
 * operators compile with the transform compiler (pipeline.ts compileOp), so `where`, `extend`…
 * type-check and evaluate exactly as in a transform; consecutive ones run as one pass. The
 * query-time operators work on the whole list of rows:
 *
 *   stored rows ──fromStored──> values ──[row steps]──> take/sort/top/count/summarize/distinct
 *     ──[row steps]──> … ──toStored──> result rows (at most maxRows of them)
 *
 * The console passes a table's rows newest first: Kusto leaves the order of an unsorted result
 * open, and the newest rows are what a developer watching logs land wants to see first.
 */
import type { Row, Scope } from './compile.js';
import { compileExpr } from './compile.js';
import { semantic } from './errors.js';
import type { KqlContext } from './functions/registry.js';
import { autoName, compileOp, type Step } from './pipeline.js';
import { type Accumulator, compileAggregate } from './query-aggregate.js';
import { parseTableQuery, type QueryOp, type SortKey } from './query-parse.js';
import { groupKey, nullFor, orderValues } from './query-values.js';
import type { Column, Schema } from './types.js';
import { fromStored, toStored } from './values.js';

type Stage = (rows: Row[], ctx: KqlContext) => Row[];

/** What a query returned. */
export interface QueryResult {
  readonly columns: Schema;
  /** Rows as stored values (JSON): datetime as ISO text, long beyond 2^53 as text. */
  readonly rows: Array<Record<string, unknown>>;
  /** Rows the query produced; more than `rows.length` when cut at maxRows. */
  readonly total: number;
}

/** A compiled query: the table it reads and how to run it over that table's stored rows. */
export interface CompiledTableQuery {
  readonly table: string;
  readonly columns: Schema;
  run(
    stored: Iterable<Record<string, unknown>>,
    opts: { readonly now: number; readonly maxRows?: number },
  ): QueryResult;
}

const EMPTY_SCOPE: Scope = {
  columns: new Map(),
  scalars: new Map(),
  functions: new Map(),
  tables: new Map(),
};

const scopeOf = (schema: Schema): Scope => ({
  ...EMPTY_SCOPE,
  columns: new Map(schema.map((c) => [c.name, c.type])),
});

function rowSteps(steps: Step[]): Stage {
  return (rows, ctx) => {
    const out: Row[] = [];
    for (const input of rows) {
      let row: Row | null = input;
      for (const step of steps) {
        row = step(row, ctx);
        if (row === null) break;
      }
      if (row !== null) out.push(row);
    }
    return out;
  };
}

function sorter(keys: SortKey[], schema: Schema): Stage {
  const compiled = keys.map((k) => ({ ...k, c: compileExpr(k.e, scopeOf(schema)) }));
  return (rows, ctx) => {
    const decorated = rows.map((row) => ({ row, keys: compiled.map((k) => k.c.ev(row, ctx)) }));
    decorated.sort((a, b) => {
      for (let i = 0; i < compiled.length; i++) {
        const { c, desc, nullsFirst } = compiled[i]!;
        const x = a.keys[i];
        const y = b.keys[i];
        const nx = nullFor(c.type, x);
        const ny = nullFor(c.type, y);
        if (nx || ny) {
          if (nx && ny) continue;
          return nx === nullsFirst ? -1 : 1;
        }
        const o = orderValues(c.type, x, y);
        if (o !== 0) return desc ? -o : o;
      }
      return 0;
    });
    return decorated.map((d) => d.row);
  };
}

function summarize(op: Extract<QueryOp, { k: 'summarize' }>, schema: Schema) {
  const scope = scopeOf(schema);
  const by = op.by.map((b, i) => {
    const c = compileExpr(b.e, scope);
    return { name: b.name ?? (autoName(b.e, i + 1, 'Column') || `Column${i + 1}`), c };
  });
  const aggs = op.aggs.map((a) => compileAggregate(a, scope));
  const columns: Column[] = [
    ...by.map((b) => ({ name: b.name, type: b.c.type })),
    ...aggs.map((a) => ({ name: a.name, type: a.type })),
  ];
  const stage: Stage = (rows, ctx) => {
    const groups = new Map<string, { keys: unknown[]; accs: Accumulator[] }>();
    for (const row of rows) {
      const keys = by.map((b) => b.c.ev(row, ctx));
      const key = groupKey(keys);
      let g = groups.get(key);
      if (!g) {
        g = { keys, accs: aggs.map((a) => a.start()) };
        groups.set(key, g);
      }
      for (const acc of g.accs) acc.add(row, ctx);
    }
    // Without `by`, an empty input still gives one row (count() = 0), as in Kusto.
    if (by.length === 0 && groups.size === 0)
      groups.set('', { keys: [], accs: aggs.map((a) => a.start()) });
    return [...groups.values()].map((g) => {
      const out: Row = {};
      by.forEach((b, i) => {
        out[b.name] = g.keys[i];
      });
      aggs.forEach((a, i) => {
        out[a.name] = g.accs[i]!.result();
      });
      return out;
    });
  };
  return { columns, stage };
}

function distinct(op: Extract<QueryOp, { k: 'distinct' }>, schema: Schema) {
  const scope = scopeOf(schema);
  const items =
    op.items === '*'
      ? schema.map((c) => ({
          name: c.name,
          c: compileExpr({ k: 'name', name: c.name, at: op.at }, scope),
        }))
      : op.items.map((it, i) => ({
          name: it.name ?? (autoName(it.e, i + 1, 'Column') || `Column${i + 1}`),
          c: compileExpr(it.e, scope),
        }));
  const columns = items.map((it) => ({ name: it.name, type: it.c.type }));
  const stage: Stage = (rows, ctx) => {
    const seen = new Set<string>();
    const out: Row[] = [];
    for (const row of rows) {
      const values = items.map((it) => it.c.ev(row, ctx));
      const key = groupKey(values);
      if (seen.has(key)) continue;
      seen.add(key);
      const r: Row = {};
      items.forEach((it, i) => {
        r[it.name] = values[i];
      });
      out.push(r);
    }
    return out;
  };
  return { columns, stage };
}

/** One query-time operator: its stage and the schema after it. */
function tableOp(
  op: Exclude<QueryOp, { k: 'row' }>,
  schema: Schema,
): { schema: Schema; stage: Stage } {
  switch (op.k) {
    case 'take':
      return { schema, stage: (rows) => rows.slice(0, op.n) };
    case 'sort':
      return { schema, stage: sorter(op.keys, schema) };
    case 'top': {
      const sort = sorter([op.key], schema);
      return { schema, stage: (rows, ctx) => sort(rows, ctx).slice(0, op.n) };
    }
    case 'count':
      return {
        schema: [{ name: 'Count', type: 'long' }],
        stage: (rows) => [{ Count: BigInt(rows.length) }],
      };
    case 'summarize': {
      const s = summarize(op, schema);
      return { schema: s.columns, stage: s.stage };
    }
    case 'distinct': {
      const d = distinct(op, schema);
      return { schema: d.columns, stage: d.stage };
    }
  }
}

function compileStages(ops: QueryOp[], input: Schema): { schema: Schema; stages: Stage[] } {
  let schema: Column[] = [...input];
  const stages: Stage[] = [];
  let steps: Step[] = [];
  for (const op of ops) {
    if (op.k === 'row') {
      const compiled = compileOp(op.op, EMPTY_SCOPE, schema);
      schema = compiled.schema;
      steps.push(compiled.step);
      continue;
    }
    if (steps.length > 0) stages.push(rowSteps(steps));
    steps = [];
    const t = tableOp(op, schema);
    schema = [...t.schema];
    stages.push(t.stage);
  }
  if (steps.length > 0) stages.push(rowSteps(steps));
  return { schema, stages };
}

/** A stored value as the query holds it; a value the column type cannot hold reads as null. */
function readStored(c: Column, stored: Record<string, unknown>): unknown {
  try {
    return fromStored(c.type, stored[c.name]);
  } catch {
    return c.type === 'string' ? '' : null;
  }
}

/**
 * Compile a console query. `schemaOf` gives the columns of a table, or undefined when there is
 * no such table. Throws a KqlError (with the position) when the query cannot run.
 */
export function compileTableQuery(
  text: string,
  schemaOf: (table: string) => Schema | undefined,
): CompiledTableQuery {
  const q = parseTableQuery(text);
  const input = schemaOf(q.table);
  if (!input) throw semantic(q.at, `Failed to resolve table expression named '${q.table}'`);
  const { schema, stages } = compileStages(q.ops, input);
  return {
    table: q.table,
    columns: schema,
    run(stored, { now, maxRows = Number.POSITIVE_INFINITY }) {
      const ctx = { now };
      let rows: Row[] = [];
      for (const s of stored) {
        const row: Row = {};
        for (const c of input) row[c.name] = readStored(c, s);
        rows.push(row);
      }
      for (const stage of stages) rows = stage(rows, ctx);
      const kept = rows.length > maxRows ? rows.slice(0, maxRows) : rows;
      return {
        columns: schema,
        rows: kept.map((row) => {
          const out: Record<string, unknown> = {};
          for (const c of schema) out[c.name] = toStored(c.type, row[c.name]);
          return out;
        }),
        total: rows.length,
      };
    },
  };
}
