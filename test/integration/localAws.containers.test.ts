/**
 * Real containers in the local AWS: a private dockerd and registry (test/support/docker.ts), the local AWS told
 * about them (`POST /_local/docker`), images built and pushed by `ecr-deploy build-and-push` and deployed by
 * `ecr-deploy deploy`. The tasks run as containers of those images: `docker ps` shows them, their health is
 * docker running the task definition's health check inside them, their output arrives in CloudWatch Logs, and a
 * crash is the container's real exit code, quoted by the circuit breaker's rollback.
 *
 * No Docker engine here: before() fails, so every test fails (never skips), as in docker.push.test.ts.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { runCliProcess } from '../support/cliProcess';
import { dockerCli, startDockerWorld, type DockerWorld } from '../support/docker';
import { NETWORK, startLocalAws, waitFor, type LocalAws } from '../support/localAws';
import { awsJson } from '../support/rolloutWorld';

const CLUSTER = 'real';
const SERVICE = 'hello';
const REPOSITORY = 'hello-app';
const CONTAINER = 'app';
const LOG_GROUP = '/ecs/hello-app';
const LINE = 'hello from a real container';
const SECRET_VALUE = 's3cr3t-from-ssm';

interface DeployJson {
  taskDefinitionArn: string;
  result: { outcome: string; reason: string };
}

describe('local AWS: real containers on a Docker engine', () => {
  let aws: LocalAws;
  let world: DockerWorld;
  let logs: CloudWatchLogsClient;
  let label: string;
  let repositoryUri: string;
  let project: string;

  before(async () => {
    [aws, world] = await Promise.all([startLocalAws({ timeScale: 0.05 }), startDockerWorld()]);
    ({ label } = await aws.attachDocker(world.env.DOCKER_HOST, world.registry.endpoint));
    logs = new CloudWatchLogsClient({ endpoint: aws.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    repositoryUri = (await aws.ecr.send(new CreateRepositoryCommand({ repositoryName: REPOSITORY }))).repository!.repositoryUri!;
    await aws.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    await awsJson(aws.endpoint, 'ssm', 'AmazonSSM.PutParameter', { Name: '/hello/token', Value: SECRET_VALUE, Type: 'SecureString' });
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-deploy-containers-'));
  });
  after(async () => {
    logs?.destroy();
    await aws?.stop();
    if (world) {
      // Shutdown removed every container the local AWS started.
      const left = await dockerCli(['ps', '-aq', '--filter', `label=${label}`], world.env).catch((e: Error) => e.message);
      await world.stop();
      assert.equal(left.trim(), '', 'no container is left after the local AWS stopped');
    }
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  /** Builds `script` into an image FROM the busybox base and pushes it with the project's CLI (which also records it in ECR). */
  async function buildAndPush(tag: string, script: string): Promise<void> {
    const context = path.join(project, tag);
    fs.mkdirSync(context, { recursive: true });
    fs.writeFileSync(path.join(context, 'run.sh'), script);
    fs.writeFileSync(path.join(context, 'Dockerfile'), `FROM ${world.baseImage}\nCOPY run.sh /run.sh\nCMD ["/bin/sh", "/run.sh"]\n`);
    const pushed = await runCliProcess(['build-and-push', '--repository', REPOSITORY, '--tag', tag, '--context', context, '--registry-endpoint', world.registry.endpoint, '--endpoint-url', aws.endpoint], world.env);
    assert.equal(pushed.code, 0, pushed.stderr);
  }

  const describeService = async (): Promise<Service> => (await aws.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services![0];
  const tasksOf = async (desiredStatus: 'RUNNING' | 'STOPPED'): Promise<Task[]> => {
    const arns = (await aws.ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE, desiredStatus }))).taskArns ?? [];
    return arns.length ? ((await aws.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks ?? []) : [];
  };
  const runningContainers = async () =>
    (await dockerCli(['ps', '--filter', `label=${label}`, '--format', '{{.ID}} {{.Image}} {{.Status}}'], world.env))
      .trim()
      .split('\n')
      .filter(Boolean);
  const deploy = async (tag: string) => {
    const result = await runCliProcess(['deploy', '--cluster', CLUSTER, '--service', SERVICE, '--tag', tag, '--output', 'json', '--poll-interval', '0.2', '--timeout', '120', '--endpoint-url', aws.endpoint, '--region', 'us-east-1']);
    return { code: result.code, out: JSON.parse(result.stdout || '{}') as DeployJson, stderr: result.stderr };
  };

  it('a pushed image runs as a real container: docker ps shows it, its health check passes inside it, its line reaches CloudWatch Logs, the deploy succeeds', async () => {
    // Prints its line and its environment (one value from the task definition), becomes healthy once /ready exists,
    // and stops cleanly on SIGTERM.
    await buildAndPush('good', 'trap "exit 0" TERM\necho "' + LINE + ' ($GREETING)"\necho "to stderr too" >&2\necho "token has ${#TOKEN} characters, ends in ${TOKEN#s3cr3t-}"\ntouch /ready\nwhile :; do sleep 0.2; done\n');
    // A first revision whose image is not in the local registry: a simulated task, the path every other test uses.
    const first = await aws.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: SERVICE,
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          {
            name: CONTAINER,
            image: `${repositoryUri}:not-pushed`,
            essential: true,
            environment: [{ name: 'GREETING', value: 'set in the task definition' }],
            secrets: [{ name: 'TOKEN', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/hello/token' }],
            healthCheck: { command: ['CMD-SHELL', 'test -f /ready'], interval: 5, timeout: 5, retries: 3, startPeriod: 0 },
            logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': LOG_GROUP, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs', 'awslogs-create-group': 'true' } },
          },
        ],
      }),
    );
    await aws.ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: SERVICE,
        taskDefinition: first.taskDefinition!.taskDefinitionArn!,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 200, minimumHealthyPercent: 100 },
      }),
    );
    await waitFor(describeService, (s) => s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED', { what: 'the first (simulated) deployment', timeoutMs: 30_000 });
    assert.deepEqual(await runningContainers(), [], 'an image not in the local registry runs no container');

    const { code, out, stderr } = await deploy('good');
    assert.equal(code, 0, `${stderr}\n${JSON.stringify(out)}\n${aws.output()}`);
    assert.equal(out.result.outcome, 'succeeded', out.result.reason);

    const [task] = await tasksOf('RUNNING');
    assert.equal(task.taskDefinitionArn, out.taskDefinitionArn);
    assert.equal(task.lastStatus, 'RUNNING');
    assert.equal(task.healthStatus, 'HEALTHY', 'docker ran the health check command inside the container');
    const container = task.containers![0];
    assert.equal(container.healthStatus, 'HEALTHY');
    const ps = await runningContainers();
    assert.equal(ps.length, 1, `one container runs: ${ps.join('; ')}`);
    assert.ok(container.runtimeId?.startsWith(ps[0].split(' ')[0]), `runtimeId ${container.runtimeId} is the container docker runs (${ps[0]})`);
    assert.match(ps[0], new RegExp(`${world.registry.endpoint.replace(/\./g, '\\.')}/${REPOSITORY}:good .*\\(healthy\\)`));

    // The container's stdout and stderr in the awslogs group, in the stream prefix/container/task-id.
    const taskId = task.taskArn!.split('/').pop()!;
    const events = await waitFor(
      async () => (await logs.send(new FilterLogEventsCommand({ logGroupName: LOG_GROUP }))).events ?? [],
      (list) => list.some((e) => e.message?.includes(LINE)) && list.some((e) => e.message === 'to stderr too'),
      { what: 'the container output in CloudWatch Logs', timeoutMs: 20_000, intervalMs: 200 },
    );
    const line = events.find((e) => e.message?.includes(LINE))!;
    assert.equal(line.message, `${LINE} (set in the task definition)`, 'the environment of the task definition reached the container');
    assert.equal(line.logStreamName, `ecs/${CONTAINER}/${taskId}`);
    assert.ok(Math.abs(line.timestamp! - Date.now()) < 120_000, 'the event carries the time docker saw the line');
    assert.ok(
      events.some((e) => e.message === `token has ${SECRET_VALUE.length} characters, ends in from-ssm`),
      'the secret was resolved from SSM Parameter Store into the container environment',
    );
    // Handed to docker in the create request's body over the socket: no process on this machine has it in its argv.
    const argvs = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8');
      } catch {
        return '';
      }
    });
    assert.ok(!argvs.some((a) => a.includes(SECRET_VALUE)), 'the secret is in no command line');
  });

  it('an image that exits 1: the real exit code stops the tasks, the circuit breaker rolls back quoting it, the good container runs again', async () => {
    await buildAndPush('broken', 'echo "starting and failing at once"\nexit 1\n');
    const before = await describeService();
    const { code, out } = await deploy('broken');
    assert.equal(code, 1, JSON.stringify(out));
    assert.equal(out.result.outcome, 'failed');
    assert.match(out.result.reason, /ROLLBACK_SUCCESSFUL/);
    assert.match(out.result.reason, /Essential container in task exited/);
    assert.match(out.result.reason, /app: exit code 1/, 'the exit code docker reported is quoted');

    // The circuit breaker's threshold for one desired task is 3 failed tasks; a task still starting when it rolled back is drained by the scheduler.
    const stopped = (await tasksOf('STOPPED')).filter((t) => t.taskDefinitionArn === out.taskDefinitionArn);
    const crashed = stopped.filter((t) => t.stopCode === 'EssentialContainerExited');
    assert.ok(crashed.length >= 3, `the circuit breaker counted failed tasks: ${stopped.map((t) => `${t.stopCode} ${t.stoppedReason}`).join('; ')}`);
    for (const t of crashed) {
      assert.equal(t.stoppedReason, 'Essential container in task exited');
      assert.equal(t.containers![0].exitCode, 1, 'the exit code is the one the container exited with');
      assert.equal(t.lastStatus, 'STOPPED');
    }
    for (const t of stopped.filter((x) => x.stopCode !== 'EssentialContainerExited')) assert.equal(t.stopCode, 'ServiceSchedulerInitiated');
    const after = await waitFor(describeService, (s) => s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED' && s.runningCount === 1, { what: 'the rollback', timeoutMs: 30_000 });
    assert.equal(after.taskDefinition, before.taskDefinition, 'the service runs the good revision again');
    const ps = await runningContainers();
    assert.equal(ps.length, 1, ps.join('; '));
    assert.match(ps[0], /:good /);
    const failed = await logs.send(new FilterLogEventsCommand({ logGroupName: LOG_GROUP, filterPattern: '"starting and failing at once"' }));
    assert.ok((failed.events ?? []).length >= 1, 'the crashing container output reached the logs too');
  });

  it('reset stops and removes every container the local AWS started', async () => {
    assert.equal((await runningContainers()).length, 1);
    await aws.reset();
    assert.deepEqual(await dockerCli(['ps', '-aq', '--filter', `label=${label}`], world.env).then((o) => o.trim()), '');
  });
});
