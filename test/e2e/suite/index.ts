/**
 * The test-electron `run()` contract: VS Code loads this module in the real extension host and waits
 * for the promise. Mocha runs every *.test.js beside it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const only = process.env.ECR_DEPLOY_E2E_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', ...(only ? { grep: new RegExp(only) } : {}) });
  // All suites share one seeded moto. The build suite pushes real images into the seeded repository (moving
  // its `dev` tag), so it runs after the suites that read the seeded world as it was seeded.
  const runsLast = (f: string) => (f === 'build.test.js' ? 1 : 0);
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort((a, b) => runsLast(a) - runsLast(b) || a.localeCompare(b));
  for (const file of files) {
    mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
