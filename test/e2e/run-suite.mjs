// Runs test/e2e/suite (mocha) inside the real VS Code extension host, against a seeded moto.
import { join } from 'node:path';
import { runExtensionTests } from '../../scripts/lib/run-extension-tests.mjs';
import { startE2eWorld } from './world.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const world = await startE2eWorld();
let code = 1;
try {
  code = await runExtensionTests({
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(ROOT, 'out/test/e2e/suite/index.js'),
    workspaceFolder: world.workspace,
    env: world.env,
    userSettings: world.settings,
    timeoutMs: 5 * 60_000,
  });
} finally {
  await world.stop();
}
process.exit(code);
