// Helpers of the explorer's UI scenarios: change a user setting of the running code-server, read a
// tree row's description, and seed a repository with scanned images.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CreateRepositoryCommand, ECRClient, PutImageCommand, StartImageScanCommand } from '@aws-sdk/client-ecr';
import { dialog, rightClickLabel, runCommand, treeRow, waitFor, visibleRows } from '../../../scripts/lib/workbench.mjs';
import shim from '../../../out/test/support/scanSummaryShim.js';
import world from '../../../out/test/support/referenceWorld.js';

/**
 * Writes a setting into the running server's remote (machine) settings.json, as a person editing
 * "Remote Settings" would: a machine-overridable setting changed in the browser-side user settings is
 * not re-read by the remote extension host.
 */
export function setUserSetting(server, name, value) {
  const file = join(server.userDataDir, 'Machine', 'settings.json');
  mkdirSync(dirname(file), { recursive: true });
  const settings = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8') || '{}') : {};
  if (value === undefined) delete settings[name];
  else settings[name] = value;
  writeFileSync(file, JSON.stringify(settings, null, 2));
}

/** The description shown beside the tree row labelled `label`, once it matches `pattern`. */
export async function rowDescription(page, label, pattern, { timeoutMs = 30_000 } = {}) {
  return waitFor(
    async () => {
      const description = await page.$$eval(
        '.monaco-workbench .monaco-list-row',
        (rows, wanted) => {
          const row = rows.find((r) => r.offsetParent !== null && (r.querySelector('.label-name')?.textContent ?? '').trim() === wanted);
          return row ? (row.querySelector('.label-description')?.textContent ?? '').trim() : null;
        },
        label,
      );
      return description !== null && pattern.test(description) ? description : undefined;
    },
    { timeoutMs, expected: `row ${JSON.stringify(label)} described as ${pattern}`, describe: async () => `Visible rows: ${JSON.stringify(await visibleRows(page))}.` },
  );
}

export function ecrClient(endpoint) {
  return new ECRClient({ region: 'us-east-1', endpoint, maxAttempts: 1, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
}

/** A repository whose images carry scan results in moto, shown through the scan-summary shim. */
export async function seedScannedRepository(motoEndpoint, repositoryName) {
  const ecr = ecrClient(motoEndpoint);
  try {
    await ecr.send(new CreateRepositoryCommand({ repositoryName, imageScanningConfiguration: { scanOnPush: true } }));
    for (const tag of ['v2.0.0', 'v1.9.0', 'pr-7']) {
      await ecr.send(new PutImageCommand({ repositoryName, imageManifest: world.fakeManifest(`${repositoryName}-${tag}`), imageTag: tag }));
    }
    await shim.injectScanFindings(motoEndpoint, 'us-east-1', [
      shim.scanFindingsResult(repositoryName, 'v2.0.0', { CRITICAL: 2, HIGH: 5, LOW: 3 }),
      shim.scanFindingsResult(repositoryName, 'v1.9.0', { MEDIUM: 1 }),
    ]);
    for (const imageTag of ['v2.0.0', 'v1.9.0']) await ecr.send(new StartImageScanCommand({ repositoryName, imageId: { imageTag } }));
  } finally {
    ecr.destroy();
  }
  return shim.startScanSummaryShim(motoEndpoint);
}

/** Drags the side bar's edge to the right, as a person makes room for long rows. */
export async function widenSideBar(page, pixels) {
  const box = await page.locator('.part.sidebar').first().boundingBox();
  if (!box) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width + 1 + pixels, y, { steps: 8 });
  await page.mouse.up();
}

/**
 * Chooses `label` in the context menu of tree row `rowText` with the mouse, once the menu settled (a
 * click right after it opens can be swallowed), clicking again while the menu stays open.
 */
export async function chooseInContextMenu(page, rowText, label) {
  const row = await treeRow(page, rowText);
  await rightClickLabel(row);
  const menu = page.locator('.context-view .monaco-menu').first();
  await menu.waitFor({ state: 'visible', timeout: 15_000 });
  const item = menu.locator('.action-label').filter({ hasText: label }).first();
  if (!(await item.count())) {
    const labels = await menu.locator('.action-label').allInnerTexts();
    await page.keyboard.press('Escape');
    throw new Error(`The context menu of ${JSON.stringify(String(rowText))} has no ${JSON.stringify(label)}: ${JSON.stringify(labels)}`);
  }
  await page.waitForTimeout(400);
  await item.hover();
  for (let attempt = 0; attempt < 3 && (await menu.isVisible().catch(() => false)); attempt++) {
    await item.click({ timeout: 5000 }).catch(() => {});
    await menu.waitFor({ state: 'hidden', timeout: 3000 }).catch(() => {});
  }
}

/** Chooses a menu item that asks for confirmation, and returns the dialog. */
export async function confirmationFromMenu(page, rowText, label) {
  await chooseInContextMenu(page, rowText, label);
  return dialog(page);
}

/** The visible text of the editors (monaco renders spaces as no-break spaces). */
export async function editorText(page) {
  return (await page.locator('.editor-instance .view-lines').allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
}

/** Replaces a JSON document like a paste of one line (the editor adds no brackets or indentation), then formats it. */
export async function replaceEditorText(page, value) {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(JSON.stringify(value));
  // Brackets the editor closed on its own while the text went in end up after the cursor.
  await page.keyboard.press('Control+Shift+End');
  await page.keyboard.press('Delete');
  await runCommand(page, 'Format Document');
}
