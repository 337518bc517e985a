/**
 * A Docker engine and registry for the e2e world and the demo sandbox, where the machine can run them:
 * the same harness as the integration tests (test/support/docker.ts), plus what the extension needs to
 * use them: the environment of its host (DOCKER_HOST, DOCKER_CONFIG) and its settings (the registry
 * endpoint, the repository build tasks push to). On a machine that cannot run dockerd it says why and
 * starts nothing, so the rest of the sandbox still works.
 *
 * From an .mjs script (after `tsc -p tsconfig.test.json`):
 *   const { startDockerSandbox } = (await import('../out/test/support/dockerWorld.js')).default;
 *   const docker = await startDockerSandbox({ repository: 'quilt-mcp-server', baseImageTag: 'busybox-base' });
 *   if (docker.available) { env = { ...env, ...docker.env }; settings = { ...settings, ...docker.settings }; stops.push(docker.stop); }
 *   else console.log(`no Docker engine: ${docker.reason}`);
 *
 * Standalone (prints the JSON below, stops everything on SIGINT/SIGTERM):
 *   node out/test/support/dockerWorld.js [--repository NAME] [--base-image TAG]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dockerUnavailableReason, startDockerWorld, type DockerWorld } from './docker';

export interface DockerSandbox {
  available: true;
  /** For the extension host: its container CLI reaches this engine and keeps its login state here. */
  env: { DOCKER_HOST: string; DOCKER_CONFIG: string };
  /** User settings: the registry endpoint replaces moto's unreachable registry host. */
  settings: Record<string, string>;
  registryEndpoint: string;
  baseImage: string;
  world: DockerWorld;
  stop(): Promise<void>;
}

export interface DockerSandboxOptions {
  /** Build tasks of the workspace push here (`ecrDeploy.build.repository`); omitted: not set. */
  repository?: string;
  /** Tag of the busybox base image the sandbox's Dockerfiles build FROM (default local/busybox:latest). */
  baseImageTag?: string;
}

export async function startDockerSandbox(options: DockerSandboxOptions = {}): Promise<DockerSandbox | { available: false; reason: string }> {
  const reason = dockerUnavailableReason();
  if (reason) return { available: false, reason };
  const world = await startDockerWorld({ baseImageTag: options.baseImageTag });
  return {
    available: true,
    env: world.env,
    settings: {
      'ecrDeploy.registryEndpoint': world.registry.endpoint,
      ...(options.repository ? { 'ecrDeploy.build.repository': options.repository } : {}),
    },
    registryEndpoint: world.registry.endpoint,
    baseImage: world.baseImage,
    world,
    stop: () => world.stop(),
  };
}

/** What the hello service prints every few seconds: a tail of the service shows it once a deploy of it runs. */
export const HELLO_SERVICE_LINE = 'hello from ECR Deploy';

/**
 * Writes `hello-busybox/` into a workspace: a service the reference task definition can run for real. It answers
 * the task definition's health check on :8000/healthz (busybox httpd; busybox has wget, the health check asks for
 * curl, so a shim) and prints HELLO_SERVICE_LINE every few seconds. Returns the Dockerfile's path.
 */
export function writeHelloService(workspace: string): string {
  const dir = path.join(workspace, 'hello-busybox');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'curl'), '#!/bin/sh\nfor a; do url=$a; done\nexec wget -q -O /dev/null "$url"\n');
  const dockerfile = path.join(dir, 'Dockerfile');
  fs.writeFileSync(
    dockerfile,
    `FROM busybox-base\nCOPY curl /bin/curl\nRUN chmod +x /bin/curl && mkdir /www && echo ok > /www/healthz && echo "${HELLO_SERVICE_LINE}" > /hello.txt\n` +
      'CMD ["/bin/sh", "-c", "httpd -p 8000 -h /www; trap \'exit 0\' TERM; while :; do cat /hello.txt; sleep 5; done"]\n',
  );
  return dockerfile;
}

/**
 * Tells the local AWS at `endpoint` about the sandbox's engine and registry: from then on a task whose images are
 * all in that registry runs as a real container, its output in CloudWatch Logs. Returns the detach, which removes
 * those containers; call it before the engine stops.
 */
export async function runPushedImagesForReal(sandbox: DockerSandbox, endpoint: string): Promise<() => Promise<void>> {
  const post = async (body: unknown) => {
    const res = await fetch(`${endpoint}/_local/docker`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`the local AWS refused the Docker engine: HTTP ${res.status} ${await res.text()}`);
  };
  await post({ dockerHost: sandbox.env.DOCKER_HOST, registry: sandbox.registryEndpoint });
  return () => post({});
}

if (require.main === module) {
  const flag = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  void (async () => {
    const sandbox = await startDockerSandbox({ repository: flag('--repository'), baseImageTag: flag('--base-image') });
    if (!sandbox.available) {
      console.error(`dockerWorld: cannot run a Docker engine here: ${sandbox.reason}`);
      process.exit(1);
    }
    console.log(JSON.stringify({ env: sandbox.env, settings: sandbox.settings, registryEndpoint: sandbox.registryEndpoint, baseImage: sandbox.baseImage, pids: { dockerd: sandbox.world.engine.pid, registry: sandbox.world.registry.pid } }, null, 2));
    const stop = () => void sandbox.stop().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  })().catch((error: unknown) => {
    console.error(`dockerWorld: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
