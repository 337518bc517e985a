// One-shot CLI commands as whole processes, beside the AWS CLI doing the same reads on the same moto:
// `ecr-deploy repos` / `aws ecr describe-repositories`, `ecr-deploy images` / `aws ecr describe-images`,
// `ecr-deploy services` / `aws ecs list-services` + `describe-services`. What a person waits for, start of
// the process to its exit, median of several runs; the region is passed, so no peer fails on a missing one.
// Whatever `aws` is on PATH is measured and named (its version printed): the goal is stated against v2.
// ECR_DEPLOY_CLI=<another build's cli.js> measures that build instead (a before/after comparison).
//
// Both CLIs run without the CA bundle variables of the caller's environment (NODE_EXTRA_CA_CERTS, AWS_CA_BUNDLE):
// the endpoint is moto over plain HTTP, so neither reads a certificate for it, but Node 20 loads the file named
// by NODE_EXTRA_CA_CERTS at startup whatever the command (110-120 ms for Debian's 144-certificate bundle here,
// where a sandbox sets it), which would measure the environment, not the CLI. When it is set, what it costs is
// measured and printed beside the figures, with the repos figure under it, so nothing is hidden.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, reportFigure } from '../lib/benchReport.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const { startMoto, TEST_AWS_ENV } = require(join(ROOT, 'out/test/support/moto.js'));
const { seedReferenceWorld, REFERENCE } = require(join(ROOT, 'out/test/support/referenceWorld.js'));
const { createAwsClients } = require(join(ROOT, 'out/src/aws/clients.js'));
const { resolveConnection } = require(join(ROOT, 'out/src/aws/connection.js'));

const RUNS = 7;
const CLI = process.env.ECR_DEPLOY_CLI || join(ROOT, 'dist/cli.js');
const REGION = 'us-east-1';
/** Issue 16: a one-shot read is at least 4x faster than the AWS CLI v2 doing it (our time / theirs <= 0.25). */
const GOAL_RATIO = 0.25;

const CA_BUNDLE_VARIABLES = ['NODE_EXTRA_CA_CERTS', 'AWS_CA_BUNDLE'];
const callerExtraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
const withoutCaBundles = Object.fromEntries(Object.entries(process.env).filter(([name]) => !CA_BUNDLE_VARIABLES.includes(name)));

function timed(command, args, env) {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8', timeout: 120_000, env: { ...withoutCaBundles, ...TEST_AWS_ENV, AWS_DEFAULT_REGION: REGION, AWS_REGION: REGION, AWS_MAX_ATTEMPTS: '1', AWS_PAGER: '', ...env } }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    });
  });
}

/** The AWS CLI on PATH (Debian's v2 is /usr/bin/aws), its version line, and whether it is v2; never throws. */
function findPeer() {
  for (const command of ['/usr/bin/aws', 'aws']) {
    if (command.startsWith('/') && !existsSync(command)) continue;
    const version = spawnSync(command, ['--version'], { encoding: 'utf8', env: { ...process.env, AWS_DEFAULT_REGION: REGION } });
    if (version.status === 0) {
      const line = `${version.stdout}${version.stderr}`.trim().split('\n')[0];
      return { command, version: line, v2: /^aws-cli\/2\./.test(line) };
    }
  }
  return undefined;
}

async function medianOf(run) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await run();
    if (r.status !== 0) throw new Error(`exit ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(-1)[0]}`);
    samples.push(r.ms);
  }
  return median(samples);
}

const moto = await startMoto();
let failed = false;
try {
  Object.assign(process.env, TEST_AWS_ENV);
  const clients = createAwsClients(resolveConnection({ endpointUrl: moto.endpoint, region: REGION, maxAttempts: 1 }));
  await seedReferenceWorld(clients);
  clients.destroy();
  const peer = findPeer();
  console.log(`ecr-deploy: ${CLI}`);
  console.log(`peer: ${peer ? `${peer.command} (${peer.version})${peer.v2 ? '' : ' - NOT the AWS CLI v2 the goal is stated against'}` : 'no AWS CLI on PATH (apt-get install awscli for v2)'}`);
  const ours = (...args) => () => timed(process.execPath, [CLI, ...args, '--output', 'json', '--endpoint-url', moto.endpoint, '--region', REGION]);
  const aws = (...args) => () => timed(peer.command, [...args, '--endpoint-url', moto.endpoint, '--region', REGION, '--output', 'json']);
  const cases = [
    { figure: 'CLI repos (whole process)', ours: ours('repos'), peer: [aws('ecr', 'describe-repositories')], peerText: 'aws ecr describe-repositories' },
    { figure: 'CLI images (whole process)', ours: ours('images', '--repository', REFERENCE.repository), peer: [aws('ecr', 'describe-images', '--repository-name', REFERENCE.repository)], peerText: 'aws ecr describe-images' },
    {
      figure: 'CLI services (whole process)',
      ours: ours('services', '--cluster', REFERENCE.cluster),
      peer: [aws('ecs', 'list-services', '--cluster', REFERENCE.cluster), aws('ecs', 'describe-services', '--cluster', REFERENCE.cluster, '--services', REFERENCE.service)],
      peerText: 'aws ecs list-services + describe-services',
    },
  ];
  const floor = await medianOf(() => timed(process.execPath, ['-e', '']));
  console.log(`node -e '' (a Node process that does nothing): ${floor.toFixed(0)} ms`);
  if (callerExtraCaCerts) {
    const withCa = { NODE_EXTRA_CA_CERTS: callerExtraCaCerts };
    const floorWithCa = await medianOf(() => timed(process.execPath, ['-e', ''], withCa));
    const reposWithCa = await medianOf(() => timed(process.execPath, [CLI, 'repos', '--output', 'json', '--endpoint-url', moto.endpoint, '--region', REGION], withCa));
    console.log(
      `NODE_EXTRA_CA_CERTS is set here (${callerExtraCaCerts}): Node loads it at startup, node -e '' ${floorWithCa.toFixed(0)} ms with it; ` +
        `ecr-deploy repos ${reposWithCa.toFixed(0)} ms with it. The figures below run both CLIs without the CA bundle variables.`,
    );
    reportFigure({ figure: 'Node startup with NODE_EXTRA_CA_CERTS (environment)', project: `${floorWithCa.toFixed(0)} ms`, peer: `${floor.toFixed(0)} ms (without it)`, ratio: floorWithCa / floor, goal: 'none: the environment', met: null });
  }
  for (const c of cases) {
    try {
      const oursMs = await medianOf(c.ours);
      if (!peer) {
        console.log(`${c.figure}: ecr-deploy ${oursMs.toFixed(0)} ms; no peer`);
        reportFigure({ figure: c.figure, project: `${oursMs.toFixed(0)} ms`, peer: 'no AWS CLI', goal: `<= ${GOAL_RATIO}x AWS CLI v2`, met: false, note: 'no AWS CLI on PATH' });
        continue;
      }
      let peerMs = 0;
      for (const step of c.peer) peerMs += await medianOf(step);
      const ratio = oursMs / peerMs;
      console.log(`${c.figure}: ecr-deploy ${oursMs.toFixed(0)} ms, ${c.peerText} ${peerMs.toFixed(0)} ms, ratio ${ratio.toFixed(2)} (median of ${RUNS})`);
      reportFigure({ figure: c.figure, project: `${oursMs.toFixed(0)} ms`, peer: `${peerMs.toFixed(0)} ms (${c.peerText}, ${peer.version.split(' ')[0]})`, ratio, goal: `<= ${GOAL_RATIO}x AWS CLI v2`, met: peer.v2 && ratio <= GOAL_RATIO, note: peer.v2 ? undefined : 'peer is not AWS CLI v2' });
    } catch (error) {
      failed = true;
      console.log(`${c.figure}: could not be measured: ${error.message}`);
      reportFigure({ figure: c.figure, project: 'not measured', goal: `<= ${GOAL_RATIO}x AWS CLI v2`, met: false, note: error.message.slice(0, 120) });
    }
  }
} finally {
  await moto.stop();
}
process.exit(failed ? 1 : 0);
