// The first thing a user does: open the ECR Deploy view and see their registry and services.
import * as assert from 'node:assert/strict';
import { expandRow, openActivityView, treeRow, waitFor } from '../../../../scripts/lib/workbench.mjs';

export const title = 'the ECR Deploy view lists the seeded repository with its tags, the cluster and the service with the tag it runs; the status bar shows profile · region; Enter on a tag opens its details with the service that runs it';

export async function run({ page, shot }) {
  await openActivityView(page, 'ECR Deploy');
  await expandRow(page, 'quilt-mcp-server', { timeoutMs: 30_000 });
  await treeRow(page, 'latest, v1.0.0', { timeoutMs: 30_000 });
  await expandRow(page, 'sales-prod', { timeoutMs: 30_000 });
  // The service row names the tag its primary container runs, once the task definition is read.
  const service = await treeRow(page, 'sales-prod-mcp-server-production');
  await waitFor(async () => (await service.innerText()).includes('v1.0.0'), { expected: 'the service row to show the v1.0.0 tag it runs' });

  const status = page.locator('[id="ecr-deploy.ecr-deploy.ecrDeploy.connection"], .statusbar-item:has-text("default · us-east-1")').first();
  const text = await waitFor(async () => ((await status.count()) ? (await status.innerText()).trim() : ''), { expected: 'the connection status-bar item' });
  assert.match(text, /default · us-east-1/);
  await shot('repositories');

  // Enter on the focused tag opens its details page, rendered, with the service found to run it.
  await (await treeRow(page, 'latest, v1.0.0')).click();
  await page.keyboard.press('Enter');
  const preview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  await waitFor(async () => {
    const body = await preview.locator('body').innerText({ timeout: 2000 }).catch(() => '');
    return body.includes('Deployed to') && body.includes('sales-prod-mcp-server-production') ? true : undefined;
  }, { timeoutMs: 30_000, expected: 'the details page listing sales-prod-mcp-server-production under Deployed to' });
  await shot('image-details');
}
