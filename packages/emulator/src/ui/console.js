// The emulator's web console: plain DOM, no dependency, no build step. It polls
// /console/api/overview once a second (while live) and, when the emulator has logged a new
// request, refreshes the request list and runs the current query again. Every value shown
// is set as text (never as HTML). Nothing here reads or prints a token.

const POLL_MS = 1000;
const $ = (id) => document.getElementById(id);

const ui = {
  live: true,
  /** The overview's `seq` last seen: a new value means new requests (or a reset). */
  seq: -1,
  /** The query on screen, run again on each change while live. */
  query: '',
  running: false,
  timer: 0,
  offline: false,
};

// ---------------------------------------------------------------------------------- helpers

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'text') node.textContent = v;
    else if (k === 'class') node.className = v;
    else if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  }
  for (const c of children) node.append(c);
  return node;
}

async function api(path, init = {}) {
  const res = await fetch(path, init);
  const body = await res.json().catch(() => null);
  return { ok: res.ok, status: res.status, body };
}

/** POST/DELETE send JSON: the emulator refuses them otherwise (no simple cross-site form). */
function send(method, path, value) {
  return api(path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: value === undefined ? undefined : JSON.stringify(value),
  });
}

function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

function clock(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** The table a query reads: its first name (`AppLogs_CL`, `['AppLogs_CL']`). */
function tableOf(q) {
  const m = /^\s*(?:\[\s*['"])?([A-Za-z_][\w-]*)/.exec(q);
  return m ? m[1] : '';
}

function setStatus() {
  const s = $('status');
  s.classList.toggle('live', ui.live && !ui.offline);
  s.classList.toggle('offline', ui.offline);
  if (ui.offline) s.textContent = 'emulator unreachable, retrying';
  else if (!ui.live) s.textContent = 'paused';
  else s.textContent = `live · updated ${clock(new Date().toISOString())}`;
}

// ---------------------------------------------------------------------------------- tables

/** Redrawn only when a count changes, and the focused table keeps the focus (keyboard use). */
let tablesDrawn = '';

function renderTables(tables) {
  const list = $('tables');
  const current = tableOf(ui.query);
  const drawn = JSON.stringify([current, tables.map((t) => [t.name, t.rows])]);
  if (drawn === tablesDrawn) return;
  tablesDrawn = drawn;
  const focused = document.activeElement?.closest?.('#tables button')?.dataset.table;
  list.replaceChildren(
    ...tables.map((t) => {
      const b = el('button', { type: 'button', 'data-table': t.name, title: `Show ${t.name}` }, [
        el('span', { text: t.name }),
        el('span', { class: 'count', text: String(t.rows) }),
      ]);
      if (t.name === current) b.setAttribute('aria-current', 'true');
      b.addEventListener('click', () => {
        $('query').value = t.name;
        runQuery(t.name, true);
      });
      return el('li', {}, [b]);
    }),
  );
  if (tables.length === 0) list.append(el('li', { class: 'muted', text: 'No tables.' }));
  if (focused) list.querySelector(`button[data-table="${CSS.escape(focused)}"]`)?.focus();
}

// ------------------------------------------------------------------- why rows are missing

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

function renderMissing(streams) {
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

// ---------------------------------------------------------------------------------- faults

function renderFaults(plan) {
  const parts = [];
  if (plan.queued.length > 0) parts.push(`Queued: ${plan.queued.join(', ')}`);
  for (const r of plan.random) parts.push(`Rate: ${r.probability} → ${r.fault}`);
  $('fault-plan').textContent = parts.length > 0 ? parts.join(' · ') : 'No faults planned.';
}

function faultMessage(text, bad) {
  const m = $('fault-message');
  m.textContent = text;
  m.classList.toggle('bad', bad);
}

async function submitFault(event, field, key) {
  event.preventDefault();
  const value = $(field).value.trim();
  if (!value) return;
  const r = await send('POST', '/console/api/faults', { [key]: value });
  if (!r.ok) return faultMessage(r.body?.error?.message ?? `HTTP ${r.status}`, true);
  faultMessage(key === 'spec' ? `Queued ${value}.` : `Rate set: ${value}.`, false);
  $(field).value = '';
  renderFaults(r.body);
}

// -------------------------------------------------------------------------------- warnings

function renderWarnings(warnings) {
  $('warnings-panel').hidden = warnings.length === 0;
  $('warnings').replaceChildren(...warnings.map((w) => el('li', { text: w })));
}

// -------------------------------------------------------------------------------- requests

function requestRow(r) {
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

async function refreshRequests() {
  const r = await api('/console/api/requests?limit=100');
  if (!r.ok) return;
  const list = r.body;
  $('requests').tBodies[0].replaceChildren(...list.map(requestRow));
  const failed = list.filter((x) => x.status === 0 || x.status >= 400).length;
  $('requests-summary').textContent =
    `· latest ${list.length}${failed ? `, ${failed} failed` : ''}`;
}

// ----------------------------------------------------------------------------------- query

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

function renderResults(result) {
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

function renderError(error, text) {
  const box = $('query-error');
  const lines = text.split('\n');
  const line = lines[(error.line ?? 1) - 1] ?? '';
  const caret = `${' '.repeat(Math.max(0, (error.column ?? 1) - 1))}^`;
  box.replaceChildren(el('div', { text: error.message }), el('pre', { text: `${line}\n${caret}` }));
  box.hidden = false;
  $('result-info').textContent = '';
  $('results').replaceChildren();
}

/** Run a query; `user`: typed or picked now (keep it in the address, show errors). */
async function runQuery(text, user) {
  ui.query = text;
  if (user) {
    const url = new URL(location.href);
    url.searchParams.set('q', text);
    history.replaceState(null, '', url);
  }
  ui.running = true;
  try {
    const r = await api(`/console/api/query?q=${encodeURIComponent(text)}&max=500`);
    if (r.ok) {
      $('query-error').hidden = true;
      renderResults(r.body);
    } else if (r.body?.error) renderError(r.body.error, text);
  } finally {
    ui.running = false;
  }
  for (const b of document.querySelectorAll('#tables button')) {
    if (b.dataset.table === tableOf(text)) b.setAttribute('aria-current', 'true');
    else b.removeAttribute('aria-current');
  }
}

/** While a value is expanded, the live refresh leaves the results alone (it would fold it). */
function resultsHeld() {
  return document.querySelector('#results details[open]') !== null;
}

// ------------------------------------------------------------------------------- live loop

async function tick() {
  clearTimeout(ui.timer);
  if (!ui.live) return;
  try {
    const r = await api('/console/api/overview');
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    ui.offline = false;
    const o = r.body;
    renderTables(o.tables);
    renderMissing(o.streams);
    renderFaults(o.faults);
    renderWarnings(o.warnings);
    if (!ui.query) {
      const first = o.tables.find((t) => t.received > 0) ?? o.tables[0];
      if (first) {
        $('query').value = first.name;
        ui.query = first.name;
      }
    }
    if (o.seq !== ui.seq) {
      ui.seq = o.seq;
      await refreshRequests();
      if (ui.query && !ui.running && !resultsHeld()) await runQuery(ui.query, false);
    }
  } catch {
    ui.offline = true;
  }
  setStatus();
  if (ui.live) ui.timer = setTimeout(tick, POLL_MS);
}

function setLive(live) {
  ui.live = live;
  const b = $('live');
  b.setAttribute('aria-pressed', String(live));
  b.textContent = live ? 'Pause' : 'Resume';
  setStatus();
  if (live) tick();
  else clearTimeout(ui.timer);
}

// ---------------------------------------------------------------------------------- wiring

function typing(target) {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
}

function start() {
  $('endpoint').textContent = location.origin;
  $('query-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('query').value.trim();
    if (text) runQuery(text, true);
  });
  $('query').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      $('query-form').requestSubmit();
    }
  });
  $('live').addEventListener('click', () => setLive(!ui.live));
  $('fault-form').addEventListener('submit', (e) => submitFault(e, 'fault-spec', 'spec'));
  $('rate-form').addEventListener('submit', (e) => submitFault(e, 'fault-rate', 'rate'));
  $('fault-clear').addEventListener('click', async () => {
    const r = await send('DELETE', '/faults');
    faultMessage(r.ok ? 'Faults cleared.' : `HTTP ${r.status}`, !r.ok);
    renderFaults({ queued: [], random: [] });
  });
  document.addEventListener('keydown', (e) => {
    if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'p') setLive(!ui.live);
    else if (e.key === '/') {
      e.preventDefault();
      $('query').focus();
    }
  });
  const q = new URLSearchParams(location.search).get('q');
  if (q) {
    $('query').value = q;
    ui.query = q;
  }
  tick();
}

start();
