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
