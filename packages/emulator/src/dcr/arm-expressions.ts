/**
 * Just enough of ARM template expressions to read a DCR and its tables out of a deployment
 * template as Bicep compiles it (`az bicep build`) or as the portal exports it:
 * `[parameters('x')]` (the default value), `[variables('x')]`, `[format('{0}/{1}', …)]`,
 * `[concat(…)]`, `[if(…)]`, `[not(…)]`, `[empty(…)]`, `[equals(…)]`, `[toLower(…)]`,
 * `[toUpper(…)]`, `[null()]`, `[string(…)]`, and `.property` after a call. An expression using
 * anything else (resourceId(), resourceGroup()…) is left as its text: fields the emulator reads
 * then fail validation with that text in the message.
 */

type Json = Record<string, unknown>;

/** The value of an expression that could not be evaluated. */
const UNRESOLVED = Symbol('unresolved');

interface Ctx {
  readonly parameters: Json;
  readonly variables: Json;
  readonly resolving: Set<string>;
}

class Reader {
  i = 0;
  constructor(readonly s: string) {}
  ws(): void {
    while (this.s[this.i] === ' ') this.i++;
  }
  take(c: string): boolean {
    this.ws();
    if (this.s[this.i] !== c) return false;
    this.i++;
    return true;
  }
}

function call(name: string, args: unknown[], ctx: Ctx): unknown {
  if (args.includes(UNRESOLVED)) return UNRESOLVED;
  const [a, b, c] = args;
  switch (name.toLowerCase()) {
    case 'parameters': {
      const p = ctx.parameters[String(a)] as Json | undefined;
      return p && 'defaultValue' in p ? resolve(p.defaultValue, ctx) : UNRESOLVED;
    }
    case 'variables': {
      const key = String(a);
      if (!(key in ctx.variables) || ctx.resolving.has(key)) return UNRESOLVED;
      ctx.resolving.add(key);
      const v = resolve(ctx.variables[key], ctx);
      ctx.resolving.delete(key);
      return v;
    }
    case 'format':
      return String(a).replace(/\{(\d+)\}/g, (_m, n: string) => String(args[Number(n) + 1] ?? ''));
    case 'concat':
      return args.every(Array.isArray) ? args.flat(1) : args.map(String).join('');
    case 'if':
      return a ? b : c;
    case 'not':
      return !a;
    case 'empty':
      return (
        a === null ||
        a === '' ||
        (Array.isArray(a) && a.length === 0) ||
        (typeof a === 'object' && a !== null && Object.keys(a).length === 0)
      );
    case 'equals':
      return JSON.stringify(a) === JSON.stringify(b);
    case 'tolower':
      return String(a).toLowerCase();
    case 'toupper':
      return String(a).toUpperCase();
    case 'null':
      return null;
    case 'string':
      return typeof a === 'string' ? a : JSON.stringify(a);
    default:
      return UNRESOLVED;
  }
}

function value(r: Reader, ctx: Ctx): unknown {
  r.ws();
  const s = r.s;
  if (s[r.i] === "'") {
    let out = '';
    r.i++;
    while (r.i < s.length) {
      if (s[r.i] === "'" && s[r.i + 1] === "'") {
        out += "'";
        r.i += 2;
      } else if (s[r.i] === "'") {
        r.i++;
        return out;
      } else out += s[r.i++];
    }
    return UNRESOLVED;
  }
  const num = /^-?\d+/.exec(s.slice(r.i));
  if (num) {
    r.i += num[0].length;
    return Number(num[0]);
  }
  const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(r.i));
  if (!word) return UNRESOLVED;
  r.i += word[0].length;
  if (word[0] === 'true' || word[0] === 'false') return word[0] === 'true';
  if (!r.take('(')) return UNRESOLVED;
  const args: unknown[] = [];
  if (!r.take(')')) {
    do args.push(value(r, ctx));
    while (r.take(','));
    if (!r.take(')')) return UNRESOLVED;
  }
  let v = call(word[0], args, ctx);
  for (;;) {
    if (r.take('.')) {
      const prop = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(r.i));
      if (!prop) return UNRESOLVED;
      r.i += prop[0].length;
      v =
        v !== UNRESOLVED && typeof v === 'object' && v !== null
          ? ((v as Json)[prop[0]] ?? UNRESOLVED)
          : UNRESOLVED;
    } else if (r.take('[')) {
      const key = value(r, ctx);
      if (!r.take(']')) return UNRESOLVED;
      v =
        v !== UNRESOLVED && typeof v === 'object' && v !== null
          ? ((v as Record<string, unknown>)[String(key)] ?? UNRESOLVED)
          : UNRESOLVED;
    } else return v;
  }
}

function evaluate(text: string, ctx: Ctx): unknown {
  const r = new Reader(text.slice(1, -1));
  const v = value(r, ctx);
  r.ws();
  return r.i === r.s.length ? v : UNRESOLVED;
}

function resolve(v: unknown, ctx: Ctx): unknown {
  if (typeof v === 'string') {
    if (v.startsWith('[[')) return v.slice(1);
    if (v.startsWith('[') && v.endsWith(']')) {
      const out = evaluate(v, ctx);
      return out === UNRESOLVED ? v : out;
    }
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => resolve(x, ctx));
  if (typeof v === 'object' && v !== null) {
    const out: Json = {};
    for (const [k, x] of Object.entries(v)) out[k] = resolve(x, ctx);
    return out;
  }
  return v;
}

/** Resolve the expressions in `value` with the template's parameters and variables. */
export function resolveTemplateValue(value: unknown, template: Json): unknown {
  const ctx: Ctx = {
    parameters: (template.parameters as Json | undefined) ?? {},
    variables: (template.variables as Json | undefined) ?? {},
    resolving: new Set(),
  };
  return resolve(value, ctx);
}
