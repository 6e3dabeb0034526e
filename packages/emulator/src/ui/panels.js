// The console's panels drawn from the emulator's JSON: why rows or columns are missing, the
// fault plan, warnings, request rows, query results and query errors. Every value is set as text.
import { $, bytes, clock, el } from './dom.js';

/** Each loss: what happened, and the fix. */
const LOSSES = [
  {
    key: 'columnsDropped',
    what: 'Properties the stream does not declare were dropped (Azure answers 204 all the same)',
    fix: 'Declare them in the DCR stream (streamDeclarations), or send them inside a dynamic column such as Properties.',
  },
  {
    key: 'valuesNulled',
    what: "Values that did not convert to their column's type were stored as null",
    fix: 'Send the declared type (a number for int/long/real, ISO 8601 text for datetime, true/false for boolean), or change the column type.',
  },
  {
    key: 'valuesTruncated',
    what: 'Values over 64 KB were cut',
    fix: 'Log less in one field, or split it over several records.',
  },
  {
    key: 'tableColumnsDropped',
    what: 'Columns the transform outputs but the destination table lacks were dropped',
    fix: 'Add the columns to the table, or drop them in transformKql (project-away).',
  },
];

function namesText(counts) {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} (${n})`)
    .join(', ');
}

function streamLosses(s) {
  const items = [];
  for (const loss of LOSSES) {
    const counts = s[loss.key] ?? {};
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    if (total === 0) continue;
    items.push(
      el('li', { 'data-loss': loss.key }, [
        el('span', { text: `${loss.what}: ` }),
        el('span', { class: 'names', text: namesText(counts) }),
        el('span', { class: 'fix', text: `Fix: ${loss.fix}` }),
      ]),
    );
  }
  if (s.timeGeneratedReplaced > 0)
    items.push(
      el('li', { 'data-loss': 'timeGeneratedReplaced' }, [
        el('span', {
          text: `TimeGenerated was outside 2 days back to 1 day ahead and was replaced by the time received: ${s.timeGeneratedReplaced} rows`,
        }),
        el('span', {
          class: 'fix',
          text: "Fix: check the sender's clock and the time field mapped to TimeGenerated.",
        }),
      ]),
    );
  if (s.rowsDropped > 0)
    items.push(
      el('li', { 'data-loss': 'rowsDropped' }, [
        el('span', {
          text: `Records no data flow kept (filtered by the transform, or not JSON objects): ${s.rowsDropped}`,
        }),
        el('span', { class: 'fix', text: "Fix: check the transform's where clause." }),
      ]),
    );
  return items;
}

export function renderMissing(streams) {
  const body = $('missing-body');
  const blocks = [];
  for (const s of streams) {
    const items = streamLosses(s);
    if (items.length === 0) continue;
    blocks.push(
      el('div', { class: 'stream', 'data-stream': s.stream }, [
        el('strong', { text: s.stream }),
        el('span', { class: 'muted small', text: `  rule ${s.ruleId}` }),
        el('ul', {}, items),
      ]),
    );
  }
  $('missing').classList.toggle('alert', blocks.length > 0);
  if (blocks.length === 0)
    blocks.push(
      el('p', {
        class: 'muted small',
        text: 'Nothing lost: every property was declared, every value fit its column.',
      }),
    );
  body.replaceChildren(...blocks);
}

export function renderFaults(plan) {
  const parts = [];
  if (plan.queued.length > 0) parts.push(`Queued: ${plan.queued.join(', ')}`);
  for (const r of plan.random) parts.push(`Rate: ${r.probability} → ${r.fault}`);
  $('fault-plan').textContent = parts.length > 0 ? parts.join(' · ') : 'No faults planned.';
}

export function renderWarnings(warnings) {
  $('warnings-panel').hidden = warnings.length === 0;
  $('warnings').replaceChildren(...warnings.map((w) => el('li', { text: w })));
}

export function requestRow(r) {
  const failed = r.status === 0 || r.status >= 400;
  const status = el('td', {
    class: 'status',
    text: r.status === 0 ? (r.outcome ?? '—') : String(r.status),
  });
  if (r.fault)
    status.append(
      el('span', { class: 'badge fault', title: 'Injected fault', text: `injected ${r.fault}` }),
    );
  return el('tr', { class: failed ? 'failed' : '' }, [
    el('td', { text: clock(r.receivedAt), title: r.receivedAt }),
    status,
    el('td', { text: r.errorCode ?? '' }),
    el('td', { text: r.stream ?? '' }),
    el('td', { class: 'num', text: String(r.records) }),
    el('td', { class: 'num', text: bytes(r.wireBytes) }),
    el('td', { class: 'num', text: bytes(r.decodedBytes) }),
    el('td', { class: 'num', text: r.durationMs === undefined ? '' : `${r.durationMs} ms` }),
    el('td', { text: r.clientRequestId ?? '' }),
    el('td', { text: r.ruleId ?? '' }),
  ]);
}

function cell(value, type) {
  if (value === null || value === undefined) return el('td', { class: 'null', text: 'null' });
  if (typeof value === 'object') {
    const text = JSON.stringify(value);
    return el('td', { class: 'wrap' }, [
      el('details', {}, [
        el('summary', { text: text.length > 80 ? `${text.slice(0, 80)}…` : text }),
        el('pre', { text: JSON.stringify(value, null, 2) }),
      ]),
    ]);
  }
  const text = String(value);
  const numeric = type === 'int' || type === 'long' || type === 'real';
  return el('td', { class: numeric ? 'num' : text.length > 60 ? 'wrap' : '', text });
}

export function renderResults(result) {
  const head = el('thead', {}, [
    el(
      'tr',
      {},
      result.columns.map((c) =>
        el('th', { scope: 'col' }, [
          el('span', { text: c.name }),
          el('span', { class: 'type', text: c.type }),
        ]),
      ),
    ),
  ]);
  const body = el(
    'tbody',
    {},
    result.rows.map((row) =>
      el(
        'tr',
        {},
        result.columns.map((c) => cell(row[c.name], c.type)),
      ),
    ),
  );
  $('results').replaceChildren(head, body);
  const shown = result.rows.length;
  const more = result.total > shown ? ` (showing the first ${shown})` : '';
  $('result-info').textContent =
    `${result.total} row${result.total === 1 ? '' : 's'}${more} · ${result.elapsedMs} ms`;
}

export function renderError(error, text) {
  const box = $('query-error');
  const lines = text.split('\n');
  const line = lines[(error.line ?? 1) - 1] ?? '';
  const caret = `${' '.repeat(Math.max(0, (error.column ?? 1) - 1))}^`;
  box.replaceChildren(el('div', { text: error.message }), el('pre', { text: `${line}\n${caret}` }));
  box.hidden = false;
  $('result-info').textContent = '';
  $('results').replaceChildren();
}
