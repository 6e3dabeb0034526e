/**
 * Compiling a whole transform: `let` statements, the data source (`source`, `print`, a
 * tabular `let`) and the tabular operators, each of which maps a schema (typed columns) to the
 * next. The result knows its output schema at load, which is what the destination table is
 * checked against, and runs one row at a time:
 *
 *   stored row ──fromStored──> values ──where/extend/project/parse…──> values ──toStored──> row
 */
import type { Assign, Expr, Op, Query, Source, Tabular } from './ast.js';
import { type Compiled, type ConstTable, compileExpr, type Row, type Scope } from './compile.js';
import { semantic } from './errors.js';
import type { KqlContext } from './functions/registry.js';
import { parseQuery } from './parse.js';
import { compileParse } from './parse-op.js';
import type { Column, KType, Schema } from './types.js';
import { convert, fromStored, toStored, toStr } from './values.js';

export type Step = (row: Row, ctx: KqlContext) => Row | null;

interface Stage {
  readonly schema: Column[];
  readonly steps: Step[];
  /** The first step makes its row itself (print): the input row is not read. */
  readonly printed: boolean;
}

/** The name KQL gives an expression written without one: `a.b` → `a_b`, else Column1… */
export function autoName(e: Expr, n: number, prefix: string): string {
  if (e.k === 'name') return e.name;
  if (e.k === 'index' && e.key.k === 'lit') {
    const base = autoName(e.obj, n, '');
    if (base) return `${base}_${String(e.key.v)}`;
  }
  return prefix ? `${prefix}${n}` : '';
}

function setColumn(schema: Column[], name: string, type: KType): void {
  const i = schema.findIndex((c) => c.name === name);
  if (i >= 0) schema[i] = { name, type };
  else schema.push({ name, type });
}

function scopeOf(base: Scope, schema: Schema): Scope {
  return { ...base, columns: new Map(schema.map((c) => [c.name, c.type])) };
}

function assignments(
  items: Assign[],
  base: Scope,
  schema: Column[],
  prefix: string,
  incremental: boolean,
) {
  const out: Array<{ name: string; c: Compiled }> = [];
  const next = [...schema];
  let auto = 1;
  for (const item of items) {
    const c = compileExpr(item.e, scopeOf(base, incremental ? next : schema));
    // print names what it is not told print_0, print_1… (print operator docs).
    const name =
      item.name ?? (prefix === 'print_' ? `print_${auto - 1}` : autoName(item.e, auto, prefix));
    auto++;
    out.push({ name, c });
    setColumn(next, name, c.type);
  }
  return { out, next };
}

function matchNames(schema: Schema, pattern: string, at: number): string[] {
  if (!pattern.endsWith('*')) {
    if (!schema.some((c) => c.name === pattern))
      throw semantic(at, `Failed to resolve column or scalar expression named '${pattern}'`);
    return [pattern];
  }
  const prefix = pattern.slice(0, -1);
  return schema.filter((c) => c.name.startsWith(prefix)).map((c) => c.name);
}

/** One row-level operator over a schema (also compiled by the console's query layer). */
export function compileOp(op: Op, base: Scope, schema: Column[]): { schema: Column[]; step: Step } {
  switch (op.k) {
    case 'where': {
      const c = compileExpr(op.e, scopeOf(base, schema));
      if (c.type !== 'bool' && c.type !== 'dynamic')
        throw semantic(op.at, `where needs a bool predicate, not ${c.type}`);
      const f = c.ev;
      return { schema, step: (row, ctx) => (f(row, ctx) === true ? row : null) };
    }
    case 'extend': {
      const { out, next } = assignments(op.items, base, schema, 'Column', true);
      return {
        schema: next,
        step: (row, ctx) => {
          const r = { ...row };
          for (const { name, c } of out) r[name] = c.ev(r, ctx);
          return r;
        },
      };
    }
    case 'project': {
      const { out } = assignments(op.items, base, schema, 'Column', false);
      const next: Column[] = [];
      for (const { name, c } of out) setColumn(next, name, c.type);
      return {
        schema: next,
        step: (row, ctx) => {
          const r: Row = {};
          for (const { name, c } of out) r[name] = c.ev(row, ctx);
          return r;
        },
      };
    }
    case 'project-away': {
      const away = new Set(op.names.flatMap((n) => matchNames(schema, n.name, n.at)));
      return {
        schema: schema.filter((c) => !away.has(c.name)),
        step: (row) => {
          const r = { ...row };
          for (const n of away) delete r[n];
          return r;
        },
      };
    }
    case 'project-rename': {
      const next = [...schema];
      for (const p of op.pairs) {
        const i = next.findIndex((c) => c.name === p.from);
        if (i < 0)
          throw semantic(p.at, `Failed to resolve column or scalar expression named '${p.from}'`);
        next[i] = { name: p.to, type: next[i]!.type };
      }
      const pairs = op.pairs;
      return {
        schema: next,
        step: (row) => {
          const r = { ...row };
          for (const p of pairs) {
            const v = r[p.from];
            delete r[p.from];
            r[p.to] = v;
          }
          return r;
        },
      };
    }
    case 'parse': {
      const input = compileExpr(op.e, scopeOf(base, schema));
      const parser = compileParse(op.kind, op.flags, op.pattern);
      const next = [...schema];
      for (const c of parser.columns) setColumn(next, c.name, c.type);
      const t = input.type;
      const f = input.ev;
      const cols = parser.columns;
      return {
        schema: next,
        step: (row, ctx) => {
          const values = parser.run(toStr(t, f(row, ctx)));
          const r = { ...row };
          cols.forEach((c, i) => {
            r[c.name] = values[i];
          });
          return r;
        },
      };
    }
  }
}

function constTable(source: Extract<Source, { k: 'datatable' }>, base: Scope): ConstTable {
  const column = source.columns[0]!;
  const values = source.values
    .filter((_, i) => i % source.columns.length === 0)
    .map((e) => {
      const c = compileExpr(e, { ...base, columns: new Map() });
      return convert(column.type, c.type, c.ev({}, { now: 0 }));
    });
  return { type: column.type, values };
}

interface Lets {
  scope: Scope;
  pipelines: Map<string, Tabular>;
}

function compileTabular(t: Tabular, lets: Lets, input: Schema): Stage {
  let stage: Stage;
  const s = t.source;
  if (s.k === 'source') stage = { schema: [...input], steps: [], printed: false };
  else if (s.k === 'print') {
    const { out, next } = assignments(s.items, lets.scope, [], 'print_', false);
    const schema = next;
    stage = {
      schema,
      printed: true,
      steps: [
        (_row, ctx) => {
          const r: Row = {};
          for (const { name, c } of out) r[name] = c.ev(r, ctx);
          return r;
        },
      ],
    };
  } else if (s.k === 'ref' && lets.pipelines.has(s.name))
    stage = compileTabular(lets.pipelines.get(s.name)!, lets, input);
  else
    throw semantic(
      s.at,
      "a transform reads one row at a time from 'source' (or 'print'): a datatable can only be used with in",
    );
  let schema = [...stage.schema];
  const steps = [...stage.steps];
  for (const op of t.ops) {
    const compiled = compileOp(op, lets.scope, schema);
    schema = compiled.schema;
    steps.push(compiled.step);
  }
  return { schema, steps, printed: stage.printed };
}

function compileLets(q: Query): Lets {
  const scalars = new Map<string, Compiled>();
  const functions = new Map<string, { params: Array<{ name: string; type: KType }>; body: Expr }>();
  const tables = new Map<string, ConstTable | 'pipeline'>();
  const scope: Scope = { columns: new Map(), scalars, functions, tables };
  const pipelines = new Map<string, Tabular>();
  for (const l of q.lets) {
    const v = l.value;
    if (v.k === 'scalar') scalars.set(l.name, compileExpr(v.e, scope));
    else if (v.k === 'function') functions.set(l.name, { params: v.params, body: v.body });
    else if (v.t.source.k === 'datatable' && v.t.ops.length === 0)
      tables.set(l.name, constTable(v.t.source, scope));
    else {
      tables.set(l.name, 'pipeline');
      pipelines.set(l.name, v.t);
    }
  }
  return { scope, pipelines };
}

/** A compiled transform: its output columns, and one stored row in, one out (or null). */
export interface CompiledTransform {
  readonly output: Schema;
  run(row: Record<string, unknown>, ctx: KqlContext): Record<string, unknown> | null;
}

/**
 * Compile a transform over a stream's columns. Throws a KqlError (with the position) when the
 * transform would not deploy in Azure or uses what the emulator cannot run.
 */
export function compileQuery(text: string, input: Schema): CompiledTransform {
  const q = parseQuery(text);
  const stage = compileTabular(q.body, compileLets(q), input);
  const steps = stage.steps;
  const output = stage.schema;
  const inputCols = stage.printed ? [] : input;
  return {
    output,
    run(stored, ctx) {
      let row: Row | null = {};
      for (const c of inputCols) row[c.name] = fromStored(c.type, stored[c.name]);
      for (const step of steps) {
        row = step(row, ctx);
        if (row === null) return null;
      }
      const out: Record<string, unknown> = {};
      for (const c of output) out[c.name] = toStored(c.type, row[c.name]);
      return out;
    },
  };
}
