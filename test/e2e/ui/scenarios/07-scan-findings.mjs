// The feature users find nowhere else: an image's scan findings in the Problems panel, each on the
// line of the Dockerfile or manifest that brought its package in. Run from the palette like a person
// would (repository, then image), then open a finding from the Problems panel.
import * as assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openActivityView, problemsCounts, quickPick, runCommand, treeRow, waitFor, waitForNotification } from '../../../../scripts/lib/workbench.mjs';
import scanFindings from '../../../../out/test/support/scanFindings.js';
import awsClients from '../../../../out/src/aws/clients.js';
import awsConnection from '../../../../out/src/aws/connection.js';

const ROOT = new URL('../../../..', import.meta.url).pathname;
const FIXTURE = join(ROOT, 'test/fixtures/demo-workspace');
const lineOf = (file, needle) => readFileSync(join(FIXTURE, file), 'utf8').split('\n').findIndex((l) => needle.test(l)) + 1;

export const title = 'Show Scan Findings lists the image scan findings in the Problems panel on the Dockerfile and manifest lines that brought them in';

export async function run({ page, world, shot }) {
  // The service's folder, named after its repository, beside the workspace's other Dockerfile.
  cpSync(FIXTURE, join(world.workspace, 'quilt-mcp-server'), { recursive: true });
  const clients = awsClients.createAwsClients(awsConnection.resolveConnection({ endpointUrl: world.moto.endpoint, region: 'us-east-1', maxAttempts: 1 }));
  try {
    await scanFindings.injectReferenceScanFindings(world.moto.endpoint, clients.ecr);
  } finally {
    clients.destroy();
  }

  // The extension's commands reach the palette once its host is up: the view's first row says it is.
  await openActivityView(page, 'ECR Deploy');
  await treeRow(page, 'quilt-mcp-server', { timeoutMs: 30_000 });
  await runCommand(page, 'ECR Deploy: Show Scan Findings');
  await quickPick(page, 'quilt-mcp-server', { timeoutMs: 30_000 });
  await quickPick(page, 'latest, v1.0.0', { timeoutMs: 30_000 });
  await waitForNotification(page, 'quilt-mcp-server:latest: ', { timeoutMs: 30_000 });

  // 2 critical + 2 high are errors, 3 medium warnings, 1 low information; the informational one is a hint (never listed).
  const counts = await waitFor(async () => {
    const c = await problemsCounts(page);
    return c.errors === 4 && c.warnings === 3 && c.infos === 1 ? c : undefined;
  }, { timeoutMs: 15_000, expected: 'Errors: 4, Warnings: 3, Infos: 1 in the status bar', describe: async () => (await problemsCounts(page)).label });
  assert.equal(counts.errors, 4);

  await runCommand(page, 'Problems: Focus on Problems View');
  // The panel's list is virtualised: maximised, every finding's row exists at once.
  await runCommand(page, 'View: Toggle Maximized Panel');
  const rows = page.locator('.part.panel .monaco-list-row');
  const rowTexts = async () => (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  const curlLine = lineOf('Dockerfile', /^\s+libcurl4-openssl-dev/);
  const expected = [
    ['CVE-2024-2398 libcurl4-openssl-dev 7.88.1-10+deb12u5 (fixed in 7.88.1-10+deb12u6)', curlLine],
    ['CVE-2023-45853 zlib1g-dev 1:1.2.13.dfsg-1 (no fix yet)', lineOf('Dockerfile', /^\s+zlib1g-dev/)],
    ['CVE-2024-35195 requests 2.31.0 (fixed in 2.32.0)', lineOf('pyproject.toml', /"requests==/)],
    ['CVE-2025-43859 h11 0.14.0 (fixed in 0.16.0)', lineOf('uv.lock', /^name = "h11"/)],
    ['CVE-2024-5535 openssl 3.0.13-1~deb12u1 (fixed in 3.0.14-1~deb12u1)', lineOf('Dockerfile', /^FROM /)],
  ];
  const listed = await waitFor(async () => {
    const texts = await rowTexts();
    return expected.every(([message, line]) => texts.some((t) => t.includes(message) && t.includes(`[Ln ${line}, Col`))) ? texts : undefined;
  }, { timeoutMs: 15_000, expected: 'each finding on its line in the Problems panel', describe: async () => JSON.stringify(await rowTexts()) });
  assert.ok(listed.some((t) => /^Dockerfile/.test(t) && !/CVE-/.test(t)), `findings are grouped under the Dockerfile: ${JSON.stringify(listed)}`);
  assert.ok(!listed.some((t) => t.includes('CVE-2005-2541')), 'hints are not listed');

  await runCommand(page, 'View: Toggle Maximized Panel');

  // Opening a finding from the panel selects the package's name on its line (20 characters: libcurl4-openssl-dev).
  await rows.filter({ hasText: 'CVE-2024-2398 libcurl4-openssl-dev' }).first().dblclick();
  const selection = page.locator('[id="status.editor.selection"]').first();
  await waitFor(async () => (await selection.count()) && (await selection.innerText()).includes(`Ln ${curlLine}, Col 29 (20 selected)`), {
    expected: `the Dockerfile open with libcurl4-openssl-dev selected on Ln ${curlLine}`,
    describe: async () => `status bar selection: ${(await selection.count()) ? await selection.innerText() : 'none'}`,
  });
  // The editor underlines them too: errors on libcurl4-openssl-dev, zlib1g-dev and the FROM image.
  const squiggles = page.locator('.editor-group-container .monaco-editor .squiggly-error');
  await waitFor(async () => (await squiggles.count()) >= 3, { expected: 'error squiggles in the Dockerfile', describe: async () => `${await squiggles.count()} found` });
  await shot('scan-findings-problems');
}
