/**
 * Diagnose Service against the local AWS over the wire: one healthy world (an ECR image for linux/amd64, an
 * execution role with an attached customer-managed pull policy and an inline logs-and-secrets policy, an SSM
 * parameter, a Secrets Manager secret, a log group, a container health check) and, per doctor check, a world
 * broken in one way. Each world is its own cluster, repository and role, so no reset is needed between them.
 * Stopped tasks come from the local AWS's rollout engine (behaviours `cannot-pull` and `crash`); the engine's
 * simulated containers write no logs, so the crash world writes the container's last lines to its stream itself.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { CreateRepositoryCommand, PutImageCommand, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand, type ContainerDefinition } from '@aws-sdk/client-ecs';
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import * as edge from '../../src/aws/index';
import { resolveConnection } from '../../src/aws/connection';
import { diagnoseService } from '../../src/app/doctor/diagnose';
import type { CheckId, DoctorCheck, DoctorReport } from '../../src/app/doctor/report';
import { NETWORK, startLocalAws, waitFor, type LocalAws } from '../support/localAws';
import { runCliProcess } from '../support/cliProcess';

const ACCOUNT = '123456789012';
const REGISTRY = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const indexFor = (architecture: string) =>
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1234, digest: `sha256:${architecture === 'amd64' ? 'a'.repeat(64) : 'b'.repeat(64)}`, platform: { architecture, os: 'linux' } }],
  });

interface Breakage {
  /** The tag the task definition names (default v1, which is pushed). */
  tag?: string;
  /** The architecture the pushed v1 is built for (default amd64). */
  architecture?: string;
  attachPullPolicy?: boolean;
  inlineStatements?: unknown[];
  repositoryPolicy?: unknown;
  createParameter?: boolean;
  createSecret?: boolean;
  createLogGroup?: boolean;
  behaviour?: 'crash' | 'cannot-pull';
  healthCheck?: boolean;
}

describe('Diagnose Service: one broken world per check, each diagnosed right, and a healthy one all ok', () => {
  let aws: LocalAws;
  let iam: IAMClient;
  let ssm: SSMClient;
  let secrets: SecretsManagerClient;
  let logs: CloudWatchLogsClient;
  let clients: edge.AwsClients;

  before(async () => {
    aws = await startLocalAws({ timeScale: 0.02 });
    const config = { endpoint: aws.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
    iam = new IAMClient(config);
    ssm = new SSMClient(config);
    secrets = new SecretsManagerClient(config);
    logs = new CloudWatchLogsClient(config);
    clients = edge.createAwsClients(resolveConnection({ endpointUrl: aws.endpoint, region: 'us-east-1', maxAttempts: 1 }));
  });
  after(async () => {
    clients?.destroy();
    for (const c of [iam, ssm, secrets, logs]) c?.destroy();
    await aws?.stop();
  });

  /** A world named `name`: healthy unless told otherwise. Returns its cluster and service. */
  async function world(name: string, broken: Breakage = {}) {
    const tag = broken.tag ?? 'v1';
    const image = `${REGISTRY}/${name}:${tag}`;
    await aws.ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
    await aws.ecr.send(new PutImageCommand({ repositoryName: name, imageTag: 'v1', imageManifest: indexFor(broken.architecture ?? 'amd64'), imageManifestMediaType: 'application/vnd.oci.image.index.v1+json' }));
    if (broken.repositoryPolicy) await aws.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: name, policyText: JSON.stringify(broken.repositoryPolicy) }));
    const role = await iam.send(new CreateRoleCommand({ RoleName: `${name}-exec`, AssumeRolePolicyDocument: TRUST }));
    if (broken.attachPullPolicy !== false) {
      const pull = await iam.send(
        new CreatePolicyCommand({
          PolicyName: `${name}-pull`,
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'], Resource: '*' }] }),
        }),
      );
      await iam.send(new AttachRolePolicyCommand({ RoleName: `${name}-exec`, PolicyArn: pull.Policy!.Arn }));
    }
    const inline = [
      { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ecs/${name}:*` },
      { Sid: 'Secrets', Effect: 'Allow', Action: ['ssm:GetParameters', 'secretsmanager:GetSecretValue'], Resource: [`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/${name}/*`, `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${name}-*`] },
      ...(broken.inlineStatements ?? []),
    ];
    await iam.send(new PutRolePolicyCommand({ RoleName: `${name}-exec`, PolicyName: 'logs-and-secrets', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: inline }) }));
    if (broken.createParameter !== false) await ssm.send(new PutParameterCommand({ Name: `/${name}/db-password`, Type: 'SecureString', Value: 'not-a-real-password' }));
    let secretArn = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${name}-api-key-AbCdEf`;
    if (broken.createSecret !== false) secretArn = (await secrets.send(new CreateSecretCommand({ Name: `${name}-api-key`, SecretString: 'not-a-real-key' }))).ARN!;
    if (broken.createLogGroup !== false) await logs.send(new CreateLogGroupCommand({ logGroupName: `/ecs/${name}` }));
    if (broken.behaviour) await aws.setBehaviour(image, broken.behaviour);
    const container: ContainerDefinition = {
      name: 'app',
      image,
      essential: true,
      portMappings: [{ containerPort: 8000, protocol: 'tcp' }],
      secrets: [
        { name: 'DB_PASSWORD', valueFrom: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/${name}/db-password` },
        { name: 'API_KEY', valueFrom: secretArn },
      ],
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${name}`, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' } },
      ...(broken.healthCheck === false ? {} : { healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8000/healthz || exit 1'], interval: 10, timeout: 5, retries: 3, startPeriod: 0 } }),
    };
    const td = await aws.ecs.send(
      new RegisterTaskDefinitionCommand({ family: name, requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512', executionRoleArn: role.Role!.Arn, runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' }, containerDefinitions: [container] }),
    );
    await aws.ecs.send(new CreateClusterCommand({ clusterName: name }));
    await aws.ecs.send(new CreateServiceCommand({ cluster: name, serviceName: name, taskDefinition: td.taskDefinition!.taskDefinitionArn, desiredCount: 1, launchType: 'FARGATE', networkConfiguration: NETWORK }));
    return { cluster: name, service: name, roleArn: role.Role!.Arn! };
  }

  const diagnose = (name: string) => diagnoseService({ edge, clients }, { cluster: name, service: name });
  const check = (report: DoctorReport, id: CheckId): DoctorCheck => report.checks.find((c) => c.id === id)!;
  const statuses = (report: DoctorReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));

  it('a healthy world: every check ok, with the evidence it read', async () => {
    await world('healthy');
    const report = await waitFor(() => diagnose('healthy'), (r) => check(r, 'health-check').status === 'ok', { timeoutMs: 30_000, intervalMs: 300, what: 'the health check to pass' });
    assert.deepEqual(statuses(report), { 'image-exists': 'ok', 'execution-role-can-pull': 'ok', 'secrets-exist': 'ok', 'log-group-exists': 'ok', 'platform-matches': 'ok', 'stopped-tasks': 'ok', 'health-check': 'ok' }, JSON.stringify(report, null, 1));
    assert.match(check(report, 'execution-role-can-pull').evidence.join('\n'), /ecr:BatchGetImage on arn:aws:ecr:us-east-1:123456789012:repository\/healthy: allowed by managed policy healthy-pull/);
    assert.match(check(report, 'secrets-exist').evidence.join('\n'), /SSM parameter \/healthy\/db-password exists \(SecureString/);
    assert.match(check(report, 'secrets-exist').evidence.join('\n'), /secretsmanager:GetSecretValue on arn:aws:secretsmanager:us-east-1:123456789012:secret:healthy-api-key-\w+: allowed by inline policy logs-and-secrets, statement Secrets/);
    assert.match(check(report, 'platform-matches').message, /provides the platform/);
    assert.match(check(report, 'health-check').evidence.join('\n'), /app: CMD-SHELL curl -f http:\/\/localhost:8000\/healthz/);
    assert.ok(!JSON.stringify(report).includes('not-a-real'), 'no secret value is read or shown');
  });

  it('a missing image tag: image-exists is a problem, and the cannot-pull stopped tasks name it as the likely cause', async () => {
    await world('missing-tag', { tag: 'v404', behaviour: 'cannot-pull' });
    const report = await waitFor(() => diagnose('missing-tag'), (r) => check(r, 'stopped-tasks').status === 'problem', { timeoutMs: 30_000, intervalMs: 300, what: 'a stopped task' });
    assert.equal(check(report, 'image-exists').status, 'problem');
    assert.match(check(report, 'image-exists').message, /missing-tag has no image v404/);
    const stopped = check(report, 'stopped-tasks');
    assert.match(stopped.message, /CannotPullContainerError: the image could not be pulled/);
    assert.match(stopped.message, /Likely cause: image-exists/);
    assert.match(stopped.evidence.join('\n'), /failed to resolve ref .*missing-tag:v404/);
    assert.equal(check(report, 'execution-role-can-pull').status, 'ok', 'the role is fine: only the tag is wrong');
  });

  it('an execution role without ECR pull permissions: not allowed by any policy', async () => {
    await world('no-pull', { attachPullPolicy: false });
    const c = check(await diagnose('no-pull'), 'execution-role-can-pull');
    assert.equal(c.status, 'problem');
    assert.match(c.message, /ecr:GetAuthorizationToken is not allowed, ecr:BatchGetImage is not allowed, ecr:GetDownloadUrlForLayer is not allowed/);
    assert.match(c.next ?? '', /AmazonECSTaskExecutionRolePolicy/);
  });

  it('an execution role whose inline policy denies the pull explicitly: the Deny is named', async () => {
    await world('deny-pull', { inlineStatements: [{ Sid: 'NoPullFromProd', Effect: 'Deny', Action: 'ecr:BatchGet*', Resource: `arn:aws:ecr:*:${ACCOUNT}:repository/deny-*` }] });
    const c = check(await diagnose('deny-pull'), 'execution-role-can-pull');
    assert.equal(c.status, 'problem');
    assert.match(c.message, /ecr:BatchGetImage is denied/);
    assert.match(c.evidence.join('\n'), /ecr:BatchGetImage on .*repository\/deny-pull: denied explicitly by inline policy logs-and-secrets, statement NoPullFromProd/);
    assert.doesNotMatch(c.message, /GetDownloadUrlForLayer/, 'only the denied action');
  });

  it('a repository policy that denies the role: the repository policy is named', async () => {
    const name = 'repo-deny';
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/${name}-exec`;
    await world(name, { repositoryPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'DenyExec', Effect: 'Deny', Principal: { AWS: roleArn }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }] } });
    const c = check(await diagnose(name), 'execution-role-can-pull');
    assert.equal(c.status, 'problem', JSON.stringify(c, null, 1));
    assert.match(c.evidence.join('\n'), /denied explicitly by repository policy of repo-deny, statement DenyExec/);
  });

  it('a missing secret and a missing parameter: both named', async () => {
    await world('no-secrets', { createParameter: false, createSecret: false });
    const c = check(await diagnose('no-secrets'), 'secrets-exist');
    assert.equal(c.status, 'problem');
    assert.match(c.message, /SSM parameter \/no-secrets\/db-password/);
    assert.match(c.message, /secret arn:aws:secretsmanager:us-east-1:123456789012:secret:no-secrets-api-key-AbCdEf/);
    assert.match(c.message, /ResourceInitializationError/);
  });

  it('a missing log group: a problem, with the command that creates it', async () => {
    await world('no-logs', { createLogGroup: false });
    const c = check(await diagnose('no-logs'), 'log-group-exists');
    assert.equal(c.status, 'problem');
    assert.match(c.message, /^Log group \/ecs\/no-logs does not exist\. Tasks stop with ResourceInitializationError/);
    assert.match(c.next ?? '', /aws logs create-log-group --log-group-name \/ecs\/no-logs\b/);
  });

  it('an image built for arm64 under an X86_64 task definition: platform-matches is a problem', async () => {
    await world('arm-image', { architecture: 'arm64' });
    const c = check(await diagnose('arm-image'), 'platform-matches');
    assert.equal(c.status, 'problem');
    assert.match(c.evidence.join('\n'), /built for linux\/arm64, but the task definition \(runtimePlatform LINUX\/X86_64\) needs linux\/amd64/);
  });

  it('a crashing container: stopped-tasks names the exit code and quotes its last log lines', async () => {
    await world('crash', { behaviour: 'crash' });
    const crashed = await waitFor(
      () => edge.doctorReads.listStoppedTasks(clients.ecs, 'crash', 'crash'),
      (tasks) => tasks.some((t) => t.lastStatus === 'STOPPED'),
      { timeoutMs: 30_000, intervalMs: 200, what: 'a crashed task' },
    );
    const taskId = crashed.find((t) => t.lastStatus === 'STOPPED')!.taskArn!.split('/').pop()!;
    // The engine's simulated container writes no logs: these are the lines the app would have left.
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs/crash', logStreamName: `ecs/app/${taskId}` }));
    const now = Date.now();
    await logs.send(new PutLogEventsCommand({ logGroupName: '/ecs/crash', logStreamName: `ecs/app/${taskId}`, logEvents: [{ timestamp: now - 2000, message: 'starting on :8000' }, { timestamp: now - 1000, message: 'Error: DATABASE_URL is not set' }] }));
    const c = check(await diagnose('crash'), 'stopped-tasks');
    assert.equal(c.status, 'problem');
    assert.match(c.message, /Essential container app exited with code 1/);
    assert.match(c.message, /the application itself exited/);
    assert.match(c.evidence.join('\n'), /\| Error: DATABASE_URL is not set/);
  });

  it('cancellable: a cancel while the checks read stops the diagnosis with an AbortError and no report', async () => {
    for (const at of [/^Reading /, /^1\/7 checked/]) {
      const controller = new AbortController();
      const said: string[] = [];
      const running = diagnoseService({ edge, clients }, { cluster: 'healthy', service: 'healthy' }, { signal: controller.signal, progress: (m) => (said.push(m), at.test(m) && controller.abort()) });
      await assert.rejects(running, (e: Error) => e.name === 'AbortError', `cancelled at ${at}`);
      assert.ok(said.some((m) => at.test(m)), said.join(' | '));
    }
  });

  it('the CLI: exit 1 with a problem and the documented JSON, 0 when healthy, 2 on bad input with nothing sent', async () => {
    const cli = (...args: string[]) => runCliProcess(['doctor', '--endpoint-url', aws.endpoint, '--region', 'us-east-1', ...args]);
    const broken = await cli('--cluster', 'no-logs', '--service', 'no-logs', '--output', 'json');
    assert.equal(broken.code, 1, broken.stderr);
    const json = JSON.parse(broken.stdout) as { checks: Array<{ id: string; status: string; message: string; evidence: string[]; next?: string }> };
    assert.deepEqual(json.checks.map((c) => c.id), ['image-exists', 'execution-role-can-pull', 'secrets-exist', 'log-group-exists', 'platform-matches', 'stopped-tasks', 'health-check']);
    for (const c of json.checks) {
      assert.ok(['ok', 'problem', 'unknown'].includes(c.status));
      assert.equal(typeof c.message, 'string');
      assert.ok(Array.isArray(c.evidence));
    }
    assert.equal(json.checks.find((c) => c.id === 'log-group-exists')!.status, 'problem');
    const healthy = await cli('--cluster', 'healthy', '--service', 'healthy');
    assert.equal(healthy.code, 0, healthy.stdout + healthy.stderr);
    assert.match(healthy.stdout, /^ok +image-exists: Every ECR image/m);
    assert.match(healthy.stdout, /No problem found\.\n$/);
    const usage = await runCliProcess(['doctor', '--service', 'x', '--endpoint-url', 'http://127.0.0.1:9', '--region', 'us-east-1']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^ecr-deploy doctor: --cluster is required\.\n$/);
    const missing = await cli('--cluster', 'healthy', '--service', 'nope');
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
  });
});
