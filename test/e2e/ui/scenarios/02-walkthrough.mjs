// First run: "ECR Deploy: Get Started" from the palette opens the walkthrough on VS Code's Welcome page, its six
// steps listed in order with their buttons, and the first step's picture beside them.
import * as assert from 'node:assert/strict';
import { runCommand, waitFor } from '../../../../scripts/lib/workbench.mjs';

export const title = 'Get Started opens the walkthrough: six steps from connecting a profile to scan findings, each with its button and picture';

const STEPS = ['Connect a profile and region', 'Browse repositories and services', 'Build and push an image', 'Deploy a tag to a service', "Tail the service's logs", 'See scan findings on your Dockerfile'];

export async function run({ page, shot }) {
  await waitFor(() => runCommand(page, 'ECR Deploy: Get Started', { timeoutMs: 10_000 }).then(() => true, () => undefined), { timeoutMs: 60_000, intervalMs: 1000, expected: 'Get Started in the palette' });
  const walkthrough = page.locator('.gettingStartedContainer');
  await waitFor(async () => ((await walkthrough.innerText().catch(() => '')).includes('Get started with ECR Deploy') ? true : undefined), { timeoutMs: 30_000, expected: 'the walkthrough page' });
  const titles = await waitFor(
    async () => {
      const seen = (await page.locator('.gettingStartedContainer .getting-started-step .step-title').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
      return seen.length >= STEPS.length ? seen : undefined;
    },
    { timeoutMs: 30_000, expected: 'the six steps' },
  );
  assert.deepEqual(titles, STEPS);
  // The first step is open: its buttons and its picture.
  const expanded = page.locator('.gettingStartedContainer .getting-started-step.expanded');
  assert.match(await expanded.innerText(), /Choose Profile[\s\S]*Choose Region/);
  await waitFor(async () => ((await page.locator('.gettingStartedContainer .getting-started-media img').count()) ? true : undefined), { timeoutMs: 20_000, expected: "the step's image" });
  await shot('walkthrough');
}
