/**
 * The emulator's web console in a real browser: Debian's Chromium (/usr/bin/chromium) driven by
 * playwright-core, one launch for the file. Logs go through both transports (package names, the
 * built dist) and the core client; the page is driven as a developer would: rows appear without
 * a reload, a `?q=` link reproduces a query, a dropped property is named, an injected 503 is
 * marked. Screenshots at two window sizes go to test-artifacts/ (gitignored).
 *
 * Without Chromium the file is skipped with one line saying why; as root or in CI (where
 * scripts/test.sh installs it) a missing browser fails the run instead.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IngestionClient } from 'azure-ingestion-core';
import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Adapter, makePino, makeWinston } from './helpers/adapters.js';
import { runExample } from './helpers/child.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-artifacts');
/** Flags for a closed network: no background connections, no first-run work (env notes). */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const found = existsSync(CHROMIUM);
/** As root (CI runs as root, and scripts/test.sh installs Chromium there) the tests must run. */
const required = process.getuid?.() === 0 || process.env.CI === 'true';
if (!found && !required) {
  console.warn(
    `console browser tests skipped: no Chromium at ${CHROMIUM} (install Debian's chromium, or set CHROMIUM_PATH)`,
  );
}
/** Waits in the page: generous (a shared 2-core machine), never a fixed sleep. */
const WAIT = { timeout: 15_000 };

describe.skipIf(!found && !required)('the web console in Chromium', () => {
  let emu: Emulator;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const foreign: string[] = [];

  beforeAll(async () => {
    if (!found) {
      throw new Error(
        `Chromium is required here (running as root or in CI) but ${CHROMIUM} is missing: scripts/test.sh installs it with 'apt-get install -y chromium'`,
      );
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    emu = await startEmulator();
    // launch() gives the browser a fresh, empty profile (--user-data-dir) and removes it on close.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    // No script error, no CSP violation, and no request leaves the emulator (works offline).
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (m) => {
      // A query with an error answers 400 on purpose (the page shows it); nothing else may fail.
      const expected =
        m.location().url.includes('/console/api/query?') && /status of 400/.test(m.text());
      if (m.type() === 'error' && !expected)
        problems.push(`console: ${m.text()} (${m.location().url})`);
    });
    page.on('request', (r) => {
      if (!r.url().startsWith(`${emu.endpoint}/`)) foreign.push(r.url());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await emu?.stop();
  });

  async function send(
    make: typeof makeWinston,
    level: 'info' | 'error',
    message: string,
    fields?: Record<string, unknown>,
  ) {
    const adapter: Adapter = await make({
      url: emu.streamUrl(),
      token: emu.token(),
      warnings: false,
    });
    adapter.log({ level, message, ...(fields ? { fields } : {}) });
    await adapter.flush();
    await adapter.close();
  }

  /** The text of one column in every result row. */
  async function column(name: string): Promise<string[]> {
    return page.evaluate((col) => {
      const heads = [...document.querySelectorAll('#results thead th')];
      const i = heads.findIndex((th) => th.firstElementChild?.textContent === col);
      if (i < 0) return [];
      return [...document.querySelectorAll('#results tbody tr')].map(
        (tr) => tr.children[i]?.textContent ?? '',
      );
    }, name);
  }

  it('shows rows logged through winston and pino without a reload', async () => {
    await page.goto(`${emu.endpoint}/`);
    await page.locator('#tables button', { hasText: 'AppLogs_CL' }).waitFor(WAIT);
    await page.locator('#status.live').waitFor(WAIT);
    await page.evaluate(() => {
      (window as unknown as { loadedOnce: boolean }).loadedOnce = true;
    });
    await send(makeWinston, 'info', 'hello from winston', { userId: 'u-1', cart: { items: 2 } });
    await send(makePino, 'error', 'boom from pino');
    await send(makeWinston, 'error', 'boom from winston');
    await send(makePino, 'info', 'hello from pino');
    for (const text of ['hello from winston', 'boom from pino', 'hello from pino']) {
      await page.locator('#results tbody tr', { hasText: text }).waitFor(WAIT);
    }
    await expect
      .poll(() => column('Message'), WAIT)
      .toEqual(['hello from pino', 'boom from winston', 'boom from pino', 'hello from winston']);
    expect(
      await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce),
    ).toBe(true);
    await expect
      .poll(() => page.locator('#tables button[aria-current="true"] .count').textContent(), WAIT)
      .toBe('4');
  });

  it('reproduces a query from its link: ?q=… shows only the error rows', async () => {
    const q = 'AppLogs_CL | where Level == "error"';
    await page.goto(`${emu.endpoint}/?q=${encodeURIComponent(q)}`);
    expect(await page.inputValue('#query')).toBe(q);
    await expect.poll(() => column('Level'), WAIT).toEqual(['error', 'error']);
    expect(await column('Message')).toEqual(['boom from winston', 'boom from pino']);
    await expect(page.locator('#result-info').textContent()).resolves.toMatch(/^2 rows/);
  });

  it('runs queries from the keyboard, keeps them in the address, shows errors at their position', async () => {
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('query');
    await page.fill('#query', 'AppLogs_CL | summarize count() by Level | order by Level asc');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => column('count_'), WAIT).toEqual(['2', '2']);
    expect(new URL(page.url()).searchParams.get('q')).toBe(
      'AppLogs_CL | summarize count() by Level | order by Level asc',
    );
    await page.fill('#query', 'AppLogs_CL\n| where Levl == "x"');
    await page.click('#run');
    const error = page.locator('#query-error');
    await error.waitFor({ state: 'visible', ...WAIT });
    expect(await error.locator('div').textContent()).toBe(
      "SemanticError at 2:9 : Failed to resolve scalar expression named 'Levl'",
    );
    expect(await error.locator('pre').textContent()).toBe('| where Levl == "x"\n        ^');
    // Pause and resume live updates with the key p (outside the query box).
    await page.locator('#query').blur();
    await page.keyboard.press('p');
    await expect.poll(() => page.locator('#status').textContent(), WAIT).toBe('paused');
    expect(await page.getAttribute('#live', 'aria-pressed')).toBe('false');
    await page.keyboard.press('p');
    await page.locator('#status.live').waitFor(WAIT);
  });

  it('names an undeclared property in the dropped-columns panel', async () => {
    await page.goto(`${emu.endpoint}/`);
    await page.locator('#status.live').waitFor(WAIT);
    expect(await page.locator('#missing').getAttribute('class')).not.toMatch(/alert/);
    const client = new IngestionClient({
      url: emu.streamUrl(),
      token: emu.token(),
      warnings: false,
    });
    const row = { TimeGenerated: new Date().toISOString(), Message: 'with a cart', CartId: 'c-42' };
    client.pushJson(JSON.stringify(row));
    await client.close();
    const dropped = page.locator('#missing [data-loss="columnsDropped"]');
    await dropped.waitFor(WAIT);
    expect(await dropped.locator('.names').textContent()).toBe('CartId (1)');
    expect(await dropped.textContent()).toMatch(/Fix: Declare them in the DCR stream/);
    expect(await page.locator('#missing').getAttribute('class')).toMatch(/alert/);
  });

  it('marks an injected 503, queued from the page, in the requests list', async () => {
    await page.fill('#fault-spec', '503');
    await page.press('#fault-spec', 'Enter');
    await expect.poll(() => page.locator('#fault-message').textContent(), WAIT).toBe('Queued 503.');
    await expect.poll(() => page.locator('#fault-plan').textContent(), WAIT).toBe('Queued: 503');
    await send(makeWinston, 'info', 'after a 503');
    const failed = page.locator('#requests tbody tr.failed', { hasText: 'injected 503' });
    await failed.waitFor(WAIT);
    expect(await failed.locator('td').nth(1).textContent()).toBe('503injected 503');
    expect(await failed.locator('td').nth(2).textContent()).toBe('ServiceUnavailable');
    // The retry that followed landed.
    await page.locator('#results tbody tr', { hasText: 'after a 503' }).waitFor(WAIT);
  });

  it('fits 1280×800 and a narrow window, light and dark; screenshots saved', async () => {
    await page.fill('#query', 'AppLogs_CL | project TimeGenerated, Level, Message, Properties');
    await page.click('#run');
    await page.locator('#results tbody tr', { hasText: 'after a 503' }).waitFor(WAIT);
    // A dynamic value opens in place (and the live refresh leaves it open).
    const row = page.locator('#results tbody tr', { hasText: 'hello from winston' });
    await row.locator('summary').click();
    expect(JSON.parse((await row.locator('details pre').textContent()) ?? '')).toMatchObject({
      userId: 'u-1',
      cart: { items: 2 },
    });
    const wide = join(ARTIFACTS, 'console-1280x800.png');
    await page.screenshot({ path: wide });
    const overflow = () =>
      page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    expect(await overflow()).toBe(0);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await overflow()).toBe(0);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(15, 18, 22)');
    const narrow = join(ARTIFACTS, 'console-390x844-dark.png');
    await page.screenshot({ path: narrow, fullPage: true });
    expect(existsSync(wide) && existsSync(narrow)).toBe(true);
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it("shows the demo's rows and counters (npm run demo -- --console)", async () => {
    const demo = runExample('demo.mjs', { NO_COLOR: '1' }, ['--console']);
    try {
      const [, url] = await demo.waitFor(/^Console {2}(http:\/\/\S+\/)/m, 30_000);
      expect(demo.stdout()).toContain('OK  every log landed');
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.emulateMedia({ colorScheme: 'light' });
      await page.goto(url!);
      await expect
        .poll(() => page.locator('#tables button .count').textContent(), WAIT)
        .toBe('2010');
      await expect
        .poll(() => page.locator('#result-info').textContent(), WAIT)
        .toMatch(/^2010 rows \(showing the first 500\)/);
      const retried = page.locator('#requests tbody tr.failed', { hasText: 'injected 503' });
      await retried.waitFor(WAIT);
      expect(await page.locator('#missing-body').textContent()).toMatch(/^Nothing lost/);
    } finally {
      demo.proc.kill('SIGINT');
    }
    expect(await demo.exited()).toBe(0);
  });
});
