// Edit Repository Policy in the browser workbench: a repository without a policy asks for the role (typed here,
// checked as a role ARN), starts from the pull-only template, saves it with SetRepositoryPolicy; a statement open
// to anyone and a bad Effect are marked while typing, and the save is refused with the reason, nothing sent.
import * as assert from 'node:assert/strict';
import { DeleteRepositoryPolicyCommand, GetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { openActivityView, problemsCounts, runCommand, treeRow, typeInput, waitFor, waitForNotification } from '../../../../scripts/lib/workbench.mjs';
import { chooseInContextMenu, ecrClient, editorText, replaceEditorText, setUserSetting } from '../explorerHelpers.mjs';

export const title = 'repository policy: pull-only template for a typed role, saved; a public statement and a bad Effect marked, the save refused';

const FILE = 'quilt-mcp-server.repository-policy.json';
const ROLE = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole';

export async function run({ page, world, server, shot }) {
  setUserSetting(server, 'ecrDeploy.endpointUrl', world.moto.endpoint);
  const ecr = ecrClient(world.moto.endpoint);
  try {
    await ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: 'quilt-mcp-server' })).catch(() => undefined);
    await openActivityView(page, 'ECR Deploy');
    await treeRow(page, 'quilt-mcp-server', { timeoutMs: 30_000 });
    // A trusted workspace's menus: the workbench learns the folder is trusted a moment after it loads.
    await waitFor(() => chooseInContextMenu(page, 'quilt-mcp-server', 'Edit Repository Policy').then(() => true, () => undefined), {
      timeoutMs: 60_000,
      intervalMs: 1000,
      expected: 'Edit Repository Policy in the repository context menu',
    });
    await typeInput(page, ROLE);
    const tab = page.locator(`.tabs-container .tab:has-text("${FILE}")`).first();
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    await waitFor(async () => (await editorText(page)).includes('ecr:GetDownloadUrlForLayer'), { expected: 'the pull-only template in the editor' });
    // The web workbench auto-saves (on by default there): Ctrl+S as a person would, then read what ECR holds.
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+S');
    await waitFor(async () => !(await tab.getAttribute('class')).includes('dirty'), { timeoutMs: 20_000, expected: 'the editor to be saved' });
    const saved = await waitFor(async () => {
      const out = await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'quilt-mcp-server' })).catch(() => undefined);
      return out?.policyText ? JSON.parse(out.policyText) : undefined;
    }, { timeoutMs: 20_000, expected: 'the policy in ECR' });
    assert.equal(saved.Statement[0].Principal.AWS, ROLE);

    const bad = structuredClone(saved);
    bad.Statement[0].Effect = 'Permit';
    bad.Statement.push({ Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' });
    await replaceEditorText(page, bad);
    const counts = await waitFor(async () => {
      const c = await problemsCounts(page);
      return c.errors >= 2 ? c : undefined;
    }, { timeoutMs: 30_000, expected: 'the grammar error and the public-policy error in the Problems count' });
    assert.ok(counts.errors >= 2, counts.label);
    await runCommand(page, 'View: Toggle Problems');
    await waitFor(async () => (await page.locator('.markers-panel').innerText().catch(() => '')).includes('repository/public-policy'), { timeoutMs: 20_000, expected: 'repository/public-policy in the Problems panel' });
    await shot('repository-policy-problems', { idleTimeoutMs: 0 });

    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+S');
    const refused = await waitForNotification(page, 'Not saved');
    assert.match(refused, /Statement\[0\]\.Effect must be "Allow" or "Deny"/);
    const stored = JSON.parse((await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'quilt-mcp-server' }))).policyText);
    assert.deepEqual(stored, saved, 'the refused policy never reached ECR');
    await runCommand(page, 'View: Close All Editors');
    const discard = page.locator('.monaco-dialog-box .dialog-buttons .monaco-button').filter({ hasText: /Don't Save/ }).first();
    if (await discard.isVisible().catch(() => false)) await discard.click();
  } finally {
    await ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: 'quilt-mcp-server' })).catch(() => undefined);
    ecr.destroy();
  }
}
