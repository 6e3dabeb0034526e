/**
 * The syntax tree of a transform. Positions (`at`) are offsets in the transform text, for
 * messages that point at the problem.
 */
import type { Column, KType } from './types.js';

export type Expr =
  | { readonly k: 'lit'; readonly type: KType; readonly v: unknown; readonly at: number }
  /** A name: a column, a scalar `let`, or a parameter of a `let` function. */
  | { readonly k: 'name'; readonly name: string; readonly at: number }
  /** `a.b`, `a['b']`, `a[0]`, `a[expr]` on a dynamic value. */
  | { readonly k: 'index'; readonly obj: Expr; readonly key: Expr; readonly at: number }
  | { readonly k: 'call'; readonly fn: string; readonly args: Expr[]; readonly at: number }
  /** `typeof(long)`, an argument of extract(). */
  | { readonly k: 'typeof'; readonly type: KType; readonly at: number }
  | { readonly k: 'neg'; readonly e: Expr; readonly at: number }
  | {
      readonly k: 'bin';
      readonly op: string;
      readonly l: Expr;
      readonly r: Expr;
      readonly at: number;
    }
  /** `x in (a, b)`, `x !in (T)` where T may name a tabular `let`. */
  | {
      readonly k: 'in';
      readonly op: string;
      readonly l: Expr;
      readonly list: Expr[];
      readonly at: number;
    }
  /** `dynamic(…)`: the transforms page says to use parse_json() instead. */
  | { readonly k: 'dynamic-literal'; readonly at: number };

/** `Name = expr`, or `expr` alone (the name is then inferred, as KQL does). */
export interface Assign {
  readonly name: string | undefined;
  readonly e: Expr;
  readonly at: number;
}

/** One element of a parse pattern: `*`, a string constant, or a column with its type. */
export type ParsePart =
  | { readonly k: 'star' }
  | { readonly k: 'text'; readonly text: string }
  | { readonly k: 'column'; readonly name: string; readonly type: KType; readonly at: number };

export type Op =
  | { readonly k: 'where'; readonly e: Expr; readonly at: number }
  | { readonly k: 'extend'; readonly items: Assign[]; readonly at: number }
  | { readonly k: 'project'; readonly items: Assign[]; readonly at: number }
  | {
      readonly k: 'project-away';
      readonly names: Array<{ name: string; at: number }>;
      readonly at: number;
    }
  | {
      readonly k: 'project-rename';
      readonly pairs: Array<{ to: string; from: string; at: number }>;
      readonly at: number;
    }
  | {
      readonly k: 'parse';
      readonly kind: 'simple' | 'regex' | 'relaxed';
      readonly flags: string;
      readonly e: Expr;
      readonly pattern: ParsePart[];
      readonly at: number;
    };

export type Source =
  | { readonly k: 'source'; readonly at: number }
  | { readonly k: 'print'; readonly items: Assign[]; readonly at: number }
  /** A tabular `let` by name. */
  | { readonly k: 'ref'; readonly name: string; readonly at: number }
  | {
      readonly k: 'datatable';
      readonly columns: Column[];
      readonly values: Expr[];
      readonly at: number;
    };

export interface Tabular {
  readonly source: Source;
  readonly ops: Op[];
}

export type LetValue =
  | { readonly k: 'scalar'; readonly e: Expr }
  | { readonly k: 'tabular'; readonly t: Tabular }
  | {
      readonly k: 'function';
      readonly params: Array<{ name: string; type: KType }>;
      readonly body: Expr;
    };

export interface Let {
  readonly name: string;
  readonly value: LetValue;
  readonly at: number;
}

export interface Query {
  readonly lets: Let[];
  readonly body: Tabular;
}
