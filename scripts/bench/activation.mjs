// Activation as VS Code itself reports it, in the real host: the VS Code server from the code-server package,
// driven by Debian's Chromium. Beside ECR Deploy, a one-file "floor" extension of this benchmark's own (an
// activity-bar view with one tree row, registered in activate()) is installed in the same server. Each
// measurement is a fresh window (a fresh browser profile, so a fresh extension host process and no restored
// view); windows alternate ECR Deploy, floor, ECR Deploy, ... so both meet the same machine noise.
//
// In each window "Developer: Show Running Extensions" is opened and left until the built-in startup
// activations settle; then the extension's view is opened (its onView activation), and its row says "Activation: N ms": VS Code's codeLoadingTime (requiring the main file) plus
// activateCallTime (running activate()), the numbers the extension host reports to the workbench
// (ExtensionsStatus.activationTimes). That row is read from the page.
//
// The first window of a server pays a one-off cost (330-890 ms seen for whichever extension it measured), so one
// window of each is opened first and not counted. ECR_DEPLOY_BENCH_WINDOWS=<n> counts n windows each (default 5,
// about 4 minutes on a 2-core machine); the figures print with their spread.
//
// ECR_DEPLOY_BENCH_VSIX=<another build's .vsix> measures that build instead (a before/after comparison).
//
// A second figure needs no workbench: require(dist/extension.js) + activate() in a bare Node process
// against a stand-in vscode module, beside requiring dist/aws.js (the SDK), which activation must not load.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, reportFigure } from '../lib/benchReport.mjs';
import { openActivityView, openWorkbench, runCommand, startCodeServer, treeRow, waitFor } from '../lib/workbench.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WINDOWS_EACH = Number(process.env.ECR_DEPLOY_BENCH_WINDOWS) || 5;
const NODE_RUNS = 9;
const GOAL_RATIO = 5;
const FLOOR = { name: 'activation-floor', displayName: 'Activation Floor', container: 'activationFloor', view: 'activationFloor.view', row: 'floor row' };

/** The floor: what any extension with a view pays, packaged with the same vsce the project uses. */
function packageFloorExtension(dir) {
  mkdirSync(join(dir, 'media'), { recursive: true });
  writeFileSync(join(dir, 'media', 'floor.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24"><rect width="24" height="24"/></svg>');
  writeFileSync(join(dir, 'README.md'), '# Activation floor\nA view with one tree row: what every extension with a view pays to activate.\n');
  writeFileSync(join(dir, 'LICENSE'), 'MIT\n');
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: FLOOR.name,
      displayName: FLOOR.displayName,
      publisher: 'ecr-deploy-bench',
      version: '0.0.1',
      license: 'MIT',
      engines: { vscode: '^1.74.0' },
      main: './extension.js',
      contributes: {
        viewsContainers: { activitybar: [{ id: FLOOR.container, title: FLOOR.displayName, icon: 'media/floor.svg' }] },
        views: { [FLOOR.container]: [{ id: FLOOR.view, name: 'Floor' }] },
      },
    }),
  );
  writeFileSync(
    join(dir, 'extension.js'),
    `const vscode = require('vscode');
exports.activate = (context) => {
  const rows = { getChildren: (row) => (row ? [] : [${JSON.stringify(FLOOR.row)}]), getTreeItem: (row) => new vscode.TreeItem(row) };
  context.subscriptions.push(vscode.window.registerTreeDataProvider(${JSON.stringify(FLOOR.view)}, rows));
};
`,
  );
  const vsix = join(dir, 'floor.vsix');
  const packaged = spawnSync(process.execPath, [join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--out', vsix], { cwd: dir, encoding: 'utf8' });
  if (packaged.status !== 0) throw new Error(`packaging the floor extension failed: ${packaged.stderr || packaged.stdout}`);
  return vsix;
}

const runningRows = (page) => page.locator('.runtime-extensions-editor .monaco-list-row').allInnerTexts();

/**
 * Opens Running Extensions and waits until its rows stop changing for 3 s: the built-in extensions that
 * activate on startup (Git, Emmet, JSON...) have settled, so the measured activation does not share the
 * extension host's one thread with them.
 */
async function settle(page) {
  await runCommand(page, 'Developer: Show Running Extensions');
  let last = '';
  let since = Date.now();
  await waitFor(
    async () => {
      const now = JSON.stringify(await runningRows(page));
      if (now !== last || now.includes('Activating')) [last, since] = [now, Date.now()];
      return now !== '[]' && Date.now() - since >= 3000;
    },
    { timeoutMs: 120000, intervalMs: 500, expected: 'the startup activations to settle' },
  );
}

/** The "Activation: N ms" of `displayName` in the open Running Extensions editor. */
function reportedActivation(page, displayName) {
  return waitFor(
    async () => {
      const row = (await runningRows(page)).find((text) => text.includes(displayName));
      const ms = row && /Activation: (\d+(?:\.\d+)?)\s*ms/.exec(row);
      return ms ? Number(ms[1]) : undefined;
    },
    { timeoutMs: 60000, expected: `the Running Extensions row of ${displayName} with its activation time`, describe: async () => `Rows: ${JSON.stringify(await runningRows(page))}` },
  );
}

async function measureInFreshWindow(server, subject) {
  // Tall enough that Running Extensions (a virtualised list, slowest first) renders every activated extension's row.
  const { page, close } = await openWorkbench(server.url, { viewport: { width: 1440, height: 4000 } });
  try {
    await settle(page);
    await openActivityView(page, subject.title);
    await subject.rendered(page);
    await runCommand(page, 'Developer: Show Running Extensions');
    return await reportedActivation(page, subject.displayName);
  } finally {
    await close();
  }
}

async function realHost() {
  const work = mkdtempSync(join(tmpdir(), 'ecr-deploy-bench-activation-'));
  let server;
  try {
    const vsix = process.env.ECR_DEPLOY_BENCH_VSIX || join(ROOT, 'dist', 'ecr-deploy.vsix');
    if (!process.env.ECR_DEPLOY_BENCH_VSIX) {
      const packaged = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, encoding: 'utf8' });
      if (packaged.status !== 0) throw new Error(`npm run package failed: ${packaged.stderr || packaged.stdout}`);
    }
    console.log(`  ECR Deploy from ${vsix}`);
    const floorVsix = packageFloorExtension(join(work, 'floor'));
    // No AWS settings or credentials: the views show their "no region" welcome, no call is made.
    // Running Extensions would open as a modal editor (VS Code 1.139's default), which takes the clicks on the activity bar.
    server = await startCodeServer({ vsixPath: [vsix, floorVsix], userSettings: { 'workbench.editor.useModal': 'off' }, env: { AWS_REGION: '', AWS_DEFAULT_REGION: '', AWS_PROFILE: '' }, log: () => {} });
    const subjects = {
      ecr: { title: 'ECR Deploy', displayName: 'ECR Deploy', rendered: (page) => page.locator('.part.sidebar .pane-header', { hasText: 'Repositories' }).first().waitFor({ timeout: 60000 }), samples: [] },
      floor: { title: FLOOR.displayName, displayName: FLOOR.displayName, rendered: (page) => treeRow(page, FLOOR.row, { scope: '.part.sidebar', timeoutMs: 60000 }), samples: [] },
    };
    for (let i = 0; i < (WINDOWS_EACH + 1) * 2; i++) {
      const subject = i % 2 === 0 ? subjects.ecr : subjects.floor;
      const ms = await measureInFreshWindow(server, subject);
      const warmUp = i < 2;
      if (!warmUp) subject.samples.push(ms);
      console.log(`  window ${i + 1}: ${subject.displayName} ${ms} ms${warmUp ? ' (warm-up, not counted)' : ''}`);
    }
    return { ecr: median(subjects.ecr.samples), floor: median(subjects.floor.samples), ecrSamples: subjects.ecr.samples, floorSamples: subjects.floor.samples };
  } finally {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

const probe = (what) => `
const Module = require('module');
const path = require('path');
const stub = require(${JSON.stringify(join(ROOT, 'scripts/bench/vscode-stub.cjs'))});
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
const t0 = process.hrtime.bigint();
${what === 'activate' ? `require(${JSON.stringify(join(ROOT, 'dist/extension.js'))}).activate(stub.context);` : `require(${JSON.stringify(join(ROOT, 'dist/aws.js'))});`}
const t1 = process.hrtime.bigint();
const loadedBundles = Object.keys(require.cache).filter((k) => k.includes(path.sep + 'dist' + path.sep)).map((k) => path.basename(k));
process.stdout.write(JSON.stringify({ ms: Number(t1 - t0) / 1e6, loadedBundles }));
`;

function nodeProcess(what) {
  const samples = [];
  for (let i = 0; i < NODE_RUNS; i++) {
    const r = spawnSync(process.execPath, ['-e', probe(what)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${what} probe failed: ${r.stderr}`);
    samples.push(JSON.parse(r.stdout));
  }
  return { ms: median(samples.map((s) => s.ms)), loadedBundles: [...new Set(samples.flatMap((s) => s.loadedBundles))] };
}

let failed = false;
try {
  const host = await realHost();
  const ratio = host.ecr / Math.max(host.floor, 1);
  console.log(`VS Code's reported activation (Developer: Show Running Extensions, codeLoadingTime + activateCallTime), median of ${WINDOWS_EACH} fresh windows each after a warm-up window of each:`);
  const spread = (samples) => `[${samples.join(', ')}; ${Math.min(...samples)}-${Math.max(...samples)}]`;
  console.log(`  ECR Deploy ${host.ecr} ms ${spread(host.ecrSamples)}, floor (a view with one row) ${host.floor} ms ${spread(host.floorSamples)}, ratio ${ratio.toFixed(1)}x (goal <= ${GOAL_RATIO}x; a floor under 1 ms counts as 1 ms)`);
  reportFigure({ figure: 'activation in VS Code (Running Extensions)', project: `${host.ecr} ms`, peer: `${host.floor} ms (one-view floor extension)`, ratio, goal: `<= ${GOAL_RATIO}x`, met: ratio <= GOAL_RATIO });
} catch (error) {
  failed = true;
  console.log(`activation in the real host could not be measured: ${error.message}`);
  reportFigure({ figure: 'activation in VS Code (Running Extensions)', project: 'not measured', goal: `<= ${GOAL_RATIO}x`, met: false, note: error.message.split('\n')[0].slice(0, 120) });
}

try {
  const activation = nodeProcess('activate');
  const sdk = nodeProcess('sdk');
  const sdkLoaded = activation.loadedBundles.some((b) => b !== 'extension.js');
  console.log(`require(dist/extension.js) + activate() in a bare Node process (stand-in vscode): ${activation.ms.toFixed(1)} ms median of ${NODE_RUNS}; bundles loaded: ${activation.loadedBundles.join(', ')}${sdkLoaded ? ' (REGRESSION: a lazy part loaded)' : ''}`);
  console.log(`require(dist/aws.js), the SDK activation avoids: ${sdk.ms.toFixed(1)} ms`);
  reportFigure({ figure: 'require + activate(), bare Node', project: `${activation.ms.toFixed(1)} ms`, peer: `${sdk.ms.toFixed(1)} ms (require of the SDK edge)`, ratio: activation.ms / sdk.ms, goal: 'no lazy part loaded', met: !sdkLoaded });
  if (sdkLoaded) failed = true;
} catch (error) {
  failed = true;
  console.log(`activation in a bare Node process could not be measured: ${error.message}`);
  reportFigure({ figure: 'require + activate(), bare Node', project: 'not measured', goal: 'no lazy part loaded', met: false, note: error.message.split('\n')[0].slice(0, 120) });
}
process.exit(failed ? 1 : 0);
