// The project's local AWS: `node scripts/local-aws.mjs [--port P] [--empty] [--time-scale F]`.
// moto_server on an internal loopback port, and in front of it on 127.0.0.1:P the ECS rollout engine
// (scripts/local-aws/), over the real AWS wire protocol. Prints `endpoint http://127.0.0.1:P` once ready;
// SIGINT/SIGTERM stop everything it started.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startMotoServer } from './local-aws/moto.mjs';
import { startLocalAwsServer } from './local-aws/server.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function usage(message) {
  if (message) console.error(`local-aws: ${message}`);
  console.error('usage: node scripts/local-aws.mjs [--port P] [--empty] [--time-scale F] [--docker-host unix:///PATH --docker-registry HOST:PORT]');
  process.exit(2);
}

function parseArgs(argv) {
  const options = { port: 0, empty: false, timeScale: 1, dockerHost: undefined, dockerRegistry: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--empty') options.empty = true;
    else if (a === '--port' || a.startsWith('--port=')) {
      options.port = Number(value());
      if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) usage('--port must be a port number');
    } else if (a === '--time-scale' || a.startsWith('--time-scale=')) {
      options.timeScale = Number(value());
      if (!(options.timeScale > 0)) usage('--time-scale must be a positive number');
    } else if (a === '--docker-host' || a.startsWith('--docker-host=')) options.dockerHost = value();
    else if (a === '--docker-registry' || a.startsWith('--docker-registry=')) options.dockerRegistry = value();
    else if (a === '--help' || a === '-h') usage();
    else usage(`unknown argument ${a}`);
  }
  if (Boolean(options.dockerHost) !== Boolean(options.dockerRegistry)) usage('--docker-host and --docker-registry go together');
  return options;
}

/**
 * The demo world: the reference world and its scan findings from the compiled test support
 * (`npx tsc -p tsconfig.test.json` writes it to out/), plus the tags and the blue/green service of test/support/rolloutWorld.ts,
 * and the services' load balancers and CloudWatch series of test/support/metricsWorld.ts. Returns what stops the live series.
 */
async function seedDemoWorld(endpoint) {
  const compiled = (p) => join(ROOT, 'out', 'test', 'support', p);
  if (!existsSync(compiled('referenceWorld.js'))) {
    throw new Error('the demo world needs the compiled test support: run `npx tsc -p tsconfig.test.json` first, or start with --empty');
  }
  const { ECRClient } = await import('@aws-sdk/client-ecr');
  const { ECSClient } = await import('@aws-sdk/client-ecs');
  const { CloudWatchLogsClient } = await import('@aws-sdk/client-cloudwatch-logs');
  const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
  const { ElasticLoadBalancingV2Client } = await import('@aws-sdk/client-elastic-load-balancing-v2');
  // IAM for the task execution role the reference task definition names (Diagnose Service reads it).
  const { IAMClient } = await import('@aws-sdk/client-iam');
  const clients = { ecr: new ECRClient(config), ecs: new ECSClient(config), logs: new CloudWatchLogsClient(config), cloudwatch: new CloudWatchClient(config), elbv2: new ElasticLoadBalancingV2Client(config), iam: new IAMClient(config) };
  const { seedReferenceWorld } = (await import(pathToFileURL(compiled('referenceWorld.js')).href)).default;
  const { seedRolloutWorld } = (await import(pathToFileURL(compiled('rolloutWorld.js')).href)).default;
  const { injectReferenceScanFindings } = (await import(pathToFileURL(compiled('scanFindings.js')).href)).default;
  const { seedMetricsWorld, startLiveMetrics } = (await import(pathToFileURL(compiled('metricsWorld.js')).href)).default;
  try {
    const seeded = await seedReferenceWorld(clients);
    await injectReferenceScanFindings(endpoint, clients.ecr);
    await seedRolloutWorld(clients, endpoint, seeded);
    const demoServices = await seedMetricsWorld(clients, endpoint);
    // The demo keeps writing a point a minute (errors and an unhealthy host while a rollout's tasks fail).
    const stopLive = startLiveMetrics(clients, demoServices);
    return () => {
      stopLive();
      for (const c of Object.values(clients)) c.destroy();
    };
  } catch (e) {
    for (const c of Object.values(clients)) c.destroy();
    throw e;
  }
}

const options = parseArgs(process.argv.slice(2));
const stops = [];
let stopping = false;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const stop of stops.reverse()) {
    try {
      await stop();
    } catch (e) {
      console.error(`local-aws: stopping: ${e.message}`);
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  // The SDK on Node 20 warns on every client; the seeding clients are ours, not the user's.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const moto = await startMotoServer();
  stops.push(() => moto.stop());
  moto.onUnexpectedExit((code, signal, log) => {
    console.error(`local-aws: moto_server exited (${signal ?? code}); stopping. ${log.slice(-500)}`);
    void stopAll(1);
  });
  const docker = options.dockerHost ? { dockerHost: options.dockerHost, registry: options.dockerRegistry } : undefined;
  const server = await startLocalAwsServer({ motoEndpoint: moto.endpoint, port: options.port, timeScale: options.timeScale, docker });
  stops.push(() => server.close());
  const endpoint = `http://127.0.0.1:${server.port}`;
  if (!options.empty) stops.push(await seedDemoWorld(endpoint));
  console.log(`endpoint ${endpoint}`);
} catch (e) {
  console.error(`local-aws: ${e.message}`);
  await stopAll(1);
}
