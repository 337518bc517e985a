// The first thing a user does: open the ECR Deploy view and see their registry and services.
import * as assert from 'node:assert/strict';
import { expandRow, openActivityView, treeRow, waitFor } from '../../../../scripts/lib/workbench.mjs';

export const title = 'the ECR Deploy view lists the seeded repository, cluster and service; the status bar shows profile · region';

export async function run({ page, shot }) {
  await openActivityView(page, 'ECR Deploy');
  await treeRow(page, 'quilt-mcp-server', { timeoutMs: 30_000 });
  await expandRow(page, 'sales-prod', { timeoutMs: 30_000 });
  await treeRow(page, 'sales-prod-mcp-server-production');

  const status = page.locator('[id="ecr-deploy.ecr-deploy.ecrDeploy.connection"], .statusbar-item:has-text("default · us-east-1")').first();
  const text = await waitFor(async () => ((await status.count()) ? (await status.innerText()).trim() : ''), { expected: 'the connection status-bar item' });
  assert.match(text, /default · us-east-1/);
  await shot('repositories');
}
