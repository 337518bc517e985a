// Build and Push as a user runs it: "Tasks: Run Task" lists the ecr-deploy task for the workspace
// Dockerfile, it runs in a terminal that shows the build output, and the pushed digest is announced.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { notificationToast, quickPick, runCommand, waitFor, waitForNotification } from '../../../../scripts/lib/workbench.mjs';

export const title = 'Run Task lists Build and Push for the Dockerfile; its terminal shows the build, the push and the digest';

const TASK = 'Build and Push Dockerfile to quilt-mcp-server:dev';

/** The visible rows of the terminal panel (xterm's DOM renderer). */
async function terminalRows(page) {
  return page.$$eval('.part.panel .terminal-wrapper .xterm-rows > div', (rows) => rows.map((r) => r.textContent.replace(/\u00a0/g, ' ').trimEnd()));
}

/** Every row seen so far, in order of first appearance: the terminal shows only its last screenful. */
function transcript() {
  const seen = new Set();
  return {
    async add(page) {
      for (const row of await terminalRows(page)) if (row.trim()) seen.add(row);
      return [...seen].join('\n');
    },
  };
}

/** The terminal draws into a canvas unless GPU acceleration is off; off, its rows are DOM text to read. */
function terminalAsText(server) {
  const file = join(server.userDataDir, 'User', 'settings.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), 'terminal.integrated.gpuAcceleration': 'off' }, null, 2));
}

export async function run({ page, server, shot }) {
  terminalAsText(server);
  // Run Task does nothing until the workbench has reconnected to its terminal host: try until it opens.
  await waitFor(
    async () => {
      await runCommand(page, 'Tasks: Run Task');
      await sleep(1500);
      return (await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').allInnerTexts()).some((t) => t.includes('ecr-deploy'));
    },
    { timeoutMs: 90_000, intervalMs: 2000, expected: 'Run Task to list the ecr-deploy task type' },
  );
  // Contributed tasks are grouped by type: the ecr-deploy group, then its tasks.
  await quickPick(page, 'ecr-deploy', { filter: false, timeoutMs: 30_000 });
  await waitFor(async () => (await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').allInnerTexts()).some((t) => t.includes(TASK)), {
    timeoutMs: 30_000,
    expected: `the task ${JSON.stringify(TASK)} in Run Task`,
  });
  await shot('run-task');
  await quickPick(page, TASK, { filter: false });

  await waitFor(async () => (await terminalRows(page)).length > 0, { timeoutMs: 30_000, expected: 'the task terminal' });
  await runCommand(page, 'View: Toggle Maximized Panel');
  const seen = transcript();
  const text = await waitFor(
    async () => {
      const t = await seen.add(page);
      return /Pushed quilt-mcp-server:dev/.test(t) || /failed:/.test(t) ? t : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 50, expected: 'the build and push to finish in the terminal', describe: async () => `Terminal showed:\n${(await seen.add(page)).slice(-1500)}` },
  );
  assert.match(text, /\$ docker login --username AWS --password-stdin 127\.0\.0\.1:\d+/);
  assert.match(text, /\$ docker build --platform linux\/amd64 -t 127\.0\.0\.1:\d+\/quilt-mcp-server:dev -f Dockerfile \./);
  assert.match(text, /Step 2\/2 : RUN echo hello > \/hello/, 'the build output is in the terminal');
  assert.match(text, /Digest: sha256:[0-9a-f]{64}/);
  assert.doesNotMatch(text, /failed:/);
  await waitForNotification(page, 'Pushed quilt-mcp-server:dev', { timeoutMs: 30_000 });
  await shot('build-and-push');

  // The next step is one click away: Deploy... asks where to deploy the image just pushed.
  const pushed = await notificationToast(page, 'Pushed quilt-mcp-server:dev', { timeoutMs: 10_000 });
  assert.deepEqual(pushed.buttons, ['Deploy...', 'Copy Digest']);
  await pushed.click('Deploy...');
  const title = await waitFor(async () => {
    const t = await page.locator('.quick-input-widget .quick-input-title').first().innerText().catch(() => '');
    return t.includes('Deploy quilt-mcp-server:dev') ? t : undefined;
  }, { timeoutMs: 30_000, expected: 'the service picker titled "Deploy quilt-mcp-server:dev"' });
  assert.match(title, /Deploy quilt-mcp-server:dev/);
  await page.keyboard.press('Escape');
}
