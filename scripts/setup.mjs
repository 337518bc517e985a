// Sets up what a layer (or the demo) needs and is missing: node_modules, Debian packages (installed
// when we are root with apt, else a one-line instruction), the VS Code host for e2e and the demo.
// Only Node built-ins are imported at the top: this runs before `npm ci` on a fresh clone.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// A real Docker engine and registry for build/login/push (test/support/docker.ts): Debian's dockerd and
// client, the registry, htpasswd for its bcrypt user file, and a static busybox for a base image.
const DOCKER = [
  { command: 'dockerd', apt: 'docker.io' },
  { command: 'docker', apt: 'docker.io' },
  { command: 'docker-registry', apt: 'docker-registry' },
  { command: 'htpasswd', apt: 'apache2-utils' },
  { path: '/bin/busybox', apt: 'busybox-static', name: 'busybox (static)' },
];

const NEEDS = {
  unit: { packages: [], host: false, moto: false },
  integration: { packages: [...DOCKER], host: false, moto: true },
  e2e: { packages: [{ command: 'chromium', apt: 'chromium' }, { path: '/usr/include/krb5.h', apt: 'libkrb5-dev' }, ...DOCKER], host: true, moto: true },
  // The demo runs without Docker (Build and Push then says why); it installs it where it can.
  demo: { packages: [{ command: 'chromium', apt: 'chromium' }, { path: '/usr/include/krb5.h', apt: 'libkrb5-dev' }], optional: [...DOCKER], host: true, moto: true },
};

function log(message) {
  console.log(`setup: ${message}`);
}

export function ensureNodeModules() {
  // A linked node_modules (a git worktree sharing another checkout's) belongs to that checkout.
  if (fs.existsSync(path.join(ROOT, 'node_modules')) && fs.lstatSync(path.join(ROOT, 'node_modules')).isSymbolicLink()) return;
  const lock = path.join(ROOT, 'package-lock.json');
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const stale = !fs.existsSync(marker) || fs.statSync(marker).mtimeMs < fs.statSync(lock).mtimeMs;
  if (!stale) return;
  log('installing npm dependencies (npm ci)');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('`npm ci` failed: see its output above.');
}

function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export function ensureMoto() {
  if (hasCommand('moto_server')) return;
  throw new Error('moto_server is missing: install moto 5 with its server extra (`pip install "moto[server]"`) so `moto_server` is on PATH.');
}

/** What one layer needs. Returns the VS Code host paths when the layer needs the host. */
export async function setup(layer) {
  const needs = NEEDS[layer];
  if (!needs) throw new Error(`unknown layer "${layer}"`);
  ensureNodeModules();
  const { ensureSystemPackages } = await import('./lib/system.mjs');
  if (needs.packages.length) await ensureSystemPackages(needs.packages, { required: true });
  if (needs.optional?.length) await ensureSystemPackages(needs.optional, { required: false });
  if (needs.moto) ensureMoto();
  if (needs.host) {
    const { ensureVsCodeHost } = await import('./lib/vscode-host.mjs');
    return ensureVsCodeHost({ log });
  }
  return undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const index = process.argv.indexOf('--for');
  const layers = index > 0 ? [process.argv[index + 1]] : ['unit', 'integration', 'e2e'];
  try {
    for (const layer of layers) await setup(layer);
  } catch (error) {
    console.error(`setup: ${error.message}`);
    process.exit(1);
  }
}
