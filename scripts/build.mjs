// Bundles the entries with esbuild: the extension (registration only), the parts it loads on first use
// (scripts/lib/lazyParts.mjs: the AWS edge, the release workflow generator, each feature's commands), the
// CLI (dist/cli/main.js, started by its launcher dist/cli.js from a V8 code cache made after the bundles,
// scripts/lib/cliCodeCache.mjs), and the metrics webview's script. Minified with source maps; `--watch` rebuilds on change. dist/extension.meta.json (not shipped)
// is the extension bundle's metafile, which test/unit/bundle.test.ts reads.
import * as esbuild from 'esbuild';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { lifecycleValidatorSource, repositoryPolicyValidatorSource, REPOSITORY_POLICY_VALIDATOR_PATH, VALIDATOR_PATH } from './lib/lifecycleValidator.mjs';
import { LAZY_PARTS, lazyPartsPlugin } from './lib/lazyParts.mjs';
import { vscodeAsIsPlugin } from './lib/vscodeImport.mjs';
import { lazyBuiltinsPlugin } from './lib/lazyBuiltins.mjs';
import { writeCliCodeCache } from './lib/cliCodeCache.mjs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
  // jsonc-parser's `main` is a UMD wrapper whose requires esbuild cannot follow (the bundle would throw
  // "Cannot find module './impl/format'"); its ES module build bundles and tree-shakes.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
};

// The lifecycle policy schema's validator, precompiled by ajv (ajv itself stays out of every bundle).
const validator = lifecycleValidatorSource();
if (readFileSync(VALIDATOR_PATH, 'utf8') !== validator) {
  writeFileSync(VALIDATOR_PATH, validator);
  console.log('ajv: regenerated src/core/lifecycle/lifecyclePolicySchema.ts from media/schemas/lifecycle-policy.schema.json');
}
// And the repository policy schema's (Edit Repository Policy).
const policyValidator = repositoryPolicyValidatorSource();
if (!existsSync(REPOSITORY_POLICY_VALIDATOR_PATH) || readFileSync(REPOSITORY_POLICY_VALIDATOR_PATH, 'utf8') !== policyValidator) {
  writeFileSync(REPOSITORY_POLICY_VALIDATOR_PATH, policyValidator);
  console.log('ajv: regenerated src/core/repositoryPolicy/repositoryPolicySchema.ts from media/schemas/repository-policy.schema.json');
}

const extensionSide = { ...common, external: ['vscode'], plugins: [lazyPartsPlugin(root), vscodeAsIsPlugin(), lazyBuiltinsPlugin()] };
const configs = [
  { ...extensionSide, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', metafile: true },
  ...LAZY_PARTS.map((part) => ({ ...extensionSide, entryPoints: [part.entry], outfile: `dist/${part.bundle}.js` })),
  // The launcher compiles the CLI bundle with vm.Script, where import() would need a loader of its own: esbuild
  // turns the import() of Node's built-ins into require().
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli/main.js', supported: { 'dynamic-import': false }, plugins: [lazyBuiltinsPlugin()] },
  { ...common, entryPoints: ['src/cliLauncher.ts'], outfile: 'dist/cli.js' },
  // The Show Metrics webview's script and uPlot's stylesheet (dist/webview/metrics.css), for the browser: loaded
  // by the webview only, never by activation.
  { ...common, entryPoints: ['src/webview/metrics/main.ts'], outfile: 'dist/webview/metrics.js', platform: 'browser', format: 'iife', target: 'es2022', alias: {} },
];

if (watch) {
  for (const config of configs) await (await esbuild.context(config)).watch();
  console.log('esbuild: watching src/');
} else {
  const started = Date.now();
  const [extension] = await Promise.all(configs.map((config) => esbuild.build(config)));
  writeFileSync(path.join(root, 'dist', 'extension.meta.json'), JSON.stringify(extension.metafile));
  console.log(`esbuild: built ${configs.map((c) => c.outfile).join(', ')} in ${Date.now() - started} ms`);
  chmodSync(path.join(root, 'dist', 'cli.js'), 0o755); // the bin, runnable from a checkout as from the package
  const cacheStarted = Date.now();
  writeCliCodeCache(root);
  console.log(`code cache: dist/cli/main.cache in ${Date.now() - cacheStarted} ms`);
}
