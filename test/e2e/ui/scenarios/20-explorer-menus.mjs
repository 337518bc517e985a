// The explorer as a person meets it: image rows with their scan summary and tag-kind icons, a context
// menu per node kind, and deletions that ask first (a repository with images asks twice).
import * as assert from 'node:assert/strict';
import { contextMenu, dialog, expandRow, openActivityView, treeRow, waitFor, visibleRows } from '../../../../scripts/lib/workbench.mjs';
import { confirmationFromMenu, rowDescription, seedScannedRepository, setUserSetting, widenSideBar } from '../explorerHelpers.mjs';

export const title = 'explorer: tags with their scan summary, context menus per node kind, deletions confirmed (twice for a repository with images)';

const REPOSITORY = 'payments-api';

export async function run({ page, world, server, shot }) {
  // The endpoint in the remote settings too: a machine-overridable user setting can reach the remote
  // extension host late (see the report), which would point the views at real AWS.
  setUserSetting(server, 'ecrDeploy.endpointUrl', world.moto.endpoint);
  const shim = await seedScannedRepository(world.moto.endpoint, REPOSITORY);
  try {
    // moto keeps scan results out of DescribeImages; the shim puts them where ECR does.
    setUserSetting(server, 'ecrDeploy.endpointUrl', shim.endpoint);
    await openActivityView(page, 'ECR Deploy');
    await widenSideBar(page, 260);
    await expandRow(page, REPOSITORY, { timeoutMs: 30_000 });
    await rowDescription(page, 'v2.0.0', /2 critical · 5 high · 3 low$/);
    await rowDescription(page, 'v1.9.0', /1 medium$/);
    await rowDescription(page, REPOSITORY, /lifecycle|no lifecycle policy/);
    await expandRow(page, 'quilt-mcp-server');
    // Age and size; the scan scenario before this one scanned that image, so its summary may follow.
    await rowDescription(page, 'latest, v1.0.0', /(just now|ago) · [\d.]+ [kM]?B( · \d+ (critical|high|medium|low|informational|undefined).*)?$/);
    await shot('explorer-scan-summaries');

    const menus = {
      registry: await contextMenu(page, /^Registry \d{12}$/),
      repository: await contextMenu(page, REPOSITORY),
      image: await contextMenu(page, 'v2.0.0'),
    };
    assert.ok(menus.registry.includes('Create Repository...'), JSON.stringify(menus.registry));
    for (const item of ['Filter Images by Tag...', 'Toggle Scan on Push', 'Toggle Tag Immutability', 'Edit Lifecycle Policy', 'Preview Lifecycle Policy', 'Edit Repository Policy', 'Delete Repository Policy...', 'Delete Repository...', 'Refresh']) {
      assert.ok(menus.repository.includes(item), `repository menu has ${item}: ${JSON.stringify(menus.repository)}`);
    }
    for (const item of ['Copy Image URI', 'Copy Image Digest', 'Delete Image...']) assert.ok(menus.image.includes(item), `image menu has ${item}: ${JSON.stringify(menus.image)}`);
    assert.ok(!menus.image.includes('Delete Repository...'), 'an image row offers no repository actions');

    // The policy row of the reference repository (it has one): edit, preview and delete.
    const policyRows = await page.$$eval('.monaco-list-row', (rows) => rows.filter((r) => r.offsetParent !== null && r.querySelector('.label-name')?.textContent?.trim() === 'Lifecycle policy').length);
    assert.equal(policyRows, 2, 'each expanded repository shows its lifecycle policy row');

    // Keep the image menu open for the picture.
    const imageRow = await treeRow(page, 'v2.0.0');
    await imageRow.click({ button: 'right' });
    await page.locator('.context-view .monaco-menu').first().waitFor({ state: 'visible' });
    await shot('explorer-image-menu', { idleTimeoutMs: 0 });
    await page.keyboard.press('Escape');

    await expandRow(page, 'sales-prod', { timeoutMs: 30_000 });
    // 05-deploy left the service on jwt-auth-v1.0.0 when it ran before this scenario.
    await rowDescription(page, 'sales-prod-mcp-server-production', /^2\/2 · (v1\.0\.0|jwt-auth-v1\.0\.0)( |$)/);
    const serviceMenu = await contextMenu(page, 'sales-prod-mcp-server-production');
    assert.ok(serviceMenu.includes('Refresh'), JSON.stringify(serviceMenu));
    assert.ok(!serviceMenu.includes('Delete Image...'));
    const clusterMenu = await contextMenu(page, 'sales-prod');
    assert.ok(clusterMenu.includes('Refresh'), JSON.stringify(clusterMenu));

    const confirmImage = await confirmationFromMenu(page, 'v1.9.0', 'Delete Image...');
    assert.equal(confirmImage.message, `Delete image v1.9.0 from ${REPOSITORY}?`);
    await confirmImage.click('Delete');
    await waitFor(async () => !(await visibleRows(page)).includes('v1.9.0'), { expected: 'the deleted image to leave the tree' });

    const first = await confirmationFromMenu(page, REPOSITORY, 'Delete Repository...');
    assert.equal(first.message, `Delete repository ${REPOSITORY}?`);
    assert.match(first.detail, /holds images: you will be asked again/);
    await first.click('Delete');
    await waitFor(async () => (await dialog(page)).message.includes('AND every image'), { expected: 'the second confirmation' });
    const second = await dialog(page);
    assert.deepEqual(second.buttons.filter((b) => b !== 'Cancel'), ['Delete Repository and Images']);
    await shot('explorer-delete-repository-confirmation', { idleTimeoutMs: 0 });
    await second.click('Delete Repository and Images');
    await waitFor(async () => !(await visibleRows(page)).includes(REPOSITORY), { expected: 'the deleted repository to leave the tree' });
  } finally {
    setUserSetting(server, 'ecrDeploy.endpointUrl', world.moto.endpoint);
    await shim.stop();
  }
}
