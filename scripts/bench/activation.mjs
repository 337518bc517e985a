// What activate() costs, and what it avoids: loading dist/extension.js and running activate() against a
// minimal stand-in for the vscode module (no workbench), beside requiring dist/aws.js (the SDK), which
// activation must not do. Each measurement runs in a fresh Node process, several times; medians.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RUNS = 9;

const probe = (what) => `
const Module = require('module');
const path = require('path');
const stub = require(${JSON.stringify(join(ROOT, 'scripts/bench/vscode-stub.cjs'))});
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
const t0 = process.hrtime.bigint();
${what === 'activate'
    ? `const ext = require(${JSON.stringify(join(ROOT, 'dist/extension.js'))}); const t1 = process.hrtime.bigint(); ext.activate(stub.context);`
    : `require(${JSON.stringify(join(ROOT, 'dist/aws.js'))}); const t1 = t0;`}
const t2 = process.hrtime.bigint();
const sdkLoaded = Object.keys(require.cache).some((k) => k.endsWith(path.join('dist', 'aws.js')));
process.stdout.write(JSON.stringify({ load: Number(t1 - t0) / 1e6, total: Number(t2 - t0) / 1e6, sdkLoaded }));
`;

function measure(what) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, ['-e', probe(what)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${what} probe failed: ${r.stderr}`);
    samples.push(JSON.parse(r.stdout));
  }
  const median = (key) => samples.map((s) => s[key]).sort((a, b) => a - b)[Math.floor(RUNS / 2)];
  return { load: median('load'), total: median('total'), sdkLoaded: samples.some((s) => s.sdkLoaded) };
}

const activation = measure('activate');
const sdk = measure('sdk');
console.log(`require(dist/extension.js) + activate(): ${activation.total.toFixed(1)} ms median of ${RUNS} (require ${activation.load.toFixed(1)} ms, activate() ${(activation.total - activation.load).toFixed(1)} ms); SDK loaded: ${activation.sdkLoaded ? 'YES (regression)' : 'no'}`);
console.log(`require(dist/aws.js), the SDK activation avoids: ${sdk.total.toFixed(1)} ms`);
console.log(`ratio activation / SDK load: ${(activation.total / sdk.total).toFixed(3)} (goal: activation well under 20 ms)`);
if (activation.sdkLoaded) process.exit(1);
