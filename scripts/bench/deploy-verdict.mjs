// What a deploy's verdict costs and what it says, beside the AWS CLI's `update-service` +
// `wait services-stable`, on the same moto (MOTO_ECS_SERVICE_RUNNING=2, so counts match). moto never
// rolls a new revision out: the AWS CLI's waiter calls that "stable" (exit 0), ecr-deploy says
// "unverified" (exit 1). API calls are counted by a pass-through proxy in front of moto.
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { reportFigure } from '../lib/benchReport.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const { startMoto, TEST_AWS_ENV, freePort } = require(join(ROOT, 'out/test/support/moto.js'));
const { seedReferenceWorld, REFERENCE } = require(join(ROOT, 'out/test/support/referenceWorld.js'));
const { createAwsClients } = require(join(ROOT, 'out/src/aws/clients.js'));
const { resolveConnection } = require(join(ROOT, 'out/src/aws/connection.js'));

/** Forwards every request to moto and counts them by operation (X-Amz-Target). */
async function countingProxy(target) {
  const counts = new Map();
  const server = http.createServer((req, res) => {
    const op = String(req.headers['x-amz-target'] ?? `${req.method} ${req.url}`).split('.').pop();
    counts.set(op, (counts.get(op) ?? 0) + 1);
    const upstream = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${port}`, counts, reset: () => counts.clear(), close: () => new Promise((r) => server.close(r)) };
}

const total = (counts) => [...counts.values()].reduce((a, b) => a + b, 0);
const listing = (counts) => [...counts].map(([op, n]) => `${op} ${n}`).join(', ');

/** Runs a command without blocking this process: the counting proxy lives in it. */
function timed(command, args, env) {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...TEST_AWS_ENV, AWS_DEFAULT_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1', ...env } }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    });
  });
}

const moto = await startMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });
Object.assign(process.env, TEST_AWS_ENV);
const proxy = await countingProxy(moto.endpoint);
try {
  const clients = createAwsClients(resolveConnection({ endpointUrl: moto.endpoint, region: 'us-east-1', maxAttempts: 1 }));
  await seedReferenceWorld(clients);
  clients.destroy();
  const target = ['--cluster', REFERENCE.cluster, '--service', REFERENCE.service];

  proxy.reset();
  const ours = await timed(process.execPath, [join(ROOT, 'dist/cli.js'), 'deploy', ...target, '--tag', 'jwt-auth-v1.0.0', '--output', 'json', '--endpoint-url', proxy.endpoint, '--region', 'us-east-1']);
  const oursCalls = new Map(proxy.counts);
  const verdict = JSON.parse(ours.stdout || '{}').result ?? {};

  const peer = await timed('aws', ['--version']);
  if (peer.status !== 0) throw new Error(`the AWS CLI is the peer and is not installed (apt-get install awscli); ecr-deploy said: exit ${ours.status}, "${verdict.outcome}"`);
  const version = `${peer.stdout}${peer.stderr}`.trim();

  // The peer: the same new revision registered by the dry run's exact input, then update + wait.
  const dry = await timed(process.execPath, [join(ROOT, 'dist/cli.js'), 'deploy', ...target, '--tag', 'dev', '--dry-run', '--output', 'json', '--endpoint-url', moto.endpoint, '--region', 'us-east-1']);
  const input = JSON.parse(dry.stdout).registerTaskDefinitionInput;
  proxy.reset();
  const aws = (...args) => timed('aws', [...args, '--endpoint-url', proxy.endpoint, '--region', 'us-east-1', '--output', 'json']);
  const registered = await aws('ecs', 'register-task-definition', '--cli-input-json', JSON.stringify(input));
  const arn = JSON.parse(registered.stdout).taskDefinition.taskDefinitionArn;
  const updated = await aws('ecs', 'update-service', ...target, '--task-definition', arn);
  const waited = await aws('ecs', 'wait', 'services-stable', '--cluster', REFERENCE.cluster, '--services', REFERENCE.service);
  const peerMs = registered.ms + updated.ms + waited.ms;

  console.log(`Deploy a tag to sales-prod/sales-prod-mcp-server-production on moto (which never rolls out a new revision); peer: ${version.split(' ')[0]}`);
  console.log(`  ecr-deploy deploy: exit ${ours.status}, verdict "${verdict.outcome}" in ${(ours.ms / 1000).toFixed(2)} s, ${total(oursCalls)} API calls (${listing(oursCalls)})`);
  console.log(`  aws ecs register-task-definition + update-service + wait services-stable: exit ${waited.status} ("stable") in ${(peerMs / 1000).toFixed(2)} s, ${total(proxy.counts)} API calls (${listing(proxy.counts)})`);
  console.log(`  ratio of time ecr-deploy / aws cli: ${(ours.ms / peerMs).toFixed(2)}`);
  // The goal here is the verdict, not the time: a rollout-less update is not called a success.
  reportFigure({ figure: 'deploy verdict on a rollout-less update', project: `"${verdict.outcome}" in ${(ours.ms / 1000).toFixed(2)} s`, peer: `"stable" in ${(peerMs / 1000).toFixed(2)} s (${version.split(' ')[0]})`, ratio: ours.ms / peerMs, goal: 'says unverified, exit 1', met: ours.status === 1 && verdict.outcome === 'unverified' });
  console.log(`  what each said: ecr-deploy: ${verdict.reason}`);
  console.log('                  aws cli: exit 0 after its waiter saw one deployment and runningCount == desiredCount.');
  if (ours.status !== 1 || verdict.outcome !== 'unverified') {
    console.error(`unexpected: ecr-deploy should not call a rollout-less update a success (exit ${ours.status}, ${ours.stderr})`);
    process.exitCode = 1;
  }
} finally {
  await proxy.close();
  await moto.stop();
}
