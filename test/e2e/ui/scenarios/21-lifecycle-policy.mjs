// Editing a lifecycle policy as JSON: the contributed schema flags mistakes while typing, a policy ECR
// would refuse is not saved, a good one is saved with PutLifecyclePolicy; then the preview lists what it
// would expire (moto has no preview API, so ECR Deploy's evaluator answers and the report says so).
import * as assert from 'node:assert/strict';
import { GetLifecyclePolicyCommand, PutLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import { openActivityView, problemsCounts, runCommand, treeRow, waitFor, waitForNotification } from '../../../../scripts/lib/workbench.mjs';
import { chooseInContextMenu, ecrClient, editorText, replaceEditorText, setUserSetting } from '../explorerHelpers.mjs';
import reference from '../../../../out/test/support/referenceWorld.js';

export const title = 'lifecycle policy: edited as JSON with schema validation, refused when invalid, saved when valid, previewed';

const FILE = 'quilt-mcp-server.lifecycle-policy.json';

export async function run({ page, world, server, shot }) {
  // See 20-explorer-menus: the endpoint in the remote settings, so it is in effect from the start.
  setUserSetting(server, 'ecrDeploy.endpointUrl', world.moto.endpoint);
  const ecr = ecrClient(world.moto.endpoint);
  try {
    await openActivityView(page, 'ECR Deploy');
    await treeRow(page, 'quilt-mcp-server', { timeoutMs: 30_000 });
    await chooseInContextMenu(page, 'quilt-mcp-server', 'Edit Lifecycle Policy');
    const tab = page.locator(`.tabs-container .tab:has-text("${FILE}")`).first();
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    await waitFor(async () => (await editorText(page)).includes('Expire pr- images'), { expected: 'the policy text in the editor' });

    const broken = structuredClone(reference.REFERENCE_LIFECYCLE_POLICY);
    broken.rules[2].selection.countUnit = 'weeks';
    broken.rules[1].rulePriority = 1;
    await replaceEditorText(page, broken);
    // The JSON schema reports "weeks" (a warning, as VS Code shows schema problems); the duplicate priority is ECR Deploy's error.
    const counts = await waitFor(async () => {
      const c = await problemsCounts(page);
      return c.errors >= 1 && c.warnings >= 1 ? c : undefined;
    }, { timeoutMs: 30_000, expected: 'a schema warning and a rule error in the Problems count' });
    assert.ok(counts.errors >= 1 && counts.warnings >= 1, counts.label);
    // F8 opens the problem under the text, as a person would look at it.
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('F8');
    await page.locator('.marker-widget').first().waitFor({ state: 'visible', timeout: 10_000 });
    // The editor repaints its lines after the problem widget opens: wait for the text before the picture.
    await waitFor(async () => (await editorText(page)).includes('"rulePriority"'), { expected: 'the policy text around the problem' });
    await shot('lifecycle-policy-validation', { idleTimeoutMs: 0 });

    await page.keyboard.press('Control+S');
    const refused = await waitForNotification(page, 'countUnit: must be "days"');
    assert.match(refused, /Not saved: .*rulePriority: 1 is already used/s);
    const stored = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'quilt-mcp-server' }));
    assert.deepEqual(JSON.parse(stored.lifecyclePolicyText), reference.REFERENCE_LIFECYCLE_POLICY, 'the refused policy never reached ECR');

    const fixed = structuredClone(reference.REFERENCE_LIFECYCLE_POLICY);
    fixed.rules[2].selection.countNumber = 5;
    fixed.rules[2].description = 'Expire pr- images older than 5 days';
    await replaceEditorText(page, fixed);
    await page.keyboard.press('Control+S');
    await waitFor(async () => !(await tab.getAttribute('class')).includes('dirty'), { timeoutMs: 20_000, expected: 'the editor to be saved' });
    const saved = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'quilt-mcp-server' }));
    assert.deepEqual(JSON.parse(saved.lifecyclePolicyText), fixed);

    // A draft that keeps only the newest three images: the preview reads the editor, saved or not.
    const draft = structuredClone(fixed);
    draft.rules.push({ rulePriority: 10, description: 'Keep the newest 3 images', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 3 }, action: { type: 'expire' } });
    await replaceEditorText(page, draft);
    await runCommand(page, 'ECR Deploy: Preview Lifecycle Policy');
    await waitFor(async () => (await page.locator('.tabs-container .tab:has-text("lifecycle preview")').count()) > 0, { timeoutMs: 30_000, expected: 'the preview report' });
    // The report is rendered (VS Code's Markdown preview, beside the draft): its words, and its table's cells.
    const preview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const report = await waitFor(async () => {
      const text = (await preview.locator('body').innerText({ timeout: 2000 }).catch(() => '')).replace(/\s+/g, ' ');
      return text.includes('would expire') ? text : undefined;
    }, { expected: 'the rendered report' });
    // 9 images: the reference world's and the Build and Push one, plus the rollout world's v1.1.0 and v1.2.0-broken.
    assert.match(report, /evaluated by ECR Deploy over 9 images, because the endpoint answered the preview API with HTTP 500/);
    // pr-123 is selected by the higher-priority pr- rule, so the count rule cannot expire it: 5 of the 6 beyond the newest 3.
    assert.equal(await preview.locator('strong', { hasText: '5 images would expire' }).count(), 1);
    const tagCells = await preview.locator('table tbody tr td:nth-child(3)').allInnerTexts();
    assert.equal(tagCells.length, 5, tagCells.join(' | '));
    assert.ok(!tagCells.includes('pr-123'), tagCells.join(' | '));
    assert.match(report, /10 Keep the newest 3 images/);
    await shot('lifecycle-policy-preview', { idleTimeoutMs: 0 });
    await runCommand(page, 'View: Close All Editors');
    const discard = page.locator('.monaco-dialog-box .dialog-buttons .monaco-button').filter({ hasText: /Don't Save/ }).first();
    if (await discard.isVisible().catch(() => false)) await discard.click();
  } finally {
    await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'quilt-mcp-server', lifecyclePolicyText: JSON.stringify(reference.REFERENCE_LIFECYCLE_POLICY) })).catch(() => undefined);
    ecr.destroy();
  }
}
