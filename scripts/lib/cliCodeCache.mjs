// The CLI's V8 code cache (dist/cli/main.cache, read by src/cliLauncher.ts): made at build time by the Node that
// builds, in a child process with no flags (V8 refuses a cache made under other flags). The child compiles the
// bundle as the launcher does, then runs the commands a person runs most (repos, images, services, help, a usage
// error) against a stand-in AWS of its own on a loopback port, and only then asks V8 for the cache: V8 compiles
// most functions lazily, on their first call, and a cache made before they run would hold little but the top
// level. The stand-in answers made-up names; the child gets dummy credentials, a temporary HOME and no shared
// config files, so nothing of this machine's AWS setup is read and no data of any run can reach the cache.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const at = 1767225600; // 2026-01-01, seconds, as the JSON protocols send timestamps
const repository = {
  repositoryName: 'training',
  repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/training`,
  repositoryUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/training`,
  registryId: ACCOUNT,
  createdAt: at,
  imageTagMutability: 'MUTABLE',
  imageScanningConfiguration: { scanOnPush: true },
  encryptionConfiguration: { encryptionType: 'AES256' },
};
const image = (n) => ({
  registryId: ACCOUNT,
  repositoryName: 'training',
  imageDigest: `sha256:${String(n).repeat(64).slice(0, 64)}`,
  imageTags: [`v1.0.${n}`],
  imageSizeInBytes: 1000 * n,
  imagePushedAt: at + n,
  imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
});
const serviceArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/training/web`;
const taskDefinition = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/web:2`;
const deployment = (id, status, rolloutState) => ({ id, status, taskDefinition, desiredCount: 1, runningCount: 1, pendingCount: 0, failedTasks: 0, rolloutState, createdAt: at, updatedAt: at });

/** The answer of each operation the training runs (JSON 1.1 protocol, by X-Amz-Target). */
const ANSWERS = {
  'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories': { repositories: [repository] },
  'AmazonEC2ContainerRegistry_V20150921.DescribeImages': { imageDetails: [image(1), image(2), image(3)] },
  'AmazonEC2ContainerServiceV20141113.ListServices': { serviceArns: [serviceArn] },
  'AmazonEC2ContainerServiceV20141113.DescribeServices': {
    services: [{ serviceName: 'web', serviceArn, clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/training`, status: 'ACTIVE', taskDefinition, desiredCount: 1, runningCount: 1, pendingCount: 0, launchType: 'FARGATE', deployments: [deployment('ecs-svc/2', 'PRIMARY', 'COMPLETED'), deployment('ecs-svc/1', 'ACTIVE', 'COMPLETED')], events: [] }],
    failures: [],
  },
};

/** What the training runs: every outcome a person sees often (a table, JSON, help, a usage error), with its exit code. */
const RUNS = [
  [['repos', '--output', 'json'], 0],
  [['repos'], 0],
  [['images', '--repository', 'training', '--output', 'json'], 0],
  [['images', '--repository', 'training'], 0],
  [['services', '--cluster', 'training', '--output', 'json'], 0],
  [['services', '--cluster', 'training'], 0],
  [['--version'], 0],
  [['repos', '--help'], 0],
  [['images'], 2],
];

async function train(root, out) {
  const server = createServer((request, response) => {
    request.resume().on('end', () => {
      const answer = ANSWERS[request.headers['x-amz-target']];
      response.writeHead(answer ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(answer ?? { __type: 'UnknownOperationException', message: `not in the training: ${request.headers['x-amz-target']}` }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${server.address().port}`;
  const require = createRequire(import.meta.url);
  const { loadCli, sealCodeCache, BUNDLE } = require(path.join(root, 'dist', 'cli.js'));
  const { script, cli } = loadCli(null);
  for (const [argv, expected] of RUNS) {
    let said = '';
    const write = (text) => void (said += text);
    const aws = argv[0].startsWith('-') ? [] : ['--endpoint-url', endpoint, '--region', REGION];
    const code = await cli.run([...argv, ...aws], { stdout: write, stderr: write, env: process.env, signal: new AbortController().signal });
    if (code !== expected) throw new Error(`code-cache training: ecr-deploy ${argv.join(' ')} exited ${code}, not ${expected}:\n${said}`);
  }
  server.close();
  writeFileSync(out, sealCodeCache(readFileSync(BUNDLE), script.createCachedData()));
}

/** Writes dist/cli/main.cache for the freshly built dist/cli.js and dist/cli/main.js; throws with the child's words. */
export function writeCliCodeCache(root) {
  const out = path.join(root, 'dist', 'cli', 'main.cache');
  rmSync(out, { force: true });
  const home = mkdtempSync(path.join(tmpdir(), 'ecr-deploy-code-cache-'));
  try {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), root, out], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        AWS_ACCESS_KEY_ID: 'code-cache-training',
        AWS_SECRET_ACCESS_KEY: 'code-cache-training',
        AWS_CONFIG_FILE: path.join(home, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_MAX_ATTEMPTS: '1',
      },
    });
    if (child.status !== 0) throw new Error(`the CLI's code cache could not be made:\n${child.stderr || child.stdout}`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await train(process.argv[2], process.argv[3]);
