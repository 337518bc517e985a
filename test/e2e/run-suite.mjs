// Runs test/e2e/suite (mocha) inside the real VS Code extension host, against the seeded local AWS.
// `node test/e2e/run-suite.mjs [TEXT]` runs only the tests whose full title matches the regular expression TEXT (while working on them).
import { join } from 'node:path';
import { runExtensionTests } from '../../scripts/lib/run-extension-tests.mjs';
import { startE2eWorld } from './world.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const only = process.argv[2];
const world = await startE2eWorld();
let code = 1;
try {
  code = await runExtensionTests({
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(ROOT, 'out/test/e2e/suite/index.js'),
    workspaceFolder: world.workspace,
    env: { ...world.env, ...(only ? { ECR_DEPLOY_E2E_GREP: only } : {}) },
    userSettings: world.settings,
    timeoutMs: 8 * 60_000,
  });
} finally {
  await world.stop();
}
process.exit(code);
