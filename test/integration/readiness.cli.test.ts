/**
 * `ecr-deploy check` against the local AWS over the wire: a protected service whose deployed revision, image and
 * repository break every rule that can be seen from AWS (scan on push off, mutable tags, no lifecycle policy, a
 * public policy, an arm64 image on an X86_64 task), and a clean world that gives no error or warning. Images are
 * put into moto's ECR with real OCI index manifests, so the platform is read as in a real registry.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateRepositoryCommand, PutImageCommand, PutImageScanningConfigurationCommand, PutImageTagMutabilityCommand, PutLifecyclePolicyCommand, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand, type ContainerDefinition } from '@aws-sdk/client-ecs';
import { NETWORK, startLocalAws, type LocalAws } from '../support/localAws';
import { runCliProcess } from '../support/cliProcess';

const CLUSTER = 'shop';
interface Row {
  file: string;
  line: number;
  column: number;
  rule: string;
  severity: string;
  message: string;
}

function indexManifest(architecture: string): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${architecture === 'amd64' ? 'a' : 'b'}${'0'.repeat(63)}`, size: 500, platform: { os: 'linux', architecture } }],
  });
}

describe('ecr-deploy check: a service\'s deployed revision, its image and its repository, on the local AWS', () => {
  let aws: LocalAws;
  let dir: string;
  const cli = (...args: string[]) => runCliProcess(['check', '--endpoint-url', aws.endpoint, '--region', 'us-east-1', ...args]);

  async function serviceWith(name: string, repository: string, image: { tag: string; architecture: string }, container: Partial<ContainerDefinition>, task: { executionRoleArn?: string } = {}) {
    const uri = (await aws.ecr.send(new CreateRepositoryCommand({ repositoryName: repository }))).repository!.repositoryUri!;
    await aws.ecr.send(new PutImageCommand({ repositoryName: repository, imageTag: image.tag, imageManifest: indexManifest(image.architecture), imageManifestMediaType: 'application/vnd.oci.image.index.v1+json' }));
    const registered = await aws.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: name,
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
        ...task,
        containerDefinitions: [{ name: 'app', image: `${uri}:${image.tag}`, essential: true, portMappings: [{ containerPort: 8000 }], ...container }],
      }),
    );
    await aws.ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: name, taskDefinition: registered.taskDefinition!.taskDefinitionArn, desiredCount: 1, launchType: 'FARGATE', networkConfiguration: NETWORK }));
    return uri;
  }

  before(async () => {
    aws = await startLocalAws({ timeScale: 0.02 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-deploy-check-'));
    await aws.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    // The careless world: a production service (protected by the default "*prod*").
    await serviceWith('shop-prod-web', 'web', { tag: 'latest', architecture: 'arm64' }, { memory: 1024, environment: [{ name: 'PORT', value: '8000' }, { name: 'DB_PASSWORD', value: 'hunter2' }] });
    await aws.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'web', policyText: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: ['ecr:BatchGetImage'] }] }) }));
    // The careful world.
    await serviceWith(
      'catalog-prod',
      'catalog',
      { tag: 'v1.4.0', architecture: 'amd64' },
      {
        user: '1000',
        readonlyRootFilesystem: true,
        healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8000/healthz || exit 1'] },
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/catalog', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'app' } },
        secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:catalog-db' }],
      },
      { executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole' },
    );
    await aws.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'catalog', lifecyclePolicyText: JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } }] }) }));
    await aws.ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: 'catalog', imageScanningConfiguration: { scanOnPush: true } }));
    await aws.ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'catalog', imageTagMutability: 'IMMUTABLE' }));
  });
  after(async () => {
    await aws?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds every problem of the careless service, in its deployed revision and its repository, and exits 1', async () => {
    const run = await cli('--cluster', CLUSTER, '--service', 'shop-prod-web', '--output', 'json');
    assert.equal(run.code, 1, run.stderr);
    const rows = JSON.parse(run.stdout) as Row[];
    for (const row of rows) assert.deepEqual(Object.keys(row), ['file', 'line', 'column', 'rule', 'severity', 'message']);
    const rules = rows.map((r) => `${r.rule} ${r.severity}`);
    for (const expected of [
      'taskdef/root-user warning',
      'taskdef/writable-root-fs warning',
      'taskdef/secret-in-environment error',
      'taskdef/no-health-check warning',
      'taskdef/memory-over-task error',
      'taskdef/mutable-image-tag error',
      'taskdef/no-log-configuration warning',
      'taskdef/no-execution-role error',
      'taskdef/platform-mismatch error',
      'repository/scan-on-push-off warning',
      'repository/mutable-tags warning',
      'repository/no-lifecycle-policy warning',
      'repository/public-policy error',
    ]) {
      assert.ok(rules.includes(expected), `${expected} in ${rules.join(', ')}`);
    }
    const secret = rows.find((r) => r.rule === 'taskdef/secret-in-environment')!;
    assert.equal(secret.file, 'task definition shop-prod-web:1');
    assert.match(secret.message, /DB_PASSWORD/);
    assert.ok(!run.stdout.includes('hunter2'), 'a secret value is not printed');
    assert.ok(rows.filter((r) => r.rule.startsWith('repository/')).every((r) => r.file === 'repository web'));
    assert.match(run.stderr, /findings? at or above error/);
  });

  it('--ignore leaves rules out; the text output ends with a count of what was checked', async () => {
    const run = await cli('--cluster', CLUSTER, '--service', 'shop-prod-web', '--ignore', 'repository/public-policy', '--ignore', 'taskdef/platform-mismatch');
    assert.equal(run.code, 1);
    assert.doesNotMatch(run.stdout, /repository\/public-policy|taskdef\/platform-mismatch/);
    assert.match(run.stdout, /^task definition shop-prod-web:1:\d+:\d+: error taskdef\/secret-in-environment: /m);
    assert.match(run.stdout, /findings \(\d+ errors, \d+ warnings, \d+ info\) in shop-prod-web:1 \(the revision shop-prod-web runs\), repository web\.\n$/);
  });

  it('a clean world gives no error or warning and exits 0, even failing on warnings', async () => {
    const dockerfile = path.join(dir, 'Dockerfile');
    fs.writeFileSync(dockerfile, `FROM public.ecr.aws/docker/library/node:20.11-slim@sha256:${'c'.repeat(64)}\nUSER node\nCMD ["node", "server.js"]\n`);
    const run = await cli('--cluster', CLUSTER, '--service', 'catalog-prod', '--dockerfile', dockerfile, '--fail-on', 'warning', '--output', 'json');
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    const rows = JSON.parse(run.stdout) as Row[];
    assert.deepEqual(rows.filter((r) => r.severity !== 'info'), []);
    // The task definition's healthCheck makes the Dockerfile's missing HEALTHCHECK information only.
    assert.ok(rows.some((r) => r.rule === 'dockerfile/no-healthcheck' && r.severity === 'info'));
  });

  it('a repository alone, and SARIF with the repository as a logical location', async () => {
    const run = await cli('--repository', 'web', '--output', 'sarif');
    assert.equal(run.code, 1, run.stderr);
    const sarif = JSON.parse(run.stdout) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ logicalLocations?: Array<{ fullyQualifiedName: string }> }> }> }> };
    const results = sarif.runs[0]!.results;
    assert.deepEqual(results.map((r) => r.ruleId).filter((r) => r !== 'repository/aes256'), ['repository/scan-on-push-off', 'repository/no-lifecycle-policy', 'repository/public-policy']);
    assert.equal(results[0]!.locations[0]!.logicalLocations![0]!.fullyQualifiedName, 'repository web');
  });

  it('files alone are checked offline; SARIF names them relative to GITHUB_WORKSPACE, and --fail-on warning turns warnings into exit 1', async () => {
    fs.mkdirSync(path.join(dir, 'svc'), { recursive: true });
    const dockerfile = path.join(dir, 'svc', 'Dockerfile');
    const taskDefinition = path.join(dir, 'svc', 'task.json');
    fs.writeFileSync(dockerfile, '# ecr-deploy-ignore dockerfile/unpinned-base dockerfile/latest-base\nFROM node\nUSER node\n');
    fs.writeFileSync(taskDefinition, `${JSON.stringify({ family: 'svc', containerDefinitions: [{ name: 'svc', image: 'nginx:1.25', user: '101', readonlyRootFilesystem: true, essential: false, logConfiguration: { logDriver: 'json-file' } }] }, null, 2)}\n`);
    // No --endpoint-url or region: nothing is sent anywhere.
    const offline = (...args: string[]) => runCliProcess(['check', '--dockerfile', dockerfile, '--task-definition', taskDefinition, ...args], { GITHUB_WORKSPACE: dir, AWS_REGION: '', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    const json = await offline('--output', 'json');
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual((JSON.parse(json.stdout) as Row[]).map((r) => [r.file, r.line, r.rule, r.severity]), [[dockerfile, 2, 'dockerfile/no-healthcheck', 'warning']]);
    assert.equal((await offline('--fail-on', 'warning')).code, 1);
    const sarif = JSON.parse((await offline('--output', 'sarif')).stdout) as { runs: Array<{ results: Array<{ locations: Array<{ physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
    assert.deepEqual(sarif.runs[0]!.results.map((r) => [r.locations[0]!.physicalLocation!.artifactLocation.uri, r.locations[0]!.physicalLocation!.region.startLine]), [['svc/Dockerfile', 2]]);
  });

  it('bad flags exit 2 before any AWS call; a missing service exits 1 with a one-line message', async () => {
    for (const args of [['--cluster', CLUSTER], ['--fail-on', 'fatal', '--repository', 'web'], ['--task-definition', 'x.json', '--cluster', CLUSTER, '--service', 'a'], ['--ignore', 'taskdef/nope', '--repository', 'web'], ['--task-definition', path.join(dir, 'missing.json')]]) {
      const run = await cli(...args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /^ecr-deploy check: .+\n$/);
    }
    const missing = await cli('--cluster', CLUSTER, '--service', 'nothing-here');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nothing-here/);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
  });
});
