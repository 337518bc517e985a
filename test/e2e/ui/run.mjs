// Drives the installed extension in a real VS Code (code-server) with headless Chromium, like a person,
// and takes screenshots: into media/screenshots/ with --screenshots (`npm run screenshots`, on purpose),
// else into a temporary folder, so a test run leaves the tree as it was. Each file in scenarios/ exports { title, run(ctx) };
// they run in name order, each in a fresh browser page on one code-server, against one seeded moto.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startCodeServer, openWorkbench, screenshot } from '../../../scripts/lib/workbench.mjs';
import { startE2eWorld } from '../world.mjs';

const ROOT = new URL('../../..', import.meta.url).pathname;
const args = process.argv.slice(2);
const SCREENSHOTS = args.includes('--screenshots') ? join(ROOT, 'media', 'screenshots') : mkdtempSync(join(tmpdir(), 'ecr-deploy-screenshots-'));
const only = args.find((a) => !a.startsWith('--'));

const pkg = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, encoding: 'utf8' });
if (pkg.status !== 0) {
  console.error(`cannot build the VSIX:\n${pkg.stdout}\n${pkg.stderr}`);
  console.log('  0 passing\n  1 failing');
  process.exit(1);
}

const files = readdirSync(new URL('./scenarios/', import.meta.url)).filter((f) => f.endsWith('.mjs') && (!only || f.includes(only))).sort();
const world = await startE2eWorld({ motoEnv: { MOTO_ECS_SERVICE_RUNNING: '2' } });
const server = await startCodeServer({ vsixPath: join(ROOT, 'dist', 'ecr-deploy.vsix'), userSettings: world.settings, env: world.env, workspaceFolder: world.workspace });
let passed = 0;
const failures = [];
try {
  for (const file of files) {
    const scenario = await import(`./scenarios/${file}`);
    const { page, close } = await openWorkbench(server.url);
    const started = Date.now();
    try {
      await scenario.run({ page, world, server, shot: (name, options) => screenshot(page, join(SCREENSHOTS, `${name}.png`), options), screenshotFile: (name) => join(SCREENSHOTS, `${name}.png`) });
      passed++;
      console.log(`  ✔ ${scenario.title} (${Date.now() - started} ms)`);
    } catch (error) {
      failures.push({ title: scenario.title, error });
      console.log(`  ✗ ${scenario.title}`);
      await screenshot(page, join(ROOT, 'test-results', `${file.replace('.mjs', '')}-failure.png`)).catch(() => {});
    } finally {
      await close();
    }
  }
} finally {
  await server.stop();
  await world.stop();
}
for (const [i, f] of failures.entries()) console.log(`\n  ${i + 1}) ${f.title}:\n     ${f.error?.stack ?? f.error}`);
console.log(`\n  ${passed} passing`);
if (failures.length) console.log(`  ${failures.length} failing`);
process.exit(failures.length || !files.length ? 1 : 0);
