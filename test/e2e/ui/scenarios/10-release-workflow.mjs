// Create Release Workflow from the palette, as a person answers it: six numbered questions with the workspace's
// answers filled in, then .github/workflows/release.yml is written and opened. A misspelt ecr-deploy flag in it
// is underlined on its line and listed in Problems, before any CI run.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openActivityView, runCommand, typeInput, waitFor, waitForNotification } from '../../../../scripts/lib/workbench.mjs';

export const title = 'Create Release Workflow writes release.yml from six answers and opens it; a misspelt ecr-deploy flag in it is a problem on its line';

const ROLE = 'arn:aws:iam::123456789012:role/github-release';

export async function run({ page, world, shot }) {
  const file = join(world.workspace, '.github', 'workflows', 'release.yml');
  rmSync(join(world.workspace, '.github'), { recursive: true, force: true });
  try {
    await openActivityView(page, 'ECR Deploy');
    // The palette offers it once the workbench knows the workspace is trusted (a context key set after load).
    await waitFor(() => runCommand(page, 'ECR Deploy: Create Release Workflow...', { timeoutMs: 10_000 }).then(() => true, () => undefined), {
      timeoutMs: 60_000,
      intervalMs: 1000,
      expected: 'Create Release Workflow... in the palette',
    });
    const titles = [];
    const input = page.locator('.quick-input-widget .quick-input-box input').first();
    const answers = [undefined, 'sales-prod', 'sales-prod-mcp-server-production', ROLE, undefined, undefined];
    for (const [i, answer] of answers.entries()) {
      await waitFor(async () => ((await page.locator('.quick-input-widget .quick-input-title').first().innerText().catch(() => '')).includes(`(${i + 1}/6)`) ? true : undefined), {
        timeoutMs: 30_000,
        expected: `question ${i + 1} of 6`,
      });
      titles.push(await page.locator('.quick-input-widget .quick-input-title').first().innerText());
      // The workspace's own answers are filled in: the build repository, the region, the Dockerfile.
      if (i === 0) assert.equal(await input.inputValue(), 'quilt-mcp-server');
      if (i === 4) assert.equal(await input.inputValue(), 'us-east-1');
      if (i === 5) assert.equal(await input.inputValue(), 'Dockerfile');
      await typeInput(page, answer ?? (await input.inputValue()));
    }
    assert.deepEqual(titles, [1, 2, 3, 4, 5, 6].map((n) => `Create Release Workflow (${n}/6)`));

    await waitForNotification(page, 'Wrote .github/workflows/release.yml', { timeoutMs: 30_000 });
    assert.ok(existsSync(file), 'the workflow file was written');
    const text = readFileSync(file, 'utf8');
    assert.match(text, new RegExp(`role-to-assume: ${ROLE}`));
    assert.match(text, /--rollback-on-failure/);
    const tab = page.locator('.tabs-container .tab', { hasText: 'release.yml' });
    await waitFor(async () => ((await tab.count()) > 0 ? true : undefined), { expected: 'release.yml open in an editor' });

    // A person edits the deploy step and misspells a flag: the editor says so on that word.
    writeFileSync(file, text.replace('--rollback-on-failure', '--rollback-on-fail'));
    // The editor takes the file from disk at once, not whenever the file watcher reports it on a busy machine.
    await runCommand(page, 'File: Revert File');
    await runCommand(page, 'Problems: Focus on Problems View');
    const rows = page.locator('.part.panel .monaco-list-row');
    const line = text.split('\n').findIndex((l) => l.includes('--rollback-on-failure')) + 1;
    await waitFor(async () => ((await rows.allInnerTexts()).some((t) => t.includes('ecr-deploy deploy has no --rollback-on-fail: did you mean --rollback-on-failure?') && t.includes(`[Ln ${line}, Col`)) ? true : undefined), {
      timeoutMs: 30_000,
      expected: `the misspelt flag listed in Problems on line ${line}`,
      describe: async () => JSON.stringify(await rows.allInnerTexts()),
    });
    // Opening it from Problems shows the line, the word underlined.
    await rows.filter({ hasText: 'has no --rollback-on-fail' }).first().dblclick();
    const squiggles = page.locator('.editor-group-container .monaco-editor .squiggly-error');
    await waitFor(async () => ((await squiggles.count()) >= 1 ? true : undefined), { expected: 'the flag underlined in the editor' });
    await shot('release-workflow');
  } finally {
    rmSync(join(world.workspace, '.github'), { recursive: true, force: true });
  }
}
