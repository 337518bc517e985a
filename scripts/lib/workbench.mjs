// Drive a real VS Code workbench (code-server + headless Chromium) like a person,
// for UI scripts and screenshots. See docs/TEST-ENVIRONMENT.md section 3,
// "Drive the UI like a person" and "Workbench facts".
//
//   const server = await startCodeServer({ vsixPath, userSettings, env, workspaceFolder });
//   const { browser, page } = await openWorkbench(server.url);
//   await openActivityView(page, 'ECR Deploy');
//   await expandRow(page, 'my-repo');
//   await screenshot(page, 'out/tree.png');
//   await browser.close(); await server.stop();
//
// Every verb waits (default 30 s or $ECR_DEPLOY_UI_TIMEOUT_MS; `timeoutMs` option) and throws an Error that
// says what it expected and what it saw.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHROMIUM, CHROMIUM_ARGS, DEFAULT_TEST_SETTINGS, loadChromium, sandboxEnv, writeUserSettings } from './run-extension-tests.mjs';
import { freePort, startProcess, tail, waitForHttp } from './system.mjs';
import { ensureVsCodeHost } from './vscode-host.mjs';

// How wide the side bar is dragged (widenSideBar): wide enough for most rows' descriptions, narrow enough that
// the editor keeps its side-by-side diff (VS Code turns a diff inline below about 900 px).
const SIDE_BAR_WIDTH = 470;

// Per-verb wait; generous because a loaded 2-core machine renders the workbench slowly.
const DEFAULT_TIMEOUT = Number(process.env.ECR_DEPLOY_UI_TIMEOUT_MS) || 30000;

// Settings that make the workbench deterministic for screenshots; the caller's userSettings win.
export const DEFAULT_UI_SETTINGS = {
  ...DEFAULT_TEST_SETTINGS,
  'window.dialogStyle': 'custom', // modal dialogs render in the page (.monaco-dialog-box)
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.layoutControl.enabled': false,
  'editor.minimap.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

// ---------------------------------------------------------------------------
// Server and browser

/**
 * Install a .vsix into a fresh code-server and start it.
 *
 * @param {object} [o]
 * @param {string|string[]} [o.vsixPath]         .vsix file(s) to install first
 * @param {object} [o.userSettings]              merged over DEFAULT_UI_SETTINGS into <user-data-dir>/User/settings.json
 * @param {Record<string,string>} [o.env]        extra env for the server, inherited by the extension host
 * @param {string} [o.workspaceFolder]           folder to open (default: an empty temp folder)
 * @param {boolean} [o.workspaceTrust]           keep workspace trust on: the folder opens in Restricted Mode, unasked
 * @param {(line: string) => void} [o.log]
 * @returns {Promise<{url: string, port: number, root: string, userDataDir: string, extensionsDir: string,
 *                    workspaceFolder: string, output: () => string, stop: () => Promise<void>}>}
 */
export async function startCodeServer({ vsixPath, userSettings, env = {}, workspaceFolder, workspaceTrust = false, log = (line) => console.error(line) } = {}) {
  const host = await ensureVsCodeHost({ log });
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'ecr-deploy-ui-')));
  let server;
  const cleanup = async () => {
    if (server) await server.stop();
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    const sandbox = sandboxEnv(root);
    const userDataDir = join(root, 'user');
    const extensionsDir = join(root, 'ext');
    mkdirSync(userDataDir, { recursive: true });
    mkdirSync(extensionsDir, { recursive: true });
    const folder = workspaceFolder ? resolve(workspaceFolder) : join(root, 'workspace');
    mkdirSync(folder, { recursive: true });
    const serverEnv = { ...process.env, ...sandbox, EXTENSIONS_GALLERY: '{}', ...env };
    for (const [k, v] of Object.entries(serverEnv)) if (v === undefined || v === null) delete serverEnv[k];

    for (const vsix of [vsixPath ?? []].flat()) {
      if (!existsSync(vsix)) throw new Error(`startCodeServer: ${resolve(vsix)} does not exist (package the extension first)`);
      const t = Date.now();
      const args = [host.codeServer, '--install-extension', resolve(vsix), '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir];
      const { code, out } = await runToEnd(host.node, args, serverEnv);
      if (code !== 0 || /Failed Installing/i.test(out)) {
        throw new Error(`installing ${vsix} into code-server failed (exit ${code}):\n${tail(out, 20)}`);
      }
      log(`[ui] installed ${vsix} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    }
    // With trust on, a folder never trusted before opens in Restricted Mode; 'never' skips the startup question.
    const trustSettings = workspaceTrust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {};
    writeUserSettings(userDataDir, { ...DEFAULT_UI_SETTINGS, ...trustSettings, ...userSettings });

    const port = await freePort();
    // prettier-ignore
    const args = [
      host.codeServer,
      '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry', '--disable-update-check', ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
      folder,
    ];
    server = startProcess(host.node, args, { env: serverEnv, cwd: root, name: 'code-server' });
    const url = `http://127.0.0.1:${port}/`;
    await waitForHttp(`${url}healthz`, { timeoutMs: 60000, process: server });
    log(`[ui] code-server ${host.codeServerVersion} (VS Code ${host.vscodeVersion}) at ${url}`);
    return { url, port, root, userDataDir, extensionsDir, workspaceFolder: folder, output: () => server.output(), stop: cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

function runToEnd(cmd, args, env) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, out }));
  });
}

/**
 * Open the workbench at `url` in headless Debian Chromium and wait until it is there.
 * @param {string} url
 * @param {{viewport?: {width: number, height: number}, deviceScaleFactor?: number, timeoutMs?: number,
 *          onConsole?: (msg: import('playwright-core').ConsoleMessage) => void, log?: (line: string) => void}} [o]
 * @returns {Promise<{browser: import('playwright-core').Browser, page: import('playwright-core').Page, close: () => Promise<void>}>}
 */
export async function openWorkbench(url, { viewport = { width: 1440, height: 900 }, deviceScaleFactor = 1, timeoutMs = 120000, onConsole, log } = {}) {
  const chromium = await loadChromium({ log });
  const profile = mkdtempSync(join(tmpdir(), 'ecr-deploy-chromium-'));
  const sandbox = sandboxEnv(profile);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, env: { ...process.env, ...sandbox }, timeout: 60000 });
  const close = async () => {
    await browser.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    const context = await browser.newContext({ viewport, deviceScaleFactor });
    const page = await context.newPage();
    if (onConsole) page.on('console', onConsole);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    await page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout: timeoutMs });
    // The activity bar is populated once the workbench has restored its parts.
    await page.locator('.activitybar .action-item').first().waitFor({ state: 'visible', timeout: timeoutMs });
    browser.on('disconnected', () => rmSync(profile, { recursive: true, force: true }));
    return { browser, page, close };
  } catch (err) {
    await close();
    throw new Error(`the workbench at ${url} did not load: ${err.message}`);
  }
}

// ---------------------------------------------------------------------------
// Waiting

/**
 * Poll `probe` until it returns a truthy value; then return that value.
 * On timeout throw `${expected}` plus what `describe()` reports about the current state.
 */
export async function waitFor(probe, { timeoutMs = DEFAULT_TIMEOUT, intervalMs = 100, expected = 'condition', describe } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) break;
    await sleep(intervalMs);
  }
  let seen = '';
  if (describe) {
    try {
      seen = ` ${await describe()}`;
    } catch (err) {
      seen = ` (could not describe the state: ${err.message})`;
    }
  }
  const cause = lastError ? ` Last error: ${lastError.message.split('\n')[0]}` : '';
  throw new Error(`Timed out after ${(timeoutMs / 1000).toFixed(1)} s waiting for ${expected}.${seen}${cause}`);
}

const quote = (s) => JSON.stringify(s);

async function texts(locator) {
  return (await locator.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

// ---------------------------------------------------------------------------
// Activity bar and views

/**
 * Show the view container whose activity-bar entry is titled `title` (prefix match on aria-label).
 * Never toggles an already selected entry closed.
 */
export async function openActivityView(page, title, { timeoutMs = DEFAULT_TIMEOUT } = {}) {
  const entry = page.locator(`.activitybar .action-item:has([aria-label^=${quote(title)}]), .activitybar .action-item[aria-label^=${quote(title)}]`).first();
  await waitFor(async () => (await entry.count()) > 0 && (await entry.isVisible()), {
    timeoutMs,
    expected: `an activity-bar entry titled ${quote(title)}`,
    describe: async () => `Activity bar has: ${JSON.stringify(await activityBarEntries(page))}.`,
  });
  // The selected entry is marked with class "checked" and aria-selected (older builds: aria-checked).
  const selected = () =>
    entry.evaluate((li) => li.classList.contains('checked') || li.getAttribute('aria-selected') === 'true' || li.getAttribute('aria-checked') === 'true');
  const sidebarVisible = () => page.locator('.part.sidebar').first().isVisible();
  if (!((await selected()) && (await sidebarVisible()))) await entry.click();
  await waitFor(async () => (await selected()) && (await sidebarVisible()), {
    timeoutMs,
    expected: `the side bar to show ${quote(title)}`,
    describe: async () => `Side bar title: ${quote(await sidebarTitle(page))}.`,
  });
  await widenSideBar(page);
  return entry;
}

/**
 * Drags the side bar's edge out to `width` pixels, as a person would, so tree rows show their descriptions
 * in full (the default width cuts them off in screenshots). A no-op when it is already that wide.
 */
export async function widenSideBar(page, width = SIDE_BAR_WIDTH) {
  const bar = await page.locator('.part.sidebar').first().boundingBox();
  if (!bar || bar.width >= width - 4) return;
  const edge = bar.x + bar.width;
  // The sash sits on the side bar's right edge; it is the only vertical sash there.
  const sashes = await page.$$eval('.monaco-sash.vertical', (els) => els.map((el) => el.getBoundingClientRect()).map((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2, visible: r.width > 0 && r.height > 0 })));
  const sash = sashes.filter((r) => r.visible).sort((a, b) => Math.abs(a.x - edge) - Math.abs(b.x - edge))[0];
  if (!sash || Math.abs(sash.x - edge) > 8) return;
  await page.mouse.move(sash.x, sash.y);
  await page.mouse.down();
  await page.mouse.move(bar.x + width, sash.y, { steps: 8 });
  await page.mouse.up();
}

/** aria-labels of the activity-bar entries. */
export async function activityBarEntries(page) {
  return page.$$eval('.activitybar .action-item', (items) =>
    items.map((li) => li.getAttribute('aria-label') || li.querySelector('[aria-label]')?.getAttribute('aria-label') || '').filter(Boolean),
  );
}

async function sidebarTitle(page) {
  const t = page.locator('.part.sidebar .composite.title .title-label').first();
  return (await t.count()) ? (await t.innerText()).trim() : '(side bar closed)';
}

/** Visible tree/list rows (label text) in `scope` (default the whole workbench). */
export async function visibleRows(page, { scope = '.monaco-workbench' } = {}) {
  return page.$$eval(`${scope} .monaco-list-row`, (rows) =>
    rows
      .filter((r) => r.offsetParent !== null)
      .map((r) => (r.querySelector('.label-name')?.textContent ?? r.getAttribute('aria-label') ?? r.textContent ?? '').replace(/\s+/g, ' ').trim())
      .filter(Boolean),
  );
}

const escapeRegExp = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The `.monaco-list-row` whose label (`.label-name`, else aria-label) equals `text`
 * (or contains it with `exact: false`, or matches it when `text` is a RegExp).
 * The locator is text-based, so it stays valid when the virtualised list re-renders.
 * @returns {Promise<import('playwright-core').Locator>}
 */
export async function treeRow(page, text, { exact = true, scope = '.monaco-workbench', timeoutMs = DEFAULT_TIMEOUT } = {}) {
  const re = text instanceof RegExp ? text : new RegExp(exact ? `^\\s*${escapeRegExp(String(text))}\\s*$` : escapeRegExp(String(text)));
  const found = await waitFor(
    () =>
      page.$$eval(
        `${scope} .monaco-list-row`,
        (rows, m) => {
          const rx = new RegExp(m.source, m.flags);
          for (const r of rows) {
            if (r.offsetParent === null) continue;
            const name = r.querySelector('.label-name');
            const label = (name?.textContent ?? r.getAttribute('aria-label') ?? '').replace(/\s+/g, ' ').trim();
            if (rx.test(label)) return { viaLabelName: Boolean(name), ariaLabel: r.getAttribute('aria-label') };
          }
          return null;
        },
        { source: re.source, flags: re.flags },
      ),
    {
      timeoutMs,
      expected: `a tree row ${text instanceof RegExp ? `matching ${text}` : exact ? quote(text) : `containing ${quote(text)}`}`,
      describe: async () => `Visible rows: ${JSON.stringify(await visibleRows(page, { scope }))}.`,
    },
  );
  const rows = page.locator(`${scope} .monaco-list-row`).filter({ visible: true });
  return found.viaLabelName
    ? rows.filter({ has: page.locator('.label-name', { hasText: re }) }).first()
    : rows.and(page.locator(`[aria-label=${quote(found.ariaLabel ?? '')}]`)).first();
}

/** Expand the tree row `text` (no-op if expanded) and wait until it is. Returns the row. */
export async function expandRow(page, text, opts = {}) {
  const { timeoutMs = DEFAULT_TIMEOUT } = opts;
  const row = await treeRow(page, text, opts);
  const state = await row.getAttribute('aria-expanded');
  if (state === null) throw new Error(`Tree row ${quote(String(text))} is not expandable (no aria-expanded).`);
  if (state !== 'true') {
    const twistie = row.locator('.monaco-tl-twistie');
    if (await twistie.count()) await twistie.click();
    else await row.click();
    await waitFor(async () => (await row.getAttribute('aria-expanded')) === 'true', {
      timeoutMs,
      expected: `tree row ${quote(String(text))} to expand`,
      describe: async () => `aria-expanded=${await row.getAttribute('aria-expanded')}; visible rows: ${JSON.stringify(await visibleRows(page))}.`,
    });
  }
  return row;
}

/** Collapse the tree row `text` (no-op if collapsed). */
export async function collapseRow(page, text, opts = {}) {
  const row = await treeRow(page, text, opts);
  if ((await row.getAttribute('aria-expanded')) === 'true') {
    await row.locator('.monaco-tl-twistie').click();
    await waitFor(async () => (await row.getAttribute('aria-expanded')) === 'false', { timeoutMs: opts.timeoutMs, expected: `tree row ${quote(String(text))} to collapse` });
  }
  return row;
}

/** Right-clicks a tree row on its label, where a person aims (not on the inline actions at its end). */
export async function rightClickLabel(row) {
  const label = row.locator('.label-name').first();
  await ((await label.count()) ? label : row).click({ button: 'right' });
}

/**
 * Right-click the tree row `rowText` and return the context-menu item labels.
 * With `click: 'Label'` the item is chosen; otherwise the menu is closed (Escape).
 * @returns {Promise<string[]>}
 */
export async function contextMenu(page, rowText, { click, timeoutMs = DEFAULT_TIMEOUT, ...rowOpts } = {}) {
  const closeMenu = async () => {
    await page.keyboard.press('Escape');
    await page.locator('.context-view .monaco-menu').first().waitFor({ state: 'hidden', timeout: timeoutMs }).catch(() => {});
  };
  const openMenu = async () => {
    const row = await treeRow(page, rowText, { timeoutMs, ...rowOpts });
    await rightClickLabel(row);
    await waitFor(async () => (await texts(page.locator('.context-view .monaco-menu .action-label'))).length > 0, {
      timeoutMs,
      expected: `a context menu for row ${quote(String(rowText))}`,
    });
    return texts(page.locator('.context-view .monaco-menu .action-label'));
  };
  let labels = await openMenu();
  if (click === undefined) {
    await closeMenu();
    return labels;
  }
  const target = page.locator('.context-view .monaco-menu .action-label').filter({ hasText: click }).first();
  // A freshly opened workbench may still be setting context keys (isWorkspaceTrusted among them) that menu
  // items depend on: a menu opened in that moment lacks them, so look again a little later before failing.
  for (let attempt = 1; !(await target.count()) && attempt <= 3; attempt++) {
    console.log(`    (the menu of ${quote(String(rowText))} lacked ${quote(click)}; looking again)`);
    await closeMenu();
    await sleep(1000);
    labels = await openMenu();
  }
  if (!(await target.count())) {
    await closeMenu();
    throw new Error(`Context menu of ${quote(String(rowText))} has no item ${quote(click)}; it has ${JSON.stringify(labels)}.`);
  }
  // Choose it by keyboard: a mouse click that lands right after the menu opened can be swallowed
  // (the menu ignores the mouse-up of the right-click that opened it), which flakes under load.
  await target.hover();
  await waitFor(() => target.evaluate((el) => el.closest('.action-item')?.classList.contains('focused')), { timeoutMs: 3000, expected: `menu item ${quote(click)} to be focused` }).catch(() => {});
  await page.keyboard.press('Enter');
  const menu = page.locator('.context-view .monaco-menu').first();
  try {
    await menu.waitFor({ state: 'hidden', timeout: 3000 });
  } catch {
    await target.click(); // still open: fall back to a click
    await menu.waitFor({ state: 'hidden', timeout: timeoutMs });
  }
  return labels;
}

// ---------------------------------------------------------------------------
// Quick input and commands

const QUICK_INPUT = '.quick-input-widget';

async function quickInputItems(page) {
  return page.$$eval(`${QUICK_INPUT} .quick-input-list .monaco-list-row`, (rows) =>
    rows.map((r) => (r.querySelector('.label-name, .monaco-highlighted-label')?.textContent ?? r.getAttribute('aria-label') ?? '').replace(/\s+/g, ' ').trim()).filter(Boolean),
  );
}

async function quickInputOpen(page) {
  const w = page.locator(QUICK_INPUT).first();
  return (await w.count()) > 0 && (await w.isVisible());
}

/** Run a command by its palette label (e.g. "ECR Deploy: Refresh") through F1. */
/** Opens the command palette (F1) with `>text` typed in; returns its input box. */
async function openPalette(page, text, timeoutMs) {
  if (await quickInputOpen(page)) {
    await page.keyboard.press('Escape');
    // Until it has closed, the open check below would see the old quick input (Go to File...) and type into it as it goes.
    await waitFor(async () => !(await quickInputOpen(page)), { timeoutMs: 5000, expected: 'the open quick input to close' }).catch(() => {});
  }
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`).first();
  await waitFor(
    async () => {
      if (!(await quickInputOpen(page))) {
        await page.locator('.monaco-workbench').first().focus().catch(() => {});
        await page.keyboard.press('F1');
        await sleep(150);
      }
      return (await quickInputOpen(page)) && (await input.isVisible());
    },
    { timeoutMs, expected: 'the command palette to open (F1)' },
  );
  await input.fill(`>${text}`);
  return input;
}

/** The commands the palette offers for `text` (once the list has stopped changing), then closes it. */
export async function paletteCommands(page, text, { timeoutMs = DEFAULT_TIMEOUT } = {}) {
  const input = await openPalette(page, text, timeoutMs);
  let previous;
  const items = await waitFor(
    async () => {
      await sleep(300);
      const now = JSON.stringify(await quickInputItems(page));
      const stable = now === previous;
      previous = now;
      return stable ? JSON.parse(now) : undefined;
    },
    { timeoutMs, expected: `the palette's list for ${quote(text)} to settle` },
  );
  await page.keyboard.press('Escape');
  // The next palette opens only once this one is gone (while it closes, its input is inert).
  await input.waitFor({ state: 'hidden', timeout: timeoutMs });
  return items;
}

export async function runCommand(page, label, { timeoutMs = DEFAULT_TIMEOUT } = {}) {
  const input = await openPalette(page, label, timeoutMs);
  const row = page.locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`);
  const index = await waitFor(
    async () => {
      const items = await quickInputItems(page);
      const i = items.findIndex((t) => t === label);
      return i >= 0 ? i + 1 : 0;
    },
    {
      timeoutMs,
      expected: `command ${quote(label)} in the command palette`,
      describe: async () => `The palette lists: ${JSON.stringify(await quickInputItems(page))}.`,
    },
  );
  if (index === 1) await input.press('Enter');
  else await row.nth(index - 1).click();
  await waitFor(async () => !(await input.isVisible()) || (await input.inputValue()) !== `>${label}`, {
    timeoutMs,
    expected: `the command palette to run ${quote(label)}`,
  });
}

/**
 * Choose `text` in the open quick pick (exact label, else the only row containing it).
 * Types `text` into the filter box unless `filter: false`.
 */
export async function quickPick(page, text, { filter = true, timeoutMs = DEFAULT_TIMEOUT } = {}) {
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`).first();
  await waitFor(() => quickInputOpen(page), { timeoutMs, expected: `a quick pick to choose ${quote(text)} from` });
  if (filter && (await input.isVisible())) await input.fill(text);
  const rows = page.locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`);
  const index = await waitFor(
    async () => {
      const items = await quickInputItems(page);
      let i = items.findIndex((t) => t === text);
      if (i < 0) {
        const partial = items.map((t, j) => (t.includes(text) ? j : -1)).filter((j) => j >= 0);
        if (partial.length === 1) i = partial[0];
      }
      return i >= 0 ? i + 1 : 0;
    },
    {
      timeoutMs,
      expected: `quick-pick item ${quote(text)}`,
      describe: async () => `Title ${quote(await quickInputTitle(page))}; items: ${JSON.stringify(await quickInputItems(page))}.`,
    },
  );
  await rows.nth(index - 1).click();
}

/** Type `text` into the open input box (showInputBox) and press Enter. */
export async function typeInput(page, text, { timeoutMs = DEFAULT_TIMEOUT } = {}) {
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`).first();
  await waitFor(async () => (await quickInputOpen(page)) && (await input.isVisible()), { timeoutMs, expected: 'an input box' });
  await input.fill(text);
  await input.press('Enter');
}

async function quickInputTitle(page) {
  const parts = await texts(page.locator(`${QUICK_INPUT} .quick-input-title, ${QUICK_INPUT} .quick-input-box input`));
  const placeholder = await page.locator(`${QUICK_INPUT} .quick-input-box input`).first().getAttribute('placeholder').catch(() => null);
  return [...parts, placeholder].filter(Boolean).join(' / ');
}

// ---------------------------------------------------------------------------
// Output, problems, notifications, dialogs

/**
 * Text of the output channel `channelName` (as lines). The output view virtualises lines,
 * so it scrolls through the whole channel and collects them in order.
 * @returns {Promise<string[]>}
 */
export async function readOutputChannel(page, channelName, { timeoutMs = DEFAULT_TIMEOUT } = {}) {
  await runCommand(page, 'Output: Focus on Output View', { timeoutMs });
  const select = page.locator('.part.panel select').first();
  await waitFor(
    async () => {
      if (!(await select.count())) return false;
      const options = await select.locator('option').allTextContents();
      return options.includes(channelName);
    },
    {
      timeoutMs,
      expected: `output channel ${quote(channelName)}`,
      describe: async () => `Channels: ${JSON.stringify(await select.locator('option').allTextContents().catch(() => []))}.`,
    },
  );
  if ((await select.evaluate((s) => s.options[s.selectedIndex]?.text)) !== channelName) await select.selectOption({ label: channelName });
  const view = page.locator('.part.panel .output-view, .part.panel .monaco-editor').first();
  await view.waitFor({ state: 'visible', timeout: timeoutMs });

  const collect = async (into) =>
    page.$$eval('.part.panel .output-view .view-lines .view-line, .part.panel .monaco-editor .view-lines .view-line', (lines) =>
      lines.map((l) => [parseFloat(l.style.top) || 0, l.textContent.replace(/\u00a0/g, ' ')]),
    ).then((pairs) => {
      for (const [top, text] of pairs) into.set(top, text);
      return pairs.length;
    });

  // Let the channel's content render, then page through it from the top with the keyboard
  // (the output editor only renders the visible lines; style.top is each line's absolute offset).
  await sleep(300);
  const byTop = new Map();
  // Focus the editor by clicking inside its visible box (.view-lines itself is scrolled off-screen).
  const editor = page.locator('.part.panel .output-view .monaco-editor .overflow-guard, .part.panel .monaco-editor .overflow-guard').first();
  await editor.click({ timeout: timeoutMs });
  await page.keyboard.press('Control+Home');
  await sleep(100);
  let unchanged = 0;
  for (let i = 0; i < 2000 && unchanged < 3; i++) {
    const before = byTop.size;
    await collect(byTop);
    unchanged = byTop.size === before ? unchanged + 1 : 0;
    await page.keyboard.press('PageDown');
    await sleep(60);
  }
  const lines = [...byTop.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t);
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Counts from the status-bar Problems item.
 * @returns {Promise<{errors: number, warnings: number, infos: number, label: string}>}
 */
export async function problemsCounts(page, { timeoutMs = DEFAULT_TIMEOUT } = {}) {
  const item = page.locator('[id="status.problems"]').first();
  await waitFor(async () => (await item.count()) > 0, { timeoutMs, expected: 'the Problems item in the status bar' });
  const label = (await item.getAttribute('aria-label')) || (await item.locator('[aria-label]').first().getAttribute('aria-label').catch(() => '')) || (await item.innerText());
  const num = (re) => Number(re.exec(label)?.[1] ?? 0);
  return { errors: num(/Errors?:\s*(\d+)/i), warnings: num(/Warnings?:\s*(\d+)/i), infos: num(/Infos?:\s*(\d+)/i), label };
}

/** Messages of the visible notification toasts (or all in the center with `all: true`). */
export async function notifications(page) {
  return texts(page.locator('.notification-toast-container .notification-list-item-message, .notifications-center .notification-list-item-message'));
}

/** Wait for a notification containing `text`; returns its full message. */
export async function waitForNotification(page, text, { timeoutMs = DEFAULT_TIMEOUT } = {}) {
  return waitFor(async () => (await notifications(page)).find((m) => m.includes(text)), {
    timeoutMs,
    expected: `a notification containing ${quote(text)}`,
    describe: async () => `Notifications: ${JSON.stringify(await notifications(page))}.`,
  });
}

/**
 * The notification toast whose message contains `text`, once it shows: its message, its buttons (the actions
 * a person can click) and a click on one of them by label.
 * @returns {Promise<{message: string, buttons: string[], click: (label: string) => Promise<void>}>}
 */
export async function notificationToast(page, text, { timeoutMs = DEFAULT_TIMEOUT } = {}) {
  const item = page.locator('.notification-toast-container .notification-list-item').filter({ has: page.locator('.notification-list-item-message', { hasText: text }) }).first();
  await waitFor(async () => (await item.count()) && (await item.isVisible()), {
    timeoutMs,
    expected: `a notification toast containing ${quote(text)}`,
    describe: async () => `Notifications: ${JSON.stringify(await notifications(page))}.`,
  });
  const message = (await texts(item.locator('.notification-list-item-message'))).join('\n');
  const buttons = await texts(item.locator('.notification-list-item-buttons-container .monaco-button'));
  return {
    message,
    buttons,
    click: async (label) => {
      const b = item.locator('.notification-list-item-buttons-container .monaco-button').filter({ hasText: label }).first();
      if (!(await b.count())) throw new Error(`Notification ${quote(message)} has no button ${quote(label)}; it has ${JSON.stringify(buttons)}.`);
      await b.click();
    },
  };
}

/**
 * Click an action in the active editor's title bar by the start of its label (its command's title), once it shows.
 */
export async function editorTitleAction(page, label, { timeoutMs = DEFAULT_TIMEOUT } = {}) {
  const action = page.locator(`.editor-group-container.active .editor-actions .action-item a.action-label[aria-label^=${JSON.stringify(label)}]`).first();
  await waitFor(async () => (await action.count()) && (await action.isVisible()), { timeoutMs, expected: `the editor title action ${quote(label)}` });
  await action.click();
}

/**
 * The open in-page modal dialog (needs window.dialogStyle "custom", a default of startCodeServer).
 * @returns {Promise<{message: string, detail: string, buttons: string[], click: (label: string) => Promise<void>}>}
 */
export async function dialog(page, { timeoutMs = DEFAULT_TIMEOUT } = {}) {
  const box = page.locator('.monaco-dialog-box').first();
  await box.waitFor({ state: 'visible', timeout: timeoutMs }).catch(() => {
    throw new Error(`Expected a modal dialog (.monaco-dialog-box) within ${timeoutMs / 1000} s; none is open.`);
  });
  const message = (await texts(box.locator('.dialog-message-text'))).join('\n');
  const detail = (await texts(box.locator('.dialog-message-detail'))).join('\n');
  const buttons = await texts(box.locator('.dialog-buttons .monaco-button'));
  return {
    message,
    detail,
    buttons,
    click: async (label) => {
      const b = box.locator('.dialog-buttons .monaco-button').filter({ hasText: label }).first();
      if (!(await b.count())) throw new Error(`Dialog ${quote(message)} has no button ${quote(label)}; it has ${JSON.stringify(buttons)}.`);
      await b.click();
    },
  };
}

/**
 * Wait (best effort, never throws) until the workbench looks idle: no active progress bars and no
 * "Activating Extensions..." in the status bar. Returns true if it became idle in time.
 */
export async function waitForIdle(page, { timeoutMs = 5000 } = {}) {
  try {
    await waitFor(
      () =>
        page.evaluate(() => {
          const busy = [...document.querySelectorAll('.monaco-progress-container.active')].some((el) => el.offsetParent !== null);
          const status = document.querySelector('.part.statusbar')?.textContent ?? '';
          return !busy && !/Activating Extensions/i.test(status);
        }),
      { timeoutMs, intervalMs: 150, expected: 'the workbench to be idle' },
    );
    return true;
  } catch {
    return false;
  }
}

/**
 * Save a PNG of the page (or of `locator`), creating the folder; first waits (up to idleTimeoutMs,
 * best effort) for the workbench to be idle. Returns the absolute path.
 */
export async function screenshot(page, file, { locator, fullPage = false, settleMs = 300, idleTimeoutMs = 5000 } = {}) {
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  // Let progress bars, hovers and animations settle.
  await page.mouse.move(0, 0).catch(() => {});
  if (idleTimeoutMs > 0) await waitForIdle(page, { timeoutMs: idleTimeoutMs });
  await sleep(settleMs);
  if (locator) await locator.screenshot({ path, animations: 'disabled' });
  else await page.screenshot({ path, fullPage, animations: 'disabled' });
  return path;
}
