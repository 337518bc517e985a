// System-level helpers for the project's scripts: apt packages, free ports,
// child processes in their own process group, and waiting for an HTTP server.
//
// Plain ESM, Node 20, no dependencies.

import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// ---------------------------------------------------------------------------
// Commands and apt packages

/** Absolute path of `command` found on PATH (or the path itself if it contains a slash), else null. */
export function which(command, { path = process.env.PATH ?? '' } = {}) {
  const candidates = command.includes('/') ? [command] : path.split(delimiter).filter(Boolean).map((dir) => join(dir, command));
  for (const file of candidates) {
    try {
      accessSync(file, fsConstants.X_OK);
      return file;
    } catch {
      /* keep looking */
    }
  }
  return null;
}

function isPresent(item) {
  if (item.path && !existsSync(item.path)) return false;
  if (item.command && !which(item.command)) return false;
  return Boolean(item.path || item.command);
}

function displayName(item) {
  if (item.name) return item.name;
  const base = item.command ?? item.apt ?? item.path;
  return base.charAt(0).toUpperCase() + base.slice(1);
}

let aptUpdated = null; // promise, once per process

function runInherited(cmd, args, env) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolvePromise(signal ? 128 : code ?? 1));
  });
}

/**
 * Make sure system packages are present, installing them with apt when possible.
 *
 * @param {Array<{command?: string, path?: string, apt: string, name?: string}>} list
 *   Each item is present when `command` is on PATH and/or `path` exists.
 * @param {{required?: boolean, log?: (line: string) => void}} [options]
 *   required (default true): throw when something is still missing.
 * @returns {Promise<Array<object>>} the items still missing (always [] when required).
 * @throws {Error} one-line message saying what to install.
 */
export async function ensureSystemPackages(list, { required = true, log = (line) => console.error(line) } = {}) {
  let missing = list.filter((item) => !isPresent(item));
  if (missing.length === 0) return [];

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const aptGet = which('apt-get');
  if (isRoot && aptGet) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const lock = ['-o', 'DPkg::Lock::Timeout=600'];
    aptUpdated ??= (async () => {
      log('[system] apt-get update');
      const code = await runInherited(aptGet, ['update', ...lock], env);
      if (code !== 0) log(`[system] apt-get update exited with ${code}; trying the install anyway`);
    })();
    await aptUpdated;
    const pkgs = [...new Set(missing.map((item) => item.apt))];
    log(`[system] apt-get install ${pkgs.join(' ')}`);
    const code = await runInherited(aptGet, ['install', '-y', '--no-install-recommends', ...lock, ...pkgs], env);
    if (code !== 0) log(`[system] apt-get install exited with ${code}`);
    missing = missing.filter((item) => !isPresent(item));
  }
  if (missing.length && required) {
    const names = missing.map(displayName);
    const pkgs = [...new Set(missing.map((item) => item.apt))];
    const what = names.length === 1 ? `${names[0]} is missing` : `${names.join(', ')} are missing`;
    throw new Error(`${what}: run \`sudo apt-get install ${pkgs.join(' ')}\``);
  }
  return missing;
}

// ---------------------------------------------------------------------------
// Ports

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePromise(port));
    });
  });
}

// ---------------------------------------------------------------------------
// Processes

const live = new Set(); // process-group leaders to kill if this process exits
let hooksInstalled = false;

function killGroup(pid, signal, { leaderFallback = true } = {}) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    if (!leaderFallback) return false;
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

function installExitHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const pid of live) killGroup(pid, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      for (const pid of live) killGroup(pid, 'SIGKILL');
      live.clear();
      // Keep the default behaviour (exit) unless somebody else handles the signal too.
      if (process.listenerCount(signal) <= 1) process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal]));
    });
  }
}

class RingBuffer {
  constructor(maxLines) {
    this.maxLines = maxLines;
    this.lines = [];
    this.partial = { stdout: '', stderr: '' };
  }
  push(stream, chunk, onLine) {
    const text = this.partial[stream] + chunk;
    const parts = text.split(/\r?\n/);
    this.partial[stream] = parts.pop();
    for (const line of parts) this.add(stream, line, onLine);
  }
  flush(onLine) {
    for (const stream of ['stdout', 'stderr']) {
      if (this.partial[stream]) this.add(stream, this.partial[stream], onLine);
      this.partial[stream] = '';
    }
  }
  add(stream, line, onLine) {
    this.lines.push(line);
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
    onLine?.(line, stream);
  }
  text() {
    return this.lines.join('\n');
  }
}

/**
 * Spawn a long-running process in its own process group, keeping its recent
 * output (stdout+stderr) in a ring buffer for diagnostics.
 *
 * @param {string} cmd
 * @param {string[]} args
 * @param {{env?: object, cwd?: string, name?: string, ringLines?: number,
 *          onLine?: (line: string, stream: 'stdout'|'stderr') => void}} [opts]
 * @returns {{child: import('node:child_process').ChildProcess, pid: number, name: string,
 *           output: () => string, exited: Promise<{code: number|null, signal: string|null}>,
 *           hasExited: () => boolean, stop: (opts?: {graceMs?: number}) => Promise<void>}}
 */
export function startProcess(cmd, args = [], opts = {}) {
  const { env = process.env, cwd, name = cmd.split('/').pop(), ringLines = 400, onLine } = opts;
  installExitHooks();
  const child = spawn(cmd, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const ring = new RingBuffer(ringLines);
  let exitInfo = null;
  const exited = new Promise((resolvePromise) => {
    child.on('error', (err) => {
      ring.add('stderr', `[spawn error] ${err.message}`, onLine);
      exitInfo ??= { code: null, signal: null, error: err };
      if (child.pid) live.delete(child.pid);
      resolvePromise(exitInfo);
    });
    // 'close' waits for the stdio pipes too, so all output is in the ring.
    child.on('close', (code, signal) => {
      ring.flush(onLine);
      exitInfo ??= { code, signal };
      if (child.pid) live.delete(child.pid);
      resolvePromise(exitInfo);
    });
  });
  child.stdout.setEncoding('utf8').on('data', (d) => ring.push('stdout', d, onLine));
  child.stderr.setEncoding('utf8').on('data', (d) => ring.push('stderr', d, onLine));
  if (child.pid) live.add(child.pid);

  let stopping = null;
  const stop = ({ graceMs = 3000 } = {}) => {
    stopping ??= (async () => {
      if (!child.pid) return;
      // Kill the whole group even if the leader already exited (its children may live on);
      // the leader's bare pid is only signalled while it is known to be alive (no pid-reuse accidents).
      killGroup(child.pid, 'SIGTERM', { leaderFallback: exitInfo === null });
      const timedOut = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
      killGroup(child.pid, 'SIGKILL', { leaderFallback: exitInfo === null });
      if (timedOut) await Promise.race([exited, sleep(2000)]);
      live.delete(child.pid);
      child.stdout.destroy();
      child.stderr.destroy();
    })();
    return stopping;
  };

  return {
    child,
    pid: child.pid,
    name,
    output: () => ring.text(),
    exited,
    hasExited: () => exitInfo !== null,
    stop,
  };
}

/**
 * Poll `url` until it answers any HTTP status below 500.
 *
 * @param {string} url
 * @param {{timeoutMs?: number, intervalMs?: number, process?: ReturnType<typeof startProcess>}} [opts]
 *   process: fail early (with its output) if that process exits while waiting.
 * @returns {Promise<number>} the HTTP status.
 */
export async function waitForHttp(url, { timeoutMs = 30000, intervalMs = 150, process: proc } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    if (proc?.hasExited()) {
      const info = await proc.exited;
      throw new Error(
        `${proc.name} exited (code ${info.code}, signal ${info.signal}) before ${url} answered. Last output:\n${tail(proc.output(), 40)}`,
      );
    }
    try {
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(Math.max(1000, intervalMs * 10)) });
      await res.arrayBuffer().catch(() => {});
      if (res.status < 500) return res.status;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = err.cause?.code ?? err.message;
    }
    await sleep(intervalMs);
  }
  const extra = proc ? ` Last output of ${proc.name}:\n${tail(proc.output(), 40)}` : '';
  throw new Error(`${url} did not answer within ${Math.round(timeoutMs / 1000)} s (${lastError}).${extra}`);
}

/** Last `n` lines of `text`. */
export function tail(text, n = 40) {
  const lines = String(text ?? '').split('\n');
  return lines.slice(-n).join('\n');
}

/** Synchronous `command --version`-style probe; returns trimmed stdout or null. */
export function probe(cmd, args = ['--version']) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10000 });
  return res.status === 0 ? res.stdout.trim() : null;
}
