// Bundles the entries with esbuild: the extension (no SDK inside), the lazily loaded AWS edge and
// release workflow generator, the CLI, and the metrics webview's script. Minified with source maps; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { lifecycleValidatorSource, VALIDATOR_PATH } from './lib/lifecycleValidator.mjs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');

/** In the extension bundle, `import('../aws/index')` stays a runtime require of dist/aws.js. */
const lazyAwsEdge = {
  name: 'lazy-aws-edge',
  setup(build) {
    build.onResolve({ filter: /\/aws\/index$/ }, (args) => {
      if (args.kind !== 'dynamic-import') {
        return { errors: [{ text: `${args.importer} imports the AWS edge statically; use loadAwsEdge() so activation stays free of the SDK.` }] };
      }
      return { path: './aws.js', external: true };
    });
  },
};

/** Likewise `import('../../app/ci/index')` stays a runtime require of dist/ci.js (the YAML serializer and GitHub's workflow parser with it). */
const lazyReleaseWorkflow = {
  name: 'lazy-release-workflow',
  setup(build) {
    build.onResolve({ filter: /\/app\/ci\/index$/ }, (args) => {
      if (args.kind === 'import-statement' && args.importer.includes(`${path.sep}features${path.sep}`)) {
        return { errors: [{ text: `${args.importer} imports the release workflow generator statically; import() it so activation stays free of it.` }] };
      }
      return args.kind === 'dynamic-import' ? { path: './ci.js', external: true } : undefined;
    });
  },
};

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

const configs = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [lazyAwsEdge, lazyReleaseWorkflow] },
  { ...common, entryPoints: ['src/aws/index.ts'], outfile: 'dist/aws.js' },
  { ...common, entryPoints: ['src/app/ci/index.ts'], outfile: 'dist/ci.js' },
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js' },
  // The Show Metrics webview's script and uPlot's stylesheet (dist/webview/metrics.css), for the browser: loaded
  // by the webview only, never by activation.
  { ...common, entryPoints: ['src/webview/metrics/main.ts'], outfile: 'dist/webview/metrics.js', platform: 'browser', format: 'iife', target: 'es2022', alias: {} },
];

if (watch) {
  for (const config of configs) await (await esbuild.context(config)).watch();
  console.log('esbuild: watching src/');
} else {
  const started = Date.now();
  await Promise.all(configs.map((config) => esbuild.build(config)));
  console.log(`esbuild: built dist/extension.js, dist/aws.js, dist/ci.js, dist/cli.js, dist/webview/metrics.js in ${Date.now() - started} ms`);
}
