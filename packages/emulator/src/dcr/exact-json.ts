/**
 * JSON.parse turns 9007199254740993 into 9007199254740992: a `long` column would store another
 * number than the one sent. When shaping meets such a value (rare), the body is read again here:
 * the same JSON, except that integers beyond 2^53 directly in a record (the values of its
 * columns) come out as BigInt. Deeper values (inside dynamic columns) stay numbers, as
 * JSON.parse gives them.
 */

const WS = new Set([' ', '\t', '\n', '\r']);

class Reader {
  i = 0;
  constructor(readonly s: string) {}

  fail(): never {
    throw new SyntaxError(`Unexpected token in JSON at position ${this.i}`);
  }

  ws(): void {
    while (WS.has(this.s[this.i]!)) this.i++;
  }

  value(depth: number): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    const lit = /^(true|false|null)/.exec(this.s.slice(this.i, this.i + 5));
    if (lit) {
      this.i += lit[0].length;
      return lit[0] === 'null' ? null : lit[0] === 'true';
    }
    const num = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!num) this.fail();
    this.i += num[0].length;
    const n = Number(num[0]);
    if (depth === 2 && !num[2] && !num[3] && !Number.isSafeInteger(n)) return BigInt(num[0]);
    return n;
  }

  string(): string {
    const start = this.i;
    this.i++;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) this.fail();
      if (c === '\\') this.i += 2;
      else if (c === '"') break;
      else this.i++;
    }
    this.i++;
    return JSON.parse(this.s.slice(start, this.i)) as string;
  }

  array(depth: number): unknown[] {
    this.i++;
    const out: unknown[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') this.fail();
    }
  }

  object(depth: number): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail();
      const key = this.string();
      this.ws();
      if (this.s[this.i++] !== ':') this.fail();
      out[key] = this.value(depth + 1);
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') this.fail();
    }
  }
}

/** Parse a body (an array of records) keeping record values beyond 2^53 exact as BigInt. */
export function parseJsonExact(text: string): unknown {
  const r = new Reader(text);
  const v = r.value(0);
  r.ws();
  if (r.i !== text.length) r.fail();
  return v;
}
