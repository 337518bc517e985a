/**
 * What activation loads: dist/extension.js (the build's output, with its esbuild metafile) holds the
 * registration only. Every lazy part of scripts/lib/lazyParts.mjs stays a separate bundle, and a static
 * import of one is a build error. Figures of speed are in `npm run bench`, not here.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../support/cliProcess';

/**
 * Issue 16's budget: dist/extension.js only registers. It was 173.4 KB at 91c3e2c, 130 KB once the feature
 * bundles were split off, 28 KB once the long-lived services moved to dist/services.js.
 */
const EXTENSION_BUNDLE_BUDGET = 40 * 1024;

interface LazyPart {
  bundle: string;
  entry: string;
}
interface Metafile {
  inputs: Record<string, unknown>;
  outputs: Record<string, { entryPoint?: string; inputs: Record<string, unknown>; imports: Array<{ path: string; kind: string; external?: boolean }> }>;
}

/** Runs ES module code (the build scripts are .mjs, this test compiles to CommonJS) and returns what it prints as JSON. */
function moduleScript<T>(code: string): T {
  const lazyPartsUrl = JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'lib', 'lazyParts.mjs')).href);
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', `import { LAZY_PARTS, lazyPartsPlugin } from ${lazyPartsUrl};\n${code}`], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as T;
}
const lazyParts = () => moduleScript<LazyPart[]>('process.stdout.write(JSON.stringify(LAZY_PARTS));');

function extensionOutput(): Metafile['outputs'][string] {
  const metafile = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'dist', 'extension.meta.json'), 'utf8')) as Metafile;
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint === 'src/extension.ts');
  assert.ok(output, 'the metafile describes dist/extension.js');
  return output;
}

/** Modules only a feature's first use needs; each one in dist/extension.js would be a regression. */
const FIRST_USE_ONLY = [
  'src/features/deploy/deployFlow.ts',
  'src/features/deploy/rolloutFollow.ts',
  'src/core/deploy/rollout.ts',
  'src/features/scan/scanFlow.ts',
  'src/core/scan/manifests.ts',
  'src/core/lifecycle/lifecyclePolicySchema.ts',
  'src/core/lifecycle/policy.ts',
  'src/features/explorer/lifecycle/lifecycleCommands.ts',
  'src/features/explorer/repositoryCommands.ts',
  'src/features/build/buildAndPush.ts',
  'src/features/logs/pickers.ts',
  'src/features/ci/commands.ts',
  // The long-lived services (dist/services.js): built on first use.
  'src/features/explorer/repositoriesView.ts',
  'src/features/explorer/servicesView.ts',
  'src/features/explorer/treeItems.ts',
  'src/features/build/buildService.ts',
  'src/features/build/buildTasks.ts',
  'src/features/logs/logTailManager.ts',
  'src/features/metrics/metricsPanel.ts',
  'node_modules/semver/classes/semver.js',
];

describe('the extension bundle (dist/extension.js, as built)', () => {
  it(`stays within ${EXTENSION_BUNDLE_BUDGET} bytes`, () => {
    const size = fs.statSync(path.join(REPO_ROOT, 'dist', 'extension.js')).size;
    assert.ok(size <= EXTENSION_BUNDLE_BUDGET, `dist/extension.js is ${size} bytes, over the budget of ${EXTENSION_BUNDLE_BUDGET}: load the new code on first use (scripts/lib/lazyParts.mjs)`);
  });

  it('binds the vscode module as it is, not through an interop copy of its ~350 properties per module', () => {
    // scripts/lib/vscodeImport.mjs: a wrapped `helper(require("vscode"))` is esbuild's __toESM, 5-7 ms of activation in the real host.
    const bundle = fs.readFileSync(path.join(REPO_ROOT, 'dist', 'extension.js'), 'utf8');
    assert.ok(bundle.includes('=require("vscode")'), 'dist/extension.js requires vscode');
    assert.deepEqual(bundle.match(/[\w$]+\(require\("vscode"\)\)/g) ?? [], []);
  });

  it('holds no lazy part, no module only a first use needs, and none of the SDK or ajv', () => {
    const inputs = Object.keys(extensionOutput().inputs);
    const lazyEntries = lazyParts().map((p) => p.entry);
    const inside = inputs.filter((input) => lazyEntries.includes(input) || FIRST_USE_ONLY.includes(input) || /node_modules\/(@aws-sdk|@smithy|ajv|yaml|@actions)\//.test(input));
    assert.deepEqual(inside, []);
    for (const module of FIRST_USE_ONLY) assert.ok(fs.existsSync(path.join(REPO_ROOT, module)), `${module} still exists (else this list no longer guards anything)`);
  });

  it('requires each lazy part at run time as its own file, next to it in dist/', () => {
    const required = new Set(extensionOutput().imports.filter((i) => i.external && (i.kind === 'dynamic-import' || i.kind === 'require-call')).map((i) => i.path));
    for (const part of lazyParts()) {
      if (part.bundle === 'ci') continue; // required by dist/release.js, not by dist/extension.js
      assert.ok(required.has(`./${part.bundle}.js`), `dist/extension.js requires ./${part.bundle}.js`);
      assert.ok(fs.existsSync(path.join(REPO_ROOT, 'dist', `${part.bundle}.js`)), `dist/${part.bundle}.js was built`);
    }
  });

  it('fails the build when extension code imports a lazy part statically', () => {
    const failure = moduleScript<{ built: boolean; errors: string[] }>(`
      import * as esbuild from 'esbuild';
      const contents = "import { commands } from './src/features/deploy/lazy'; export const c = commands;";
      try {
        await esbuild.build({ stdin: { contents, resolveDir: process.cwd(), sourcefile: 'src/features/example.ts', loader: 'ts' }, bundle: true, write: false, platform: 'node', external: ['vscode'], logLevel: 'silent', plugins: [lazyPartsPlugin(process.cwd())] });
        process.stdout.write(JSON.stringify({ built: true, errors: [] }));
      } catch (error) {
        process.stdout.write(JSON.stringify({ built: false, errors: error.errors.map((e) => e.text) }));
      }`);
    assert.equal(failure.built, false);
    assert.match(failure.errors.join('\n'), /imports src\/features\/deploy\/lazy\.ts \(the deploy flow and rollout follow\) statically/);
  });
});
