/**
 * The local AWS's ECS rollout engine, rolling deployments: driven through the real SDK over the wire
 * (scripts/local-aws.mjs --empty, moto behind it), at a fast time scale.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { CreateRepositoryCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { NETWORK, registerRevision, startLocalAws, waitFor, type LocalAws } from '../support/localAws';
import { fakeManifest } from '../support/referenceWorld';

const CLUSTER = 'engine';
const SERVICE = 'web';

describe('local AWS: rolling deployments', () => {
  let aws: LocalAws;
  before(async () => {
    aws = await startLocalAws({ timeScale: 0.02 });
  });
  after(async () => aws?.stop());
  beforeEach(async () => {
    await aws.reset();
    await aws.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
  });

  const describeService = async (): Promise<Service> => (await aws.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services![0];
  const tasksOf = async (desiredStatus: 'RUNNING' | 'STOPPED' = 'RUNNING'): Promise<Task[]> => {
    const arns = (await aws.ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE, desiredStatus }))).taskArns ?? [];
    return arns.length ? ((await aws.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks ?? []) : [];
  };
  const messages = (s: Service) => (s.events ?? []).map((e) => e.message ?? '');
  const primary = (s: Service) => s.deployments!.find((d) => d.status === 'PRIMARY')!;
  const settled = (s: Service) => s.deployments!.length === 1 && primary(s).rolloutState === 'COMPLETED';

  async function createService(taskDefinition: string, circuitBreaker = { enable: true, rollback: true }, desiredCount = 2) {
    await aws.ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: SERVICE,
        taskDefinition,
        desiredCount,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        deploymentConfiguration: { deploymentCircuitBreaker: circuitBreaker, maximumPercent: 200, minimumHealthyPercent: 100 },
      }),
    );
    return waitFor(describeService, settled, { what: 'the first deployment to complete' });
  }

  it('a new service scales up: tasks go PROVISIONING -> PENDING -> RUNNING, and the deployment COMPLETED with a steady state', async () => {
    const td = await registerRevision(aws.ecs, 'web', 'example/web:v1');
    await aws.ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: SERVICE, taskDefinition: td, desiredCount: 2, launchType: 'FARGATE', networkConfiguration: NETWORK }));
    const seen = new Set<string>();
    const s = await waitFor(
      async () => {
        const [service, tasks] = [await describeService(), await tasksOf()];
        for (const t of tasks) seen.add(t.lastStatus!);
        return service;
      },
      settled,
      { what: 'the first deployment', intervalMs: 5 },
    );
    // A poll on a busy machine can miss the short PENDING phase; the task's own times cannot: it was
    // created, pulled its image (PENDING), then started, in that order.
    assert.ok(seen.has('RUNNING'), `states seen: ${[...seen]}`);
    for (const t of await tasksOf()) {
      const times = [t.createdAt, t.pullStartedAt, t.pullStoppedAt, t.startedAt].map((d) => d?.getTime());
      assert.ok(times.every((x) => x !== undefined), `every phase has its time: ${JSON.stringify(times)}`);
      assert.deepEqual([...times].sort((a, b) => a! - b!), times, `PROVISIONING -> PENDING -> RUNNING in order: ${JSON.stringify(times)}`);
    }
    assert.equal(s.runningCount, 2);
    assert.equal(s.pendingCount, 0);
    assert.equal(primary(s).runningCount, 2);
    assert.equal(primary(s).desiredCount, 2);
    assert.match(primary(s).id!, /^ecs-svc\/\d{19}$/);
    assert.equal(primary(s).rolloutStateReason, `ECS deployment ${primary(s).id} completed.`);
    assert.deepEqual(s.deploymentConfiguration, { deploymentCircuitBreaker: { enable: false, rollback: false }, maximumPercent: 200, minimumHealthyPercent: 100, strategy: 'ROLLING' });
    const m = messages(s);
    assert.equal(m[0], `(service ${SERVICE}) has reached a steady state.`);
    assert.equal(m[1], `(service ${SERVICE}) (deployment ${primary(s).id}) deployment completed.`);
    assert.match(m[m.length - 1], new RegExp(`^\\(service ${SERVICE}\\) has started 2 tasks: \\(task [0-9a-f]{32}\\) \\(task [0-9a-f]{32}\\)\\.$`));
    const tasks = await tasksOf();
    assert.equal(tasks.length, 2);
    for (const t of tasks) {
      assert.equal(t.group, `service:${SERVICE}`);
      assert.equal(t.startedBy, primary(s).id);
      assert.equal(t.taskDefinitionArn, td);
      assert.equal(t.lastStatus, 'RUNNING');
      assert.equal(t.desiredStatus, 'RUNNING');
      assert.equal(t.healthStatus, 'UNKNOWN', 'no container health check: ECS reports UNKNOWN');
      assert.equal(t.containers![0].lastStatus, 'RUNNING');
      // PROVISIONING until the pull starts, PENDING until it started.
      assert.ok(t.createdAt! < t.pullStartedAt! && t.pullStartedAt! < t.pullStoppedAt! && t.pullStoppedAt! <= t.startedAt!, JSON.stringify(t));
    }
  });

  it('rolling update to a new revision: PRIMARY and ACTIVE side by side, old tasks drained with ECS stopped reasons, then COMPLETED', async () => {
    const v1 = await registerRevision(aws.ecs, 'web', 'example/web:v1');
    const v2 = await registerRevision(aws.ecs, 'web', 'example/web:v2');
    const first = await createService(v1);
    const oldId = primary(first).id!;
    const updated = (await aws.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: v2 }))).service!;
    assert.equal(updated.taskDefinition, v2);
    assert.equal(updated.deployments!.length, 2);
    const [newer, older] = updated.deployments!;
    assert.equal(newer.status, 'PRIMARY');
    assert.equal(newer.taskDefinition, v2);
    assert.equal(newer.rolloutState, 'IN_PROGRESS');
    assert.equal(older.status, 'ACTIVE');
    assert.equal(older.id, oldId);
    assert.equal(older.runningCount, 2);
    // maximumPercent 200: all new tasks start at once while the old ones keep serving (minimumHealthyPercent 100).
    const both = await waitFor(describeService, (s) => primary(s).runningCount === 2 && s.deployments!.length === 2 && s.deployments![1].runningCount === 2, { what: '4 tasks running' });
    assert.equal(both.runningCount, 4);
    const done = await waitFor(describeService, settled, { what: 'the rolling update to complete' });
    assert.equal(primary(done).id, newer.id);
    assert.equal(primary(done).taskDefinition, v2);
    assert.equal(done.runningCount, 2);
    const stopped = await waitFor(() => tasksOf('STOPPED'), (t) => t.length === 2 && t.every((x) => x.lastStatus === 'STOPPED'), { what: 'the old tasks to stop' });
    for (const t of stopped) {
      assert.equal(t.startedBy, oldId);
      assert.equal(t.taskDefinitionArn, v1);
      assert.equal(t.stoppedReason, `Scaling activity initiated by (deployment ${newer.id})`);
      assert.equal(t.stopCode, 'ServiceSchedulerInitiated');
      assert.equal(t.containers![0].exitCode, 0);
    }
    assert.ok(messages(done).some((m) => /^\(service web\) has stopped 2 running tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/.test(m)), messages(done).join('\n'));

    // The ServiceDeployments API tells the same story: two ROLLING service deployments, the newest SUCCESSFUL.
    const list = (await aws.ecs.send(new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: SERVICE }))).serviceDeployments!;
    assert.equal(list.length, 2);
    assert.deepEqual(list.map((x) => x.status), ['SUCCESSFUL', 'SUCCESSFUL']);
    const [sd] = (await aws.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [list[0].serviceDeploymentArn!] }))).serviceDeployments!;
    assert.equal(sd.deploymentConfiguration?.strategy, 'ROLLING');
    assert.equal(sd.sourceServiceRevisions!.length, 1);
    assert.equal(sd.targetServiceRevision!.runningTaskCount, 2);
    assert.equal(sd.targetServiceRevision!.arn, list[0].targetServiceRevisionArn);
    assert.ok(sd.finishedAt instanceof Date);
    assert.equal(done.currentServiceDeployment, sd.serviceDeploymentArn);
    const revisions = (await aws.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [sd.targetServiceRevision!.arn!, sd.sourceServiceRevisions![0].arn!] }))).serviceRevisions!;
    assert.deepEqual(revisions.map((r) => r.taskDefinition), [v2, v1]);
    assert.equal(revisions[0].containerImages![0].image, 'example/web:v2');
  });

  it('a crashing image trips the circuit breaker: FAILED, a rollback deployment of the last completed revision, the stopped reason ECS writes', async () => {
    const v1 = await registerRevision(aws.ecs, 'web', 'example/web:v1');
    const v2 = await registerRevision(aws.ecs, 'web', 'example/web:broken');
    await aws.setBehaviour('example/web:broken', 'crash');
    const first = await createService(v1);
    const goodId = primary(first).id!;
    await aws.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: v2 }));
    const ours = primary(await describeService()).id!;
    const failed = await waitFor(describeService, (s) => s.deployments!.some((d) => d.id === ours && d.rolloutState === 'FAILED'), { what: 'the circuit breaker' });
    const bad = failed.deployments!.find((d) => d.id === ours)!;
    assert.equal(bad.status, 'ACTIVE');
    assert.equal(bad.failedTasks, 3, 'threshold for 2 desired tasks: at least 3');
    assert.equal(bad.rolloutStateReason, 'ECS deployment circuit breaker: tasks failed to start.');
    const back = primary(failed);
    assert.notEqual(back.id, ours);
    assert.equal(back.taskDefinition, v1);
    assert.equal(back.rolloutStateReason, `ECS deployment circuit breaker: rolling back to deploymentId ${goodId}.`);
    const m = messages(failed);
    assert.ok(m.includes(`(service ${SERVICE}) deployment ${ours} deployment failed: tasks failed to start.`), m.join('\n'));
    assert.ok(m.includes(`(service ${SERVICE}) rolling back to deployment ${goodId}.`), m.join('\n'));
    assert.ok(m.indexOf(`(service ${SERVICE}) rolling back to deployment ${goodId}.`) < m.indexOf(`(service ${SERVICE}) deployment ${ours} deployment failed: tasks failed to start.`), 'newest first');

    const done = await waitFor(describeService, settled, { what: 'the rollback to complete' });
    assert.equal(done.taskDefinition, v1);
    assert.equal(primary(done).id, back.id);
    const stoppedOurs = (await tasksOf('STOPPED')).filter((t) => t.startedBy === ours);
    const crashed = stoppedOurs.filter((t) => t.stopCode === 'EssentialContainerExited');
    assert.ok(crashed.length >= 3, JSON.stringify(stoppedOurs.map((t) => t.stoppedReason)));
    // Tasks of the failed deployment still starting when it failed are drained by the rollback.
    for (const t of stoppedOurs.filter((x) => !crashed.includes(x))) assert.match(t.stoppedReason!, /^Scaling activity initiated by \(deployment ecs-svc\/\d+\)$/);
    for (const t of crashed) {
      assert.equal(t.stoppedReason, 'Essential container in task exited');
      assert.equal(t.stopCode, 'EssentialContainerExited');
      assert.equal(t.containers![0].exitCode, 1);
    }
    const [summary] = (await aws.ecs.send(new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: SERVICE }))).serviceDeployments!;
    assert.equal(summary.status, 'ROLLBACK_SUCCESSFUL');
    const [sd] = (await aws.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [summary.serviceDeploymentArn!] }))).serviceDeployments!;
    assert.deepEqual(sd.deploymentCircuitBreaker, { status: 'TRIGGERED', failureCount: 3, threshold: 3 });
    assert.equal(sd.rollback?.reason, 'ECS deployment circuit breaker: tasks failed to start.');
    assert.equal(sd.rollback?.serviceRevisionArn, sd.sourceServiceRevisions![0].arn);
  });

  it('a failing container health check: UNKNOWN -> UNHEALTHY, ECS replaces the task ("Task failed container health checks") and the breaker rolls back', async () => {
    const v1 = await registerRevision(aws.ecs, 'web', 'example/web:v1', { healthCheck: true });
    const v2 = await registerRevision(aws.ecs, 'web', 'example/web:sick', { healthCheck: true });
    await aws.setBehaviour('example/web:sick', 'unhealthy');
    const first = await createService(v1);
    const healthy = await tasksOf();
    assert.deepEqual(healthy.map((t) => [t.healthStatus, t.containers![0].healthStatus]), [['HEALTHY', 'HEALTHY'], ['HEALTHY', 'HEALTHY']]);
    await aws.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: v2 }));
    const ours = primary(await describeService()).id!;
    const seen = new Set<string>();
    await waitFor(
      async () => {
        for (const t of await tasksOf()) if (t.startedBy === ours && t.lastStatus === 'RUNNING') seen.add(t.healthStatus!);
        return describeService();
      },
      (s) => s.deployments!.some((d) => d.id === ours && d.rolloutState === 'FAILED'),
      { what: 'the unhealthy deployment to fail', intervalMs: 5 },
    );
    assert.ok(seen.has('UNKNOWN'), `health seen: ${[...seen]}`);
    const replaced = (await tasksOf('STOPPED')).filter((t) => t.startedBy === ours && t.healthStatus === 'UNHEALTHY');
    assert.ok(replaced.length >= 3, `replaced: ${replaced.length}`);
    for (const t of replaced) {
      assert.equal(t.stoppedReason, 'Task failed container health checks');
      assert.equal(t.healthStatus, 'UNHEALTHY');
      assert.equal(t.containers![0].healthStatus, 'UNHEALTHY');
    }
    const done = await waitFor(describeService, settled, { what: 'the rollback' });
    assert.equal(done.taskDefinition, v1);
    assert.notEqual(primary(done).id, primary(first).id, 'a new (rollback) deployment of the old revision');
    assert.ok(messages(done).some((m) => /^\(service web\) \(task [0-9a-f]{32}\) failed container health checks\.$/.test(m)));
  });

  it('an image that cannot be pulled: tasks stop with CannotPullContainerError (TaskFailedToStart); without rollback the deployment stays FAILED', async () => {
    const v1 = await registerRevision(aws.ecs, 'web', 'example/web:v1');
    const v2 = await registerRevision(aws.ecs, 'web', 'example/web:missing');
    await aws.setBehaviour('example/web:missing', 'cannot-pull');
    const first = await createService(v1, { enable: true, rollback: false });
    await aws.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: v2 }));
    const ours = primary(await describeService()).id!;
    const failed = await waitFor(describeService, (s) => primary(s).rolloutState === 'FAILED', { what: 'FAILED' });
    assert.equal(primary(failed).id, ours, 'no rollback: the failed deployment stays PRIMARY');
    assert.equal(primary(failed).taskDefinition, v2);
    assert.equal(failed.deployments![1].id, primary(first).id);
    assert.equal(failed.deployments![1].runningCount, 2, 'the old tasks keep serving');
    assert.equal(failed.taskDefinition, v2);
    // A FAILED deployment launches no more tasks.
    await new Promise((r) => setTimeout(r, 400));
    const later = await describeService();
    assert.equal(primary(later).runningCount! + primary(later).pendingCount!, 0);
    assert.equal(primary(later).rolloutState, 'FAILED');
    assert.ok(!messages(later).some((m) => m.includes('rolling back')));
    const stopped = (await tasksOf('STOPPED')).filter((t) => t.startedBy === ours);
    assert.ok(stopped.length >= 3, `stopped: ${stopped.length}`);
    for (const t of stopped) {
      assert.equal(t.stopCode, 'TaskFailedToStart');
      assert.match(t.stoppedReason!, /^CannotPullContainerError: .*example\/web:missing/);
      assert.match(t.containers![0].reason!, /^CannotPullContainerError: /);
      assert.equal(t.startedAt, undefined, 'never started');
    }
    const [sd] = (await aws.ecs.send(new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: SERVICE }))).serviceDeployments!;
    assert.equal(sd.status, 'STOPPED');
  });

  it('a behaviour set for a tag applies to the same image named by digest', async () => {
    await aws.ecr.send(new CreateRepositoryCommand({ repositoryName: 'shop' }));
    const put = await aws.ecr.send(new PutImageCommand({ repositoryName: 'shop', imageManifest: fakeManifest('shop-broken'), imageTag: 'broken' }));
    const digest = put.image!.imageId!.imageDigest!;
    const uri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop';
    const set = await aws.setBehaviour(`${uri}:broken`, 'crash');
    assert.equal(set.imageDigest, digest);
    const v1 = await registerRevision(aws.ecs, 'web', 'example/web:v1');
    const v2 = await registerRevision(aws.ecs, 'web', `${uri}@${digest}`);
    await createService(v1);
    await aws.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: v2 }));
    const ours = primary(await describeService()).id!;
    await waitFor(describeService, (s) => s.deployments!.some((d) => d.id === ours && d.rolloutState === 'FAILED'), { what: 'the digest to crash like the tag' });
    const crashed = (await tasksOf('STOPPED')).filter((t) => t.startedBy === ours);
    assert.equal(crashed[0].containers![0].imageDigest, digest);
    assert.equal(crashed[0].containers![0].exitCode, 1);
  });

  it('a deployment replaced by a newer one mid-rollout: its service deployment STOPPED, the newest completes and only its tasks remain', async () => {
    const v1 = await registerRevision(aws.ecs, 'web', 'example/web:v1', { healthCheck: true });
    const v2 = await registerRevision(aws.ecs, 'web', 'example/web:v2', { healthCheck: true });
    const v3 = await registerRevision(aws.ecs, 'web', 'example/web:v3', { healthCheck: true });
    await createService(v1);
    await aws.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: v2 }));
    const second = primary(await describeService()).id!;
    const replaced = (await aws.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: v3 }))).service!;
    assert.deepEqual(replaced.deployments!.map((d) => d.taskDefinition), [v3, v2, v1]);
    assert.equal(replaced.deployments![1].id, second);
    assert.equal(replaced.deployments![1].status, 'ACTIVE');
    const done = await waitFor(describeService, settled, { what: 'the newest deployment to complete' });
    assert.equal(primary(done).taskDefinition, v3);
    assert.deepEqual([...new Set((await tasksOf()).map((t) => t.taskDefinitionArn))], [v3]);
    const list = (await aws.ecs.send(new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: SERVICE }))).serviceDeployments!;
    assert.deepEqual(list.map((x) => x.status), ['SUCCESSFUL', 'STOPPED', 'SUCCESSFUL']);
    const stoppedOnes = (await tasksOf('STOPPED')).filter((t) => t.startedBy === second);
    for (const t of stoppedOnes) assert.equal(t.stoppedReason, `Scaling activity initiated by (deployment ${primary(done).id})`);
  });

  it('StopServiceDeployment ROLLBACK of a rolling deployment in progress: ROLLBACK_SUCCESSFUL, the service back on its revision', async () => {
    const v1 = await registerRevision(aws.ecs, 'web', 'example/web:v1');
    const v2 = await registerRevision(aws.ecs, 'web', 'example/web:slow', { healthCheck: true });
    // Never healthy, and no circuit breaker: the deployment stays IN_PROGRESS until someone stops it.
    await aws.setBehaviour('example/web:slow', 'unhealthy');
    await createService(v1, { enable: false, rollback: false });
    await aws.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: v2 }));
    const [brief] = (await aws.ecs.send(new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: SERVICE }))).serviceDeployments!;
    await waitFor(async () => (await aws.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [brief.serviceDeploymentArn!] }))).serviceDeployments![0], (sd) => sd.status === 'IN_PROGRESS', { what: 'IN_PROGRESS' });
    await aws.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: brief.serviceDeploymentArn!, stopType: 'ROLLBACK' }));
    const end = await waitFor(
      async () => (await aws.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [brief.serviceDeploymentArn!] }))).serviceDeployments![0],
      (sd) => sd.status === 'ROLLBACK_SUCCESSFUL',
      { what: 'ROLLBACK_SUCCESSFUL' },
    );
    assert.equal(end.rollback?.reason, 'Rollback requested by StopServiceDeployment.');
    const done = await waitFor(describeService, settled, { what: 'the service to settle on v1' });
    assert.equal(done.taskDefinition, v1);
    assert.deepEqual([...new Set((await tasksOf()).map((t) => t.taskDefinitionArn))], [v1]);
  });

  it('DescribeClusters counts what runs (moto alone says 0); desired count changes scale without a new deployment', async () => {
    const v1 = await registerRevision(aws.ecs, 'web', 'example/web:v1');
    await createService(v1, { enable: false, rollback: false }, 3);
    const [cluster] = (await aws.ecs.send(new DescribeClustersCommand({ clusters: [CLUSTER] }))).clusters!;
    assert.equal(cluster.activeServicesCount, 1);
    assert.equal(cluster.runningTasksCount, 3);
    assert.equal(cluster.pendingTasksCount, 0);
    const before = primary(await describeService()).id;
    await aws.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, desiredCount: 1 }));
    const s = await waitFor(describeService, (x) => x.runningCount === 1 && x.pendingCount === 0, { what: 'scale in to 1' });
    assert.equal(primary(s).id, before);
    assert.equal(s.deployments!.length, 1);
    const [after1] = (await aws.ecs.send(new DescribeClustersCommand({ clusters: [CLUSTER] }))).clusters!;
    assert.equal(after1.runningTasksCount, 1);
    await aws.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, desiredCount: 2 }));
    const [pending] = (await aws.ecs.send(new DescribeClustersCommand({ clusters: [CLUSTER] }))).clusters!;
    assert.equal(pending.pendingTasksCount, 1);
    const forced = (await aws.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, forceNewDeployment: true }))).service!;
    assert.equal(forced.deployments!.length, 2, 'forceNewDeployment makes a deployment of the same revision');
    assert.equal(forced.deployments![0].taskDefinition, v1);
  });
});
