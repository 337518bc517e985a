// Restricted Mode, as VS Code opens a folder nobody has trusted yet: ECR Deploy still browses (registry,
// tags, services, their read-only commands), but nothing builds, pushes, deploys or rolls back. The menus
// leave those commands out, and the palette's Build and Push explains instead of running. The folder's own
// settings name an endpoint that answers nothing: Restricted Mode ignores it, so the views still read moto.
// This scenario starts its own code-server with workspace trust on; every other one runs with trust disabled.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  contextMenu,
  expandRow,
  openActivityView,
  openWorkbench,
  paletteCommands,
  quickPick,
  runCommand,
  screenshot,
  startCodeServer,
  treeRow,
  waitFor,
  waitForNotification,
} from '../../../../scripts/lib/workbench.mjs';
import referenceWorld from '../../../../out/test/support/referenceWorld.js';

const { REFERENCE } = referenceWorld;
const ROOT = new URL('../../../..', import.meta.url).pathname;
const TAG = 'jwt-auth-v1.0.0';

export const title = 'in Restricted Mode the views browse, but nothing builds, pushes, deploys or rolls back: menus leave it out, the palette explains';

/** Gives the folder a settings.json of its own for the duration of `work`, then puts back what was there. */
async function withWorkspaceSettings(folder, settings, work) {
  const file = join(folder, '.vscode', 'settings.json');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  mkdirSync(join(folder, '.vscode'), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...(before ? JSON.parse(before) : {}), ...settings }, null, 2));
  try {
    return await work();
  } finally {
    if (before === undefined) rmSync(file);
    else writeFileSync(file, before);
  }
}

export async function run({ world, screenshotFile }) {
  // Port 9 (discard) answers nothing: had the folder's endpoint been used, every view would show an error row.
  await withWorkspaceSettings(world.workspace, { 'ecrDeploy.endpointUrl': 'http://127.0.0.1:9' }, () => restricted(world, screenshotFile));
}

async function restricted(world, screenshotFile) {
  const server = await startCodeServer({ vsixPath: join(ROOT, 'dist', 'ecr-deploy.vsix'), userSettings: world.settings, env: world.env, workspaceFolder: world.workspace, workspaceTrust: true });
  const { page, close } = await openWorkbench(server.url);
  try {
    const restricted = page.locator('.statusbar-item').filter({ hasText: 'Restricted Mode' }).first();
    await waitFor(async () => (await restricted.count()) && (await restricted.isVisible()), { expected: 'the Restricted Mode status-bar item' });

    // Browsing works, against the user's endpoint: the registry, the repository's tags and the service are all there.
    await openActivityView(page, 'ECR Deploy');
    await expandRow(page, REFERENCE.repository, { timeoutMs: 30_000 });
    await treeRow(page, TAG, { timeoutMs: 30_000 });
    const tagMenu = await contextMenu(page, TAG);
    assert.ok(tagMenu.includes('Copy Image URI'), `the tag keeps its read-only commands: ${JSON.stringify(tagMenu)}`);
    assert.ok(!tagMenu.includes('Deploy to Service...'), `no Deploy on a tag: ${JSON.stringify(tagMenu)}`);
    const repositoryMenu = await contextMenu(page, REFERENCE.repository);
    assert.ok(!repositoryMenu.includes('Build and Push...'), `no Build and Push on a repository: ${JSON.stringify(repositoryMenu)}`);
    await expandRow(page, REFERENCE.cluster, { timeoutMs: 30_000 });
    const serviceMenu = await contextMenu(page, REFERENCE.service, { timeoutMs: 30_000 });
    assert.ok(serviceMenu.includes('Validate Deployment') && serviceMenu.includes('Tail Logs'), `the service keeps what only reads: ${JSON.stringify(serviceMenu)}`);
    for (const denied of ['Deploy Image...', 'Roll Back...']) assert.ok(!serviceMenu.includes(denied), `no ${denied} on a service: ${JSON.stringify(serviceMenu)}`);
    assert.ok(serviceMenu.includes('Diagnose Service'), `Diagnose Service only reads, so it stays: ${JSON.stringify(serviceMenu)}`);

    // The palette offers no deploy or rollback; Build and Push says why it will not run, and nothing starts.
    // (The palette shows only the rows that fit, so each question names what it looks for.)
    const validate = await paletteCommands(page, 'ECR Deploy: Validate');
    assert.ok(validate.includes('ECR Deploy: Validate Deployment'), `the palette offers what only reads: ${JSON.stringify(validate)}`);
    for (const [typed, denied] of [['ECR Deploy: Deploy', 'ECR Deploy: Deploy to Service...'], ['ECR Deploy: Deploy', 'ECR Deploy: Deploy Image...'], ['ECR Deploy: Roll', 'ECR Deploy: Roll Back...']]) {
      const offered = await paletteCommands(page, typed);
      assert.ok(!offered.includes(denied), `the palette does not offer ${denied}: ${JSON.stringify(offered)}`);
    }
    await runCommand(page, 'ECR Deploy: Build and Push...');
    const explanation = await waitForNotification(page, 'Building and pushing are disabled in an untrusted workspace');
    assert.match(explanation, /Trust the workspace to build/);
    assert.equal(await page.locator('.terminal-wrapper').count(), 0, 'no terminal was started');

    // Its own page, so not ctx.shot; the file goes where the run puts screenshots (media/ only with --screenshots).
    await screenshot(page, screenshotFile('untrusted-workspace'));

    // Diagnose Service runs here too: it only reads.
    await runCommand(page, 'ECR Deploy: Diagnose Service');
    await quickPick(page, REFERENCE.cluster, { timeoutMs: 30_000 });
    await quickPick(page, REFERENCE.service, { timeoutMs: 30_000 });
    const report = await waitFor(async () => {
      for (const frame of page.frames()) {
        try {
          if ((await frame.locator('section.check').count()) === 7) return frame;
        } catch {
          // A frame that went away while we looked.
        }
      }
      return undefined;
    }, { timeoutMs: 60_000, expected: 'the Diagnose Service report in Restricted Mode' });
    assert.match(await report.locator('.summary').innerText(), /\d+ ok/);
  } finally {
    await close();
    await server.stop();
  }
}
