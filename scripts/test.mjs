// `npm test` and the per-layer scripts: set up what is missing, build, type-check, then run the layers.
// A layer that cannot run fails the run: nothing here skips.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { ROOT, setup } from './setup.mjs';

const LAYERS = ['unit', 'integration', 'e2e'];
const requested = process.argv[2] ?? 'all';
const layers = requested === 'all' ? LAYERS : requested === 'ui' ? ['ui'] : [requested];
if (!layers.every((l) => [...LAYERS, 'ui'].includes(l))) {
  console.error(`usage: node scripts/test.mjs [all|${LAYERS.join('|')}|ui]`);
  process.exit(2);
}

/** Runs a command, streaming its output, and returns its exit code and output. */
function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let output = '';
    child.stdout.on('data', (d) => { output += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { output += d; process.stderr.write(d); });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
    child.on('error', (error) => resolve({ code: 1, output: String(error) }));
  });
}

function counts(output) {
  const node = { passed: /^# pass (\d+)$/m.exec(output), failed: /^# fail (\d+)$/m.exec(output) };
  if (node.passed) return { passed: Number(node.passed[1]), failed: Number(node.failed?.[1] ?? 0) };
  const passing = [...output.matchAll(/^\s*(\d+) passing/gm)].reduce((n, m) => n + Number(m[1]), 0);
  const failing = [...output.matchAll(/^\s*(\d+) failing/gm)].reduce((n, m) => n + Number(m[1]), 0);
  return { passed: passing, failed: failing };
}

const totals = { passed: 0, failed: 0 };
const failedLayers = [];

async function step(name, command, args, options) {
  console.log(`\n=== ${name} ===`);
  const result = await run(command, args, options);
  const c = counts(result.output);
  totals.passed += c.passed;
  totals.failed += c.failed;
  if (result.code !== 0) {
    failedLayers.push(name);
    if (c.failed === 0) totals.failed += 1; // a layer that could not run counts as a failure
  }
  return result.code;
}

try {
  for (const layer of layers) await setup(layer === 'ui' ? 'e2e' : layer);
} catch (error) {
  console.error(`test: cannot set up: ${error.message}`);
  console.log('\ntest: 0 passed, 1 failed');
  process.exit(1);
}

const node = process.execPath;
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);
if ((await run(node, ['scripts/build.mjs'])).code !== 0 || (await run(bin('tsc'), ['-p', 'tsconfig.test.json'])).code !== 0) {
  console.log('\ntest: build or type-check failed');
  console.log('test: 0 passed, 1 failed');
  process.exit(1);
}
if (requested === 'all') {
  await step('lint', bin('eslint'), ['src', 'test', 'scripts']);
  // No import cycle (dpdm, type-only imports aside) and no unused file, export or dependency (knip).
  await step('lint: imports and unused code', 'npm', ['run', '--silent', 'lint:imports']);
}

for (const layer of layers) {
  if (layer === 'unit') await step('unit', node, ['--test', '--test-reporter=tap', 'out/test/unit/']);
  if (layer === 'integration') await step('integration', node, ['--test', '--test-reporter=tap', '--test-concurrency=1', 'out/test/integration/']);
  if (layer === 'e2e' || layer === 'ui') {
    if (layer === 'e2e') await step('e2e: extension host suite', node, ['test/e2e/run-suite.mjs']);
    await step('e2e: workbench driven like a person (screenshots)', node, ['test/e2e/ui/run.mjs', ...(layer === 'ui' ? ['--screenshots'] : [])]);
  }
}

console.log(`\n${failedLayers.length ? `failed: ${failedLayers.join(', ')}` : 'all layers passed'}`);
console.log(`test: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(failedLayers.length ? 1 : 0);
