/**
 * The CLI's deploy and rollback flows end to end, in process, over scripted ECS answers
 * (aws-sdk-client-mock). moto cannot produce any of this: its update_service creates no deployment,
 * so there is no PRIMARY/ACTIVE pair, no rolloutState transition, no circuit-breaker rollback, no
 * task health. The scripts follow real ECS answers; test/integration/deploy.test.ts runs the same
 * commands against moto for what it can do.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type RegisterTaskDefinitionCommandInput,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { BatchGetImageCommand, ECRClient } from '@aws-sdk/client-ecr';
import { runCli } from '../../src/cli/framework';
import { deployCommand, rollbackCommand } from '../../src/cli/deploy';
import { APP_REPOSITORY_URI, NEW_DEPLOYMENT, NEW_TD, OLD_DEPLOYMENT, OLD_TD, deployment, event, fargateWithSidecars, service, task } from '../support/ecsFixtures';

const ecs = mockClient(ECSClient);
const ecr = mockClient(ECRClient);

const ROLLBACK_DEPLOYMENT = 'ecs-svc/3333333333333333333';
const oldPrimary = () => deployment({ id: OLD_DEPLOYMENT, status: 'PRIMARY', taskDefinition: OLD_TD, runningCount: 2, rolloutState: 'COMPLETED', createdAt: new Date(Date.now() - 86_400_000) });
const oldActive = () => ({ ...oldPrimary(), status: 'ACTIVE' });
const ours = (over = {}) => deployment({ id: NEW_DEPLOYMENT, status: 'PRIMARY', taskDefinition: NEW_TD, createdAt: new Date(), pendingCount: 2, ...over });
const healthyTask = (deploymentId = NEW_DEPLOYMENT) => task(deploymentId, 'RUNNING', { 'mcp-server': 'HEALTHY', 'datadog-agent': 'HEALTHY' });
/** A circuit breaker that marks the rollout FAILED but leaves rolling back to someone else. */
const breakerWithoutRollback = { deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false }, maximumPercent: 200, minimumHealthyPercent: 100 } };

interface Poll {
  service: Service;
  tasks?: Task[];
}

/**
 * Scripts ECS: DescribeServices answers `before` first (the CLI's look at the service), then each poll
 * in turn (the last one repeats). UpdateService answers `updates` in turn. Tasks follow the current poll.
 */
function script(before: Service, updates: Service[], polls: Poll[], onPoll?: (n: number) => void): void {
  let poll = -1;
  const current = () => polls[Math.min(Math.max(poll, 0), polls.length - 1)];
  ecs.on(DescribeServicesCommand).callsFake(() => {
    if (poll === -1 && !ecs.commandCalls(UpdateServiceCommand).length) return { services: [before], failures: [] };
    poll++;
    onPoll?.(poll);
    return { services: [current().service], failures: [] };
  });
  let update = 0;
  ecs.on(UpdateServiceCommand).callsFake(() => ({ service: updates[Math.min(update++, updates.length - 1)] }));
  ecs.on(ListTasksCommand).callsFake((input: { desiredStatus?: string }) => ({
    taskArns: (current().tasks ?? []).filter((t) => (input.desiredStatus === 'STOPPED') === (t.desiredStatus === 'STOPPED')).map((t) => t.taskArn),
  }));
  ecs.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({ tasks: (current().tasks ?? []).filter((t) => input.tasks.includes(t.taskArn!)), failures: [] }));
}

function imagePlatform(architecture: string): void {
  const index = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1, digest: `sha256:${'e'.repeat(64)}`, platform: { os: 'linux', architecture } }] };
  ecr.on(BatchGetImageCommand).resolves({ images: [{ imageId: { imageTag: 'v1.1.0' }, imageManifest: JSON.stringify(index), imageManifestMediaType: index.mediaType }], failures: [] });
}

async function cli(args: string[], signal = new AbortController().signal) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, [deployCommand, rollbackCommand], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
    signal,
  });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as { deploymentId: string | null; taskDefinitionArn: string; result: { outcome: string; reason: string; rollback?: { outcome?: string; reason: string; taskDefinitionArn: string } } } };
}

const TARGET = ['--cluster', 'sales-prod', '--service', 'sales-prod-mcp-server-production'];
const deployArgs = (...extra: string[]) => ['deploy', ...TARGET, '--tag', 'v1.1.0', '--poll-interval', '0.001', ...extra];

describe('ecr-deploy deploy over scripted rollouts', () => {
  beforeEach(() => {
    ecs.reset();
    ecr.reset();
    const described = fargateWithSidecars();
    ecs.on(DescribeTaskDefinitionCommand).resolves(described);
    ecs.on(RegisterTaskDefinitionCommand).callsFake((input: RegisterTaskDefinitionCommandInput) => ({ taskDefinition: { ...input, taskDefinitionArn: NEW_TD, revision: 8, status: 'ACTIVE' } }));
    imagePlatform('amd64');
  });
  afterEach(() => {
    ecs.reset();
    ecr.reset();
  });

  it('a hostile --image is refused with exit 2 and the rule it breaks, before any AWS call', async () => {
    const result = await cli(['deploy', ...TARGET, '--image', `${APP_REPOSITORY_URI}:v1\n;$(id)`]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^ecr-deploy deploy: --image: The image ".*\\n;\$\(id\)" contains spaces or control characters/);
    assert.equal(ecs.calls().length + ecr.calls().length, 0, 'nothing was sent');
  });

  it('success: follows its own deployment to COMPLETED with HEALTHY tasks, exit 0, the documented JSON', async () => {
    script(service([oldPrimary()]), [service([ours(), oldActive()])], [
      { service: service([ours(), oldActive()]) },
      { service: service([ours({ runningCount: 1, pendingCount: 1 }), oldActive()]), tasks: [healthyTask()] },
      { service: service([ours({ runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED' })]), tasks: [healthyTask(), healthyTask()] },
    ]);
    const result = await cli(deployArgs('--output', 'json'));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const out = result.json();
    assert.deepEqual(Object.keys(out), ['cluster', 'service', 'previousTaskDefinitionArn', 'taskDefinitionArn', 'deploymentId', 'result']);
    assert.equal(out.deploymentId, NEW_DEPLOYMENT);
    assert.equal(out.taskDefinitionArn, NEW_TD);
    assert.equal(out.result.outcome, 'succeeded');
    assert.match(out.result.reason, /COMPLETED: 2\/2 tasks run mcp-server-production:8, health checks of mcp-server, datadog-agent HEALTHY/);

    const [register] = ecs.commandCalls(RegisterTaskDefinitionCommand);
    const sent = register.args[0].input;
    assert.equal(sent.containerDefinitions?.find((c) => c.name === 'mcp-server')?.image, `${APP_REPOSITORY_URI}:v1.1.0`);
    assert.ok(!('revision' in sent) && !('requiresAttributes' in sent) && !('registeredAt' in sent));
    const updates = ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input);
    assert.deepEqual(updates, [{ cluster: 'sales-prod', service: 'sales-prod-mcp-server-production', taskDefinition: NEW_TD, forceNewDeployment: false }]);
  });

  it('text mode prints one progress line per change of status, then the result', async () => {
    script(service([oldPrimary()]), [service([ours(), oldActive()])], [
      { service: service([ours(), oldActive()]) },
      { service: service([ours(), oldActive()]) },
      { service: service([ours({ runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED' })]), tasks: [healthyTask(), healthyTask()] },
    ]);
    const result = await cli(deployArgs('--force-new-deployment'));
    assert.equal(result.code, 0, result.stderr);
    const progress = result.stdout.split('\n').filter((l) => l.startsWith('['));
    assert.equal(progress.length, 2, result.stdout);
    assert.match(progress[0], /IN_PROGRESS: 0\/2 running, 2 pending, 0 failed/);
    assert.match(result.stdout, /Result: succeeded\./);
    assert.equal(ecs.commandCalls(UpdateServiceCommand)[0].args[0].input.forceNewDeployment, true);
  });

  it('circuit-breaker rollback that ends stable: exit 1, "failed", and no second rollback of our own', async () => {
    const crashed = task(NEW_DEPLOYMENT, 'STOPPED', {}, { stoppedReason: 'Essential container in task exited', containers: [{ name: 'mcp-server', exitCode: 137 }] });
    const rollback = deployment({ id: ROLLBACK_DEPLOYMENT, status: 'PRIMARY', taskDefinition: OLD_TD, runningCount: 2, rolloutState: 'COMPLETED', createdAt: new Date(), rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${OLD_DEPLOYMENT}.` });
    script(service([oldPrimary()]), [service([ours(), oldActive()])], [
      { service: service([ours({ failedTasks: 2 }), oldActive()]), tasks: [crashed] },
      { service: service([rollback], { events: [event(Date.now(), `(service sales-prod-mcp-server-production) deployment ${NEW_DEPLOYMENT} deployment failed: tasks failed to start.`)] }) },
    ]);
    const result = await cli(deployArgs('--output', 'json', '--rollback-on-failure'));
    assert.equal(result.code, 1);
    const out = result.json();
    assert.equal(out.result.outcome, 'failed');
    assert.match(out.result.reason, /ECS rolled the service back to mcp-server-production:7.*Essential container in task exited; mcp-server: exit code 137.*tasks failed to start/);
    assert.equal(out.result.rollback?.reason, 'No rollback: ECS already rolled back.');
    assert.equal(ecs.commandCalls(UpdateServiceCommand).length, 1);
    assert.match(result.stderr, /^ecr-deploy deploy: rollout failed: ECS rolled the service back/);
  });

  it('FAILED by a circuit breaker that does not roll back: --rollback-on-failure updates back to the previous revision and follows that too', async () => {
    const back = deployment({ id: ROLLBACK_DEPLOYMENT, status: 'PRIMARY', taskDefinition: OLD_TD, createdAt: new Date() });
    const failedOurs = ours({ rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start', failedTasks: 3 });
    script(service([oldPrimary()], breakerWithoutRollback), [service([ours(), oldActive()], breakerWithoutRollback), service([back, { ...failedOurs, status: 'ACTIVE' }], breakerWithoutRollback)], [
      { service: service([failedOurs, oldActive()], breakerWithoutRollback) },
      // The CLI's look at the service before rolling back.
      { service: service([failedOurs, oldActive()], breakerWithoutRollback) },
      { service: service([{ ...back, runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED' }], breakerWithoutRollback), tasks: [healthyTask(ROLLBACK_DEPLOYMENT), healthyTask(ROLLBACK_DEPLOYMENT)] },
    ]);
    const result = await cli(deployArgs('--output', 'json', '--rollback-on-failure'));
    assert.equal(result.code, 1, 'the deploy failed, even though the rollback worked');
    const out = result.json();
    assert.equal(out.result.outcome, 'failed');
    assert.match(out.result.reason, /FAILED: tasks failed to start/);
    assert.equal(out.result.rollback?.outcome, 'succeeded');
    assert.equal(out.result.rollback?.taskDefinitionArn, OLD_TD);
    assert.deepEqual(ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input.taskDefinition), [NEW_TD, OLD_TD]);
  });

  it('stuck rollout: times out with exit 1 and says what it waited for', async () => {
    script(service([oldPrimary()]), [service([ours(), oldActive()])], [
      { service: service([ours(), oldActive()], { events: [event(Date.now(), '(service sales-prod-mcp-server-production) was unable to place a task because no container instance met all of its requirements.')] }) },
    ]);
    const result = await cli(deployArgs('--output', 'json', '--timeout', '0.05'));
    assert.equal(result.code, 1);
    const out = result.json();
    assert.equal(out.result.outcome, 'timed-out');
    assert.match(out.result.reason, /^Not finished after 0 s: IN_PROGRESS: 0\/2 running, 2 pending.*unable to place a task/);
  });

  it('stopping to watch (Ctrl+C) ends the CLI with 130 and never touches the deployment', async () => {
    const controller = new AbortController();
    script(service([oldPrimary()]), [service([ours(), oldActive()])], [{ service: service([ours(), oldActive()]) }], (n) => {
      if (n === 2) controller.abort();
    });
    const result = await cli(deployArgs('--output', 'json'), controller.signal);
    assert.equal(result.code, 130);
    const out = result.json();
    assert.equal(out.result.outcome, 'stopped-watching');
    assert.match(out.result.reason, /^Stopped watching; the deployment continues in ECS\. Last status: IN_PROGRESS/);
    assert.equal(ecs.commandCalls(UpdateServiceCommand).length, 1, 'no update after the cancel');
  });

  it('refuses an arm64 image for the X86_64 task definition before registering anything', async () => {
    imagePlatform('arm64');
    script(service([oldPrimary()]), [], [{ service: service([oldPrimary()]) }]);
    const result = await cli(deployArgs());
    assert.equal(result.code, 1);
    assert.match(result.stderr, /exec format error/);
    assert.equal(ecs.commandCalls(RegisterTaskDefinitionCommand).length, 0);
    assert.equal(ecs.commandCalls(UpdateServiceCommand).length, 0);
  });

  it('asks for --container when the account\'s ECR images are in several containers', async () => {
    const described = fargateWithSidecars();
    described.taskDefinition.containerDefinitions![1].image = `${APP_REPOSITORY_URI.replace('quilt-mcp-server', 'agent')}:1`;
    ecs.on(DescribeTaskDefinitionCommand).resolves(described);
    script(service([oldPrimary()]), [], [{ service: service([oldPrimary()]) }]);
    const result = await cli(deployArgs());
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Which container\? 2 containers run images from the ECR registry of account 123456789012: "mcp-server", "datadog-agent"\. Pass --container NAME\./);
  });
});
