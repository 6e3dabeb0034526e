// The emulator's web console: plain DOM, no dependency, no build step. It polls
// /console/api/overview once a second (while live) and, when the emulator has logged a new
// request, refreshes the request list and runs the current query again. Every value shown
// is set as text (never as HTML). Nothing here reads or prints a token.

import { $, api, clock, el, send } from './dom.js';
import {
  renderError,
  renderFaults,
  renderMissing,
  renderResults,
  renderWarnings,
  requestRow,
} from './panels.js';

const POLL_MS = 1000;

const ui = {
  live: true,
  /** The overview's `seq` last seen: a new value means new requests (or a reset). */
  seq: -1,
  /** The `seq` the results on screen reflect. */
  querySeq: -1,
  /**
   * When the live refresh may run the query again: a query over a full table takes a while
   * (reading 100,000 rows), so it reruns at most every 4 times its own duration.
   */
  nextQueryAt: 0,
  /** The query on screen, run again on each change while live. */
  query: '',
  running: false,
  timer: 0,
  offline: false,
};

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

// ---------------------------------------------------------------------------------- faults

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

// -------------------------------------------------------------------------------- requests

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

/** Run a query; `user`: typed or picked now (keep it in the address, show errors). */
async function runQuery(text, user) {
  ui.query = text;
  if (user) {
    const url = new URL(location.href);
    url.searchParams.set('q', text);
    history.replaceState(null, '', url);
  }
  ui.running = true;
  const seq = ui.seq;
  const t0 = performance.now();
  try {
    const r = await api(`/console/api/query?q=${encodeURIComponent(text)}&max=500`);
    ui.querySeq = seq;
    ui.nextQueryAt = Date.now() + 4 * (performance.now() - t0);
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
    }
    const stale = ui.querySeq !== ui.seq && Date.now() >= ui.nextQueryAt;
    if (stale && ui.query && !ui.running && !resultsHeld()) await runQuery(ui.query, false);
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
