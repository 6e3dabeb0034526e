/**
 * parse_xml(): XML to a dynamic value with the rules of the parse_xml docs:
 *
 *   <e/>                       { "e": null }
 *   <e>text</e>                { "e": "text" }
 *   <e name="value" />         { "e": { "@name": "value" } }
 *   <e name="value">text</e>   { "e": { "@name": "value", "#text": "text" } }
 *   <e><a>x</a><a>y</a></e>    { "e": { "a": ["x", "y"] } }
 *
 * Only elements, attributes and text are kept; declarations, comments and processing
 * instructions are skipped. Text that is a number becomes a number, as in the docs' example
 * (`<value>118.0</value>` gives 118). Invalid XML, or input over 1 MB, gives null.
 */

const MAX_INPUT = 1_048_576;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

type Node = { name: string; attrs: Array<[string, string]>; children: Node[]; text: string };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_m, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(
        e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
      );
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e] ?? '';
  });
}

class XmlReader {
  i = 0;
  constructor(readonly s: string) {}

  skipMisc(): void {
    for (;;) {
      while (/\s/.test(this.s[this.i] ?? '')) this.i++;
      const end = this.s.startsWith('<?', this.i)
        ? '?>'
        : this.s.startsWith('<!--', this.i)
          ? '-->'
          : this.s.startsWith('<!', this.i)
            ? '>'
            : '';
      if (!end) return;
      const at = this.s.indexOf(end, this.i);
      if (at < 0) throw new Error('unterminated');
      this.i = at + end.length;
    }
  }

  element(): Node {
    const open = /^<([A-Za-z_][\w.:-]*)/.exec(this.s.slice(this.i, this.i + 256));
    if (!open) throw new Error('element expected');
    this.i += open[0].length;
    const node: Node = { name: open[1]!, attrs: [], children: [], text: '' };
    for (;;) {
      const attr = /^\s+([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(this.s.slice(this.i));
      if (!attr) break;
      node.attrs.push([attr[1]!, decode(attr[3] ?? attr[4] ?? '')]);
      this.i += attr[0].length;
    }
    const close = /^\s*(\/?)>/.exec(this.s.slice(this.i, this.i + 64));
    if (!close) throw new Error('> expected');
    this.i += close[0].length;
    if (close[1]) return node;
    for (;;) {
      const lt = this.s.indexOf('<', this.i);
      if (lt < 0) throw new Error('unclosed element');
      node.text += decode(this.s.slice(this.i, lt));
      this.i = lt;
      if (this.s.startsWith(`</${node.name}`, this.i)) {
        const end = this.s.indexOf('>', this.i);
        this.i = end + 1;
        return node;
      }
      if (this.s.startsWith('<![CDATA[', this.i)) {
        const end = this.s.indexOf(']]>', this.i);
        if (end < 0) throw new Error('unterminated CDATA');
        node.text += this.s.slice(this.i + 9, end);
        this.i = end + 3;
      } else if (this.s.startsWith('<!--', this.i) || this.s.startsWith('<?', this.i))
        this.skipMisc();
      else node.children.push(this.element());
    }
  }
}

function textValue(text: string): unknown {
  const t = text.trim();
  return NUMBER.test(t) ? Number(t) : t;
}

function toValue(node: Node): unknown {
  const text = node.text.trim();
  if (node.attrs.length === 0 && node.children.length === 0)
    return text === '' ? null : textValue(text);
  const out: Record<string, unknown> = {};
  for (const [k, v] of node.attrs) out[`@${k}`] = v;
  if (text !== '') out['#text'] = textValue(text);
  const repeated = new Set<string>();
  for (const child of node.children) {
    const v = toValue(child);
    const prev = out[child.name];
    if (prev === undefined) out[child.name] = v;
    else if (repeated.has(child.name)) (prev as unknown[]).push(v);
    else {
      out[child.name] = [prev, v];
      repeated.add(child.name);
    }
  }
  return out;
}

export function parseXml(text: string): unknown {
  if (text.length > MAX_INPUT) return null;
  try {
    const r = new XmlReader(text);
    r.skipMisc();
    const root = r.element();
    r.skipMisc();
    if (r.i < text.length) return null;
    return { [root.name]: toValue(root) };
  } catch {
    return null;
  }
}
