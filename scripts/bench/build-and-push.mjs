// What `ecr-deploy build-and-push` costs beside the runbook it replaces, on the same engine, registry and
// moto: `aws ecr get-login-password | docker login --password-stdin`, `docker build --platform`,
// `docker push`. Both build the same Dockerfile (warm layer cache after the first round) and push a
// fresh tag each round, alternating; medians. The difference is what the tool adds: its own start,
// the repository lookup, the platform check and recording the image with moto's API.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportFigure } from '../lib/benchReport.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ROUNDS = 5;

const moto = (await import(join(ROOT, 'out/test/support/moto.js'))).default;
const docker = (await import(join(ROOT, 'out/test/support/docker.js'))).default;
const { CreateRepositoryCommand } = await import('@aws-sdk/client-ecr');
const { createAwsClients } = (await import(join(ROOT, 'out/src/aws/clients.js'))).default;
const { resolveConnection } = (await import(join(ROOT, 'out/src/aws/connection.js'))).default;

const awsCli = ['/usr/bin/aws', 'aws'].find((c) => spawnSync(c, ['--version']).status === 0);
const [server, world] = await Promise.all([moto.startMoto(), docker.startDockerWorld()]);
const project = mkdtempSync(join(tmpdir(), 'ecr-deploy-bench-'));
try {
  Object.assign(process.env, moto.TEST_AWS_ENV);
  const clients = createAwsClients(resolveConnection({ endpointUrl: server.endpoint, region: 'us-east-1', maxAttempts: 1 }));
  await clients.ecr.send(new CreateRepositoryCommand({ repositoryName: 'bench-service' }));
  clients.destroy();
  writeFileSync(join(project, 'Dockerfile'), `FROM ${world.baseImage}\nRUN echo bench > /bench.txt\n`);
  const env = { ...process.env, ...moto.TEST_AWS_ENV, ...world.env, AWS_MAX_ATTEMPTS: '1' };
  const image = `${world.registry.endpoint}/bench-service`;

  const timed = (command, args, options = {}) => {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: project, env, encoding: 'utf8', ...options });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const tool = (tag) =>
    timed(process.execPath, [join(ROOT, 'dist/cli.js'), 'build-and-push', '--repository', 'bench-service', '--tag', tag, '--registry-endpoint', world.registry.endpoint, '--endpoint-url', server.endpoint]);
  const runbook = (tag) =>
    timed('sh', [
      '-c',
      `set -e; "$AWS" ecr get-login-password --endpoint-url "$ENDPOINT" | docker login --username AWS --password-stdin "$REGISTRY"; docker build --platform linux/amd64 -t "$IMAGE:$TAG" -f Dockerfile .; docker push "$IMAGE:$TAG"`,
    ], { env: { ...env, AWS: awsCli ?? 'aws', ENDPOINT: server.endpoint, REGISTRY: world.registry.endpoint, IMAGE: image, TAG: tag } });

  if (!awsCli) throw new Error('the AWS CLI is missing (apt-get install awscli): no runbook to compare with');
  tool('warmup');
  const ours = [];
  const theirs = [];
  for (let round = 0; round < ROUNDS; round++) {
    ours.push(tool(`tool-${round}`));
    theirs.push(runbook(`runbook-${round}`));
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const a = median(ours);
  const b = median(theirs);
  console.log(`ecr-deploy build-and-push (lookup, login, build, platform check, push, record): ${a.toFixed(0)} ms median of ${ROUNDS}`);
  console.log(`runbook (aws ecr get-login-password | docker login; docker build; docker push): ${b.toFixed(0)} ms median of ${ROUNDS}`);
  console.log(`ratio tool / runbook: ${(a / b).toFixed(2)}  (${awsCli}, warm layer cache, loopback registry)`);
  reportFigure({ figure: 'build and push (lookup, login, build, push)', project: `${a.toFixed(0)} ms`, peer: `${b.toFixed(0)} ms (docker runbook with ${awsCli})`, ratio: a / b, goal: 'none stated (shown for the record)', met: null });
} finally {
  rmSync(project, { recursive: true, force: true });
  await Promise.all([server.stop(), world.stop()]);
}
