// How long mapping scan findings to lines takes: the pure placement (Dockerfile parse, manifest reads,
// whole-word matching) on a typical service and on a large monorepo-sized context. No peer tool maps
// findings to lines, so the figures stand alone. Medians of several runs in this process.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const { placeFindings } = require(join(ROOT, 'out/src/core/scan/placeFindings.js'));
const RUNS = 7;

function world({ packages, runLines, findings }) {
  const lock = { lockfileVersion: 3, packages: { '': { name: 'web' } } };
  for (let i = 0; i < packages; i++) lock.packages[`node_modules/pkg-${i}`] = { version: '1.0.0', resolved: `https://registry.npmjs.org/pkg-${i}/-/pkg-${i}-1.0.0.tgz`, integrity: 'sha512-AAAA' };
  const uvLock = Array.from({ length: packages }, (_, i) => `[[package]]\nname = "py-${i}"\nversion = "1.0.0"\nsource = { registry = "https://pypi.org/simple" }\n`).join('\n');
  const dockerfile = ['FROM node:20-bookworm', ...Array.from({ length: runLines }, (_, i) => `RUN apt-get install -y --no-install-recommends lib-${i}-dev tool-${i} \\\n    && rm -rf /var/lib/apt/lists/*`)].join('\n');
  const context = {
    dockerfilePath: 'Dockerfile',
    dockerfileText: dockerfile,
    files: ['Dockerfile', 'package-lock.json', 'uv.lock'],
    manifests: [
      { path: 'package-lock.json', kind: 'packageLock', text: JSON.stringify(lock, null, 2) },
      { path: 'uv.lock', kind: 'uvLock', text: uvLock },
    ],
    truncated: false,
  };
  // A quarter each: in a RUN line, in package-lock.json, in uv.lock, nowhere (the FROM line).
  const names = [(i) => `lib-${i % runLines}-dev`, (i) => `pkg-${i % packages}`, (i) => `py-${i % packages}`, (i) => `absent-${i}`];
  const list = Array.from({ length: findings }, (_, i) => ({ id: `CVE-2024-${i}`, severity: 'HIGH', packageName: names[i % 4](i), installedVersion: '1.0.0', title: 'x' }));
  return { context, list, bytes: context.manifests.reduce((n, m) => n + m.text.length, 0) };
}

for (const size of [
  { name: 'typical service', packages: 300, runLines: 6, findings: 60 },
  { name: 'large context', packages: 5000, runLines: 50, findings: 2000 },
]) {
  const { context, list, bytes } = world(size);
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    globalThis.gc?.();
    const t = process.hrtime.bigint();
    const { placed } = placeFindings(list, context);
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (placed.length !== list.length) throw new Error('a finding was lost');
  }
  const median = samples.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
  console.log(`${size.name}: ${size.findings} findings, ${size.packages * 2} locked packages (${(bytes / 1e6).toFixed(2)} MB of manifests), ${size.runLines} RUN lines -> ${median.toFixed(1)} ms median of ${RUNS} (${(median / size.findings).toFixed(3)} ms per finding)`);
}
