/**
 * A real Docker engine and a real registry for tests and the demo (TEST-ENVIRONMENT.md section 2):
 * Debian's dockerd and docker-registry, started as child processes and stopped by their PIDs.
 *
 * Decision: an engine already running on /var/run/docker.sock is never reused. Tests must neither
 * depend on nor change a developer's engine (images, build cache, `docker login` state), and a shared
 * engine would let one test file see another's images. So every world is its own:
 *   - a directory from mkdtemp under the cache dir (ECR_DEPLOY_CACHE_DIR, else $XDG_CACHE_HOME or
 *     ~/.cache, + ecr-deploy/docker) holding the engine's data root, exec root, pidfile and socket,
 *     the registry's storage and htpasswd, and a DOCKER_CONFIG for login state;
 *   - dockerd on a unix socket in that directory, with `--bridge=none` and no iptables changes, and
 *     its own (empty) daemon.json, so two engines never share a bridge, a rule or a config;
 *   - the registry on a free loopback port.
 * Two test files (or a test run beside the demo) therefore cannot collide. The cost is ~2 s per
 * engine plus ~3 s to build the busybox base image into it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './moto';

/** moto's GetAuthorizationToken password (base64 `AWS:123456789012-auth-token`). */
export const MOTO_REGISTRY_PASSWORD = '123456789012-auth-token';
export const REGISTRY_USERNAME = 'AWS';
export const BUSYBOX_BASE_IMAGE = 'local/busybox:latest';
const BUSYBOX_BINARY = '/bin/busybox';

export function dockerCacheDir(): string {
  const cache = process.env.ECR_DEPLOY_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'ecr-deploy');
  return path.join(cache, 'docker');
}

/** Why a Docker world cannot start on this machine, or undefined when it can. */
export function dockerUnavailableReason(): string | undefined {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'dockerd needs root here (no rootless setup)';
  for (const program of ['dockerd', 'docker', 'docker-registry', 'htpasswd']) {
    if (!onPath(program)) return `${program} is not installed (apt-get install docker.io docker-registry apache2-utils busybox-static)`;
  }
  if (!fs.existsSync(BUSYBOX_BINARY)) return `${BUSYBOX_BINARY} is missing (apt-get install busybox-static)`;
  return undefined;
}

function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, program)));
}

const livePids = new Set<number>();
let exitHookInstalled = false;

/** A test process that dies must not leave daemons behind: whatever is still running gets SIGTERM. */
function track(pid: number): void {
  livePids.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of livePids) signal(p, 'SIGTERM');
  });
}

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  return signal(pid, 0 as unknown as NodeJS.Signals);
}

interface Daemon {
  child: ChildProcess;
  output(): string;
}

function startDaemon(program: string, args: string[], env: NodeJS.ProcessEnv = process.env): Daemon {
  const child = spawn(program, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('error', (error) => keep(Buffer.from(`[spawn error] ${error.message}`)));
  if (child.pid) track(child.pid);
  return { child, output: () => output };
}

async function waitFor(what: string, daemon: Daemon, ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (daemon.child.exitCode !== null || daemon.child.signalCode !== null) throw new Error(`${what} exited before it was ready:\n${daemon.output()}`);
    if (await ready().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} was not ready within ${timeoutMs} ms:\n${daemon.output()}`);
}

/** Stops a process by PID: SIGTERM, then SIGKILL after the grace period. */
async function stopPid(pid: number | undefined, graceMs: number): Promise<void> {
  if (!pid) return;
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) signal(pid, 'SIGKILL');
  livePids.delete(pid);
}

function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    if (child.pid) livePids.delete(child.pid);
    return Promise.resolve();
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return Promise.all([exited, stopPid(child.pid, graceMs)]).then(() => undefined);
}

function pingUnixSocket(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ socketPath, path: '/_ping', timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
  });
}

export interface DockerEngine {
  /** `unix:///…/docker.sock`, for DOCKER_HOST. */
  host: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startDockerEngine(dir: string): Promise<DockerEngine> {
  fs.mkdirSync(dir, { recursive: true });
  const socket = path.join(dir, 'docker.sock');
  const execRoot = path.join(dir, 'exec');
  const daemonConfig = path.join(dir, 'daemon.json');
  fs.writeFileSync(daemonConfig, '{}\n');
  const daemon = startDaemon('dockerd', [
    '--config-file', daemonConfig,
    '--data-root', path.join(dir, 'data'),
    '--exec-root', execRoot,
    '--pidfile', path.join(dir, 'dockerd.pid'),
    '-H', `unix://${socket}`,
    '--bridge=none',
    '--iptables=false',
    '--ip6tables=false',
    '--ip-masq=false',
    '--log-level=warn',
  ]);
  await waitFor('dockerd', daemon, () => pingUnixSocket(socket), 60_000);
  const pid = daemon.child.pid!;
  return {
    host: `unix://${socket}`,
    pid,
    async stop() {
      // dockerd stops its containerd on SIGTERM; one killed hard leaves containerd behind, so that is checked too.
      const containerdPidFile = path.join(execRoot, 'containerd', 'containerd.pid');
      const containerdPid = Number(fs.existsSync(containerdPidFile) ? fs.readFileSync(containerdPidFile, 'utf8').trim() : 0) || undefined;
      await stopChild(daemon.child, 20_000);
      if (containerdPid && isAlive(containerdPid)) await stopPid(containerdPid, 5_000);
    },
  };
}

export interface TestRegistry {
  /** `127.0.0.1:PORT` */
  endpoint: string;
  username: string;
  password: string;
  pid: number;
  stop(): Promise<void>;
}

function htpasswdLine(username: string, password: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // -i: the password comes on stdin, not in argv.
    const child = execFile('htpasswd', ['-iBn', username], (error, stdout, stderr) => {
      if (error) reject(new Error(`htpasswd failed: ${stderr || error.message}`));
      else resolve(stdout.trim());
    });
    child.stdin?.end(password);
  });
}

/** `anonymous: true`: no auth at all, as a public registry answers pulls (the readiness pin reads such a one). */
export async function startRegistry(dir: string, credentials: { username?: string; password?: string; anonymous?: boolean } = {}): Promise<TestRegistry> {
  const username = credentials.username ?? REGISTRY_USERNAME;
  const password = credentials.password ?? MOTO_REGISTRY_PASSWORD;
  fs.mkdirSync(dir, { recursive: true });
  const htpasswd = path.join(dir, 'htpasswd');
  fs.writeFileSync(htpasswd, `${await htpasswdLine(username, password)}\n`, { mode: 0o600 });
  let lastError: unknown;
  // A free port can be taken between finding it and binding it: a few tries.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = path.join(dir, 'config.yml');
    fs.writeFileSync(
      config,
      [
        'version: 0.1',
        'log:',
        '  level: warn',
        '  accesslog:',
        '    disabled: true',
        'storage:',
        '  filesystem:',
        `    rootdirectory: ${JSON.stringify(path.join(dir, 'data'))}`,
        '  delete:',
        '    enabled: true',
        'http:',
        `  addr: 127.0.0.1:${port}`,
        ...(credentials.anonymous ? [] : ['auth:', '  htpasswd:', '    realm: ecr-deploy-test', `    path: ${JSON.stringify(htpasswd)}`]),
        '',
      ].join('\n'),
    );
    const daemon = startDaemon('docker-registry', ['serve', config]);
    const endpoint = `127.0.0.1:${port}`;
    try {
      await waitFor('docker-registry', daemon, async () => (await fetch(`http://${endpoint}/v2/`)).status === (credentials.anonymous ? 200 : 401), 15_000);
      return { endpoint, username, password, pid: daemon.child.pid!, stop: () => stopChild(daemon.child, 5_000) };
    } catch (error) {
      lastError = error;
      await stopChild(daemon.child, 1_000);
    }
  }
  throw lastError;
}

/** Runs the docker CLI against an engine; rejects with its output on failure. */
export function dockerCli(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('docker', args, { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024, timeout: 300_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`docker ${args.join(' ')} failed: ${stderr || stdout || error.message}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** True for a 64-bit little-endian ELF with a PT_INTERP program header, i.e. one that needs a dynamic loader. */
function hasElfInterpreter(binary: Buffer): boolean {
  if (binary.length < 64 || binary.readUInt32BE(0) !== 0x7f454c46 || binary[4] !== 2 || binary[5] !== 1) return false;
  const tableOffset = Number(binary.readBigUInt64LE(0x20));
  const entrySize = binary.readUInt16LE(0x36);
  const entries = binary.readUInt16LE(0x38);
  for (let i = 0; i < entries; i++) {
    const at = tableOffset + i * entrySize;
    if (at + 4 <= binary.length && binary.readUInt32LE(at) === 3) return true;
  }
  return false;
}

/**
 * A base image with a shell, built from nothing (no registry can be pulled from here): busybox-static
 * copied into `scratch`, its applets installed by a RUN step.
 */
export async function buildBusyboxBase(env: NodeJS.ProcessEnv, dir: string, tag = BUSYBOX_BASE_IMAGE): Promise<string> {
  if (!fs.existsSync(BUSYBOX_BINARY)) throw new Error(`${BUSYBOX_BINARY} is missing: apt-get install busybox-static`);
  // Debian's plain `busybox` package installs a dynamically linked one, which cannot run in `scratch`.
  if (hasElfInterpreter(fs.readFileSync(BUSYBOX_BINARY))) throw new Error(`${BUSYBOX_BINARY} is dynamically linked: apt-get install busybox-static`);
  const context = path.join(dir, 'busybox-base');
  fs.mkdirSync(context, { recursive: true });
  fs.copyFileSync(BUSYBOX_BINARY, path.join(context, 'busybox'));
  fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCMD ["/bin/sh"]\n');
  await dockerCli(['build', '--platform', 'linux/amd64', '-t', tag, context], env);
  return tag;
}

export interface DockerWorld {
  dir: string;
  engine: DockerEngine;
  registry: TestRegistry;
  baseImage: string;
  /** DOCKER_HOST of this engine and a DOCKER_CONFIG of this world's own (login state). */
  env: { DOCKER_HOST: string; DOCKER_CONFIG: string };
  stop(): Promise<void>;
}

export interface DockerWorldOptions {
  /** Defaults to a fresh directory under dockerCacheDir(), removed by stop(). */
  dir?: string;
  registryPassword?: string;
  /** Build the busybox base image (default true). */
  baseImage?: boolean;
  /** The base image's tag (default local/busybox:latest). */
  baseImageTag?: string;
}

export async function startDockerWorld(options: DockerWorldOptions = {}): Promise<DockerWorld> {
  const unavailable = dockerUnavailableReason();
  if (unavailable) throw new Error(`Cannot start a Docker engine here: ${unavailable}.`);
  const ownsDir = !options.dir;
  if (ownsDir) fs.mkdirSync(dockerCacheDir(), { recursive: true });
  const dir = options.dir ?? fs.mkdtempSync(path.join(dockerCacheDir(), 'world-'));
  const dockerConfig = path.join(dir, 'docker-config');
  fs.mkdirSync(dockerConfig, { recursive: true });
  const started: Array<{ stop(): Promise<void> }> = [];
  const stopAll = async () => {
    for (const part of started.reverse()) await part.stop();
    if (ownsDir) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    // Both start at once; whichever started is stopped again if the other failed.
    const [engineStart, registryStart] = await Promise.allSettled([
      startDockerEngine(path.join(dir, 'engine')),
      startRegistry(path.join(dir, 'registry'), { password: options.registryPassword }),
    ]);
    for (const outcome of [engineStart, registryStart]) if (outcome.status === 'fulfilled') started.push(outcome.value);
    if (engineStart.status === 'rejected') throw engineStart.reason;
    if (registryStart.status === 'rejected') throw registryStart.reason;
    const engine = engineStart.value;
    const registry = registryStart.value;
    const env = { DOCKER_HOST: engine.host, DOCKER_CONFIG: dockerConfig };
    const baseImage = options.baseImage === false ? '' : await buildBusyboxBase(env, dir, options.baseImageTag);
    return { dir, engine, registry, baseImage, env, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
