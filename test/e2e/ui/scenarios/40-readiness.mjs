// Deploy readiness as a person meets it: open a Dockerfile and a task definition of the workspace and the
// Problems panel lists what would make the deploy unsafe, each on its line, with the rule id as its code.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { quickPick, runCommand, waitFor } from '../../../../scripts/lib/workbench.mjs';

export const title = 'Readiness diagnostics: a Dockerfile and a task definition get their deploy readiness findings in the Problems panel, each on its line';

const DOCKERFILE = ['FROM python:3.12-slim', 'WORKDIR /app', 'ENV API_TOKEN=sk-live-123', 'COPY . /app', 'CMD ["python", "-m", "app"]', ''].join('\n');
const TASK_DEFINITION = {
  family: 'orders',
  memory: '512',
  cpu: '256',
  containerDefinitions: [
    {
      name: 'orders',
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:latest',
      essential: true,
      memory: 1024,
      environment: [
        { name: 'PORT', value: '8000' },
        { name: 'DB_PASSWORD', value: 'hunter2' },
      ],
    },
  ],
};

/** Go to File, filtered by the path, then the row of the file's name (once the file search found it). */
async function openFile(page, path) {
  await runCommand(page, 'Go to File...');
  await page.locator('.quick-input-widget .quick-input-box input').first().fill(path);
  await quickPick(page, path.split('/').pop(), { filter: false, timeoutMs: 30_000 });
}

export async function run({ page, world, shot }) {
  const folder = join(world.workspace, 'orders');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'Dockerfile'), DOCKERFILE);
  writeFileSync(join(folder, 'orders-task.json'), `${JSON.stringify(TASK_DEFINITION, null, 2)}\n`);

  await openFile(page, 'orders/orders-task.json');
  await openFile(page, 'orders/Dockerfile');
  await runCommand(page, 'Problems: Focus on Problems View');
  // The panel's list is virtualised: maximised, every finding's row exists at once.
  await runCommand(page, 'View: Toggle Maximized Panel');
  const rows = page.locator('.part.panel .monaco-list-row');
  const rowTexts = async () => (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  const expected = [
    ['dockerfile/secret-in-env', 'Ln 3, Col 5'],
    ['dockerfile/root-user', 'Ln 1, Col 6'],
    ['dockerfile/unpinned-base', 'Ln 1, Col 6'],
    ['taskdef/secret-in-environment', 'Ln 17, Col 11'],
    ['taskdef/memory-over-task', 'Ln 10, Col 7'],
    ['taskdef/mutable-image-tag', 'Ln 8, Col 7'],
  ];
  const listed = await waitFor(async () => {
    const texts = await rowTexts();
    return expected.every(([rule, where]) => texts.some((t) => t.includes(`ECR Deploy readiness ${rule}`) && t.includes(where))) ? texts : undefined;
  }, { timeoutMs: 30_000, expected: 'each readiness finding on its line in the Problems panel', describe: async () => JSON.stringify(await rowTexts()) });
  assert.ok(listed.some((t) => t.startsWith('orders-task.json')), 'the task definition is recognised by its content, whatever its name');
  assert.ok(!listed.some((t) => t.includes('hunter2')), 'a secret value is never shown');
  await runCommand(page, 'View: Toggle Maximized Panel');
  // The Dockerfile's squiggles: an error under API_TOKEN.
  const squiggles = page.locator('.editor-group-container .monaco-editor .squiggly-error');
  await waitFor(async () => (await squiggles.count()) >= 1, { expected: 'an error squiggle in the Dockerfile', describe: async () => `${await squiggles.count()} found` });
  await shot('readiness');
}
