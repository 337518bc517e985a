/**
 * The local AWS's ECS rollout engine, ECS-native strategies (BLUE_GREEN, LINEAR, CANARY): lifecycle stages,
 * bake time, PAUSE and AWS_LAMBDA lifecycle hooks, ContinueServiceDeployment, StopServiceDeployment, through the
 * real SDK over the wire at a fast time scale (1 ECS minute = 1.2 s).
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  ContinueServiceDeploymentCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type Service,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { blueGreenLoadBalancers, NETWORK, registerRevision, startLocalAws, waitFor, type LocalAws } from '../support/localAws';

const CLUSTER = 'engine';
const SERVICE = 'shop';
const STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
];
const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:smoke-test';
const HOOK_ROLE = 'arn:aws:iam::123456789012:role/ecsLambdaHookRole';

describe('local AWS: blue/green, linear and canary deployments', () => {
  let aws: LocalAws;
  let v1: string;
  let v2: string;
  before(async () => {
    aws = await startLocalAws({ timeScale: 0.02 });
  });
  after(async () => aws?.stop());
  beforeEach(async () => {
    await aws.reset();
    await aws.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    v1 = await registerRevision(aws.ecs, 'shop', 'example/shop:v1', { healthCheck: true });
    v2 = await registerRevision(aws.ecs, 'shop', 'example/shop:v2', { healthCheck: true });
  });

  const describeService = async (): Promise<Service> => (await aws.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services![0];
  const latest = async (): Promise<ServiceDeployment> => {
    const [brief] = (await aws.ecs.send(new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: SERVICE }))).serviceDeployments!;
    return (await aws.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [brief.serviceDeploymentArn!] }))).serviceDeployments![0];
  };
  const finished = (sd: ServiceDeployment) => ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'].includes(sd.status!);
  const messages = (s: Service) => (s.events ?? []).map((e) => e.message ?? '');
  const runningByTaskDefinition = async () => {
    const arns = (await aws.ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE }))).taskArns ?? [];
    const tasks = arns.length ? (await aws.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks! : [];
    const out: Record<string, number> = {};
    for (const t of tasks) if (t.lastStatus === 'RUNNING') out[t.taskDefinitionArn!] = (out[t.taskDefinitionArn!] ?? 0) + 1;
    return out;
  };

  /** A service on v1 with `deploymentConfiguration`, settled, then updated to v2; returns the v2 service deployment's ARN. */
  async function deployV2(deploymentConfiguration: DeploymentConfiguration): Promise<string> {
    await aws.ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: SERVICE,
        taskDefinition: v1,
        desiredCount: 2,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        loadBalancers: await blueGreenLoadBalancers(aws),
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, ...deploymentConfiguration },
      }),
    );
    await waitFor(latest, (sd) => sd.status === 'SUCCESSFUL', { what: 'the first deployment' });
    await aws.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: v2 }));
    const sd = await latest();
    assert.equal(sd.targetServiceRevision?.arn !== undefined, true);
    return sd.serviceDeploymentArn!;
  }

  /** Follows the newest service deployment to its end, recording the stages and production weights it showed. */
  async function follow(timeoutMs = 20_000) {
    const stages: string[] = [];
    const weights: number[] = [];
    const end = await waitFor(
      async () => {
        const sd = await latest();
        if (sd.lifecycleStage && stages[stages.length - 1] !== sd.lifecycleStage) stages.push(sd.lifecycleStage);
        const w = sd.targetServiceRevision?.requestedProductionTrafficWeight;
        if (w !== undefined && weights[weights.length - 1] !== w) weights.push(w);
        return sd;
      },
      finished,
      { timeoutMs, intervalMs: 10, what: 'the service deployment to finish' },
    );
    return { end, stages, weights };
  }

  const inOrder = (seen: string[]) => seen.every((s, i) => i === 0 || STAGES.indexOf(s) > STAGES.indexOf(seen[i - 1]));

  it('BLUE_GREEN: goes through the lifecycle stages, keeps blue through the bake time, then SUCCESSFUL on green', async () => {
    const arn = await deployV2({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 });
    // During the bake both revisions run, and production traffic is all on green.
    const baking = await waitFor(latest, (sd) => sd.lifecycleStage === 'BAKE_TIME', { what: 'BAKE_TIME' });
    assert.equal(baking.status, 'IN_PROGRESS');
    assert.equal(baking.targetServiceRevision!.requestedProductionTrafficWeight, 100);
    assert.equal(baking.sourceServiceRevisions![0].requestedProductionTrafficWeight, 0);
    assert.deepEqual(Object.values(await runningByTaskDefinition()).sort(), [2, 2]);
    const service = await describeService();
    assert.deepEqual(service.deployments!.map((d) => [d.status, d.taskDefinition]), [['PRIMARY', v2], ['ACTIVE', v1]]);
    const { end, stages } = await follow();
    assert.equal(end.serviceDeploymentArn, arn);
    assert.equal(end.status, 'SUCCESSFUL');
    assert.ok(inOrder(stages), stages.join(' > '));
    assert.ok(stages.includes('CLEAN_UP'), stages.join(' > '));
    assert.equal(end.deploymentConfiguration?.strategy, 'BLUE_GREEN');
    assert.equal(end.deploymentConfiguration?.bakeTimeInMinutes, 1);
    assert.ok(end.finishedAt! >= baking.updatedAt!);
    // The bake took its minute (1.2 s at this scale).
    assert.ok(end.finishedAt!.getTime() - end.startedAt!.getTime() >= 1200, `${end.startedAt?.toISOString()} -> ${end.finishedAt?.toISOString()}`);
    assert.deepEqual(await runningByTaskDefinition(), { [v2]: 2 });
    const settled = await describeService();
    assert.equal(settled.taskDefinition, v2);
    assert.deepEqual(settled.deployments!.map((d) => [d.status, d.rolloutState]), [['PRIMARY', 'COMPLETED']]);
    assert.equal(messages(settled)[0], `(service ${SERVICE}) has reached a steady state.`);
  });

  it('a PAUSE hook holds the deployment AWAITING_ACTION until ContinueServiceDeployment CONTINUE, then it succeeds', async () => {
    const arn = await deployV2({
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 0,
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutConfiguration: { timeoutInMinutes: 60, action: 'ROLLBACK' } }],
    });
    const paused = await waitFor(latest, (sd) => sd.lifecycleHookDetails?.some((h) => h.status === 'AWAITING_ACTION') === true, { what: 'the pause' });
    assert.equal(paused.status, 'IN_PROGRESS');
    assert.equal(paused.lifecycleStage, 'POST_TEST_TRAFFIC_SHIFT');
    const [hook] = paused.lifecycleHookDetails!;
    assert.match(hook.hookId!, /^ecs-pause-/);
    assert.equal(hook.targetType, 'PAUSE');
    assert.equal(hook.targetArn, undefined);
    assert.equal(hook.timeoutAction, 'ROLLBACK');
    assert.ok(hook.expiresAt! > new Date(), 'expires in the future (60 ECS minutes)');
    assert.equal(paused.targetServiceRevision!.requestedTestTrafficWeight, 100);
    assert.equal(paused.targetServiceRevision!.requestedProductionTrafficWeight, 0);
    // It stays paused.
    await new Promise((r) => setTimeout(r, 500));
    const still = await latest();
    assert.equal(still.lifecycleStage, 'POST_TEST_TRAFFIC_SHIFT');
    assert.equal(still.lifecycleHookDetails![0].status, 'AWAITING_ACTION');
    const out = await aws.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: hook.hookId!, action: 'CONTINUE' }));
    assert.equal(out.serviceDeploymentArn, arn);
    const { end, stages } = await follow();
    assert.equal(end.status, 'SUCCESSFUL');
    assert.ok(stages.includes('PRODUCTION_TRAFFIC_SHIFT') || stages.includes('CLEAN_UP'), stages.join(' > '));
    assert.equal((await describeService()).taskDefinition, v2);
    // Nothing is awaiting any more: a second answer is refused as ECS refuses it.
    await assert.rejects(aws.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: hook.hookId!, action: 'CONTINUE' })), { name: 'InvalidParameterException' });
  });

  it('a PAUSE hook answered with ROLLBACK: ROLLBACK_SUCCESSFUL, traffic and service back on blue, green stopped', async () => {
    const arn = await deployV2({ strategy: 'BLUE_GREEN', lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }] });
    const paused = await waitFor(latest, (sd) => sd.lifecycleHookDetails?.some((h) => h.status === 'AWAITING_ACTION') === true, { what: 'the pause' });
    assert.equal(paused.lifecycleHookDetails![0].timeoutAction, 'ROLLBACK', 'ECS default timeout action');
    const blueId = (await describeService()).deployments!.find((d) => d.taskDefinition === v1)!.id!;
    await aws.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: paused.lifecycleHookDetails![0].hookId!, action: 'ROLLBACK' }));
    const { end } = await follow();
    assert.equal(end.status, 'ROLLBACK_SUCCESSFUL');
    assert.equal(end.rollback?.serviceRevisionArn, paused.sourceServiceRevisions![0].arn);
    assert.match(end.rollback?.reason ?? '', /ContinueServiceDeployment/);
    assert.equal(end.targetServiceRevision!.requestedProductionTrafficWeight, 0);
    const s = await describeService();
    assert.equal(s.taskDefinition, v1);
    assert.deepEqual(s.deployments!.map((d) => [d.id, d.status]), [[blueId, 'PRIMARY']]);
    assert.deepEqual(await runningByTaskDefinition(), { [v1]: 2 });
    assert.ok(messages(s).includes(`(service ${SERVICE}) rolling back to deployment ${blueId}.`), messages(s).join('\n'));
  });

  it('an AWS_LAMBDA hook that answers FAILED rolls the deployment back', async () => {
    await aws.setHookResult(LAMBDA, 'FAILED');
    await deployV2({ strategy: 'BLUE_GREEN', lifecycleHooks: [{ targetType: 'AWS_LAMBDA', hookTargetArn: LAMBDA, roleArn: HOOK_ROLE, lifecycleStages: ['POST_SCALE_UP'] }] });
    const { end, stages } = await follow();
    assert.equal(end.status, 'ROLLBACK_SUCCESSFUL');
    assert.equal(stages.at(-1) ?? '', 'POST_SCALE_UP', 'it never passed the hook');
    assert.deepEqual(end.lifecycleHookDetails!.map((h) => [h.targetType, h.targetArn, h.status]), [['AWS_LAMBDA', LAMBDA, 'FAILED']]);
    assert.match(end.rollback?.reason ?? '', /failed at POST_SCALE_UP/);
    assert.equal((await describeService()).taskDefinition, v1);
  });

  it('LINEAR shifts production traffic in steps with a bake between them, with a succeeding Lambda hook, then SUCCESSFUL', async () => {
    await deployV2({
      strategy: 'LINEAR',
      linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 1 },
      lifecycleHooks: [{ targetType: 'AWS_LAMBDA', hookTargetArn: LAMBDA, roleArn: HOOK_ROLE, lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'] }],
    });
    const { end, stages, weights } = await follow();
    assert.equal(end.status, 'SUCCESSFUL');
    assert.deepEqual(weights.filter((w) => w > 0), [50, 100]);
    assert.ok(inOrder(stages), stages.join(' > '));
    assert.deepEqual(end.deploymentConfiguration?.linearConfiguration, { stepPercent: 50, stepBakeTimeInMinutes: 1 });
    assert.equal((await describeService()).taskDefinition, v2);
  });

  it('CANARY sends canaryPercent first, bakes, then the rest, then SUCCESSFUL', async () => {
    await deployV2({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 1 } });
    const canary = await waitFor(latest, (sd) => sd.targetServiceRevision?.requestedProductionTrafficWeight === 10, { what: 'the canary step' });
    assert.equal(canary.lifecycleStage, 'PRODUCTION_TRAFFIC_SHIFT');
    assert.equal(canary.sourceServiceRevisions![0].requestedProductionTrafficWeight, 90);
    const { end, weights } = await follow();
    assert.equal(end.status, 'SUCCESSFUL');
    assert.deepEqual(weights.filter((w) => w > 0), [10, 100]);
  });

  it('StopServiceDeployment ROLLBACK during the bake: ROLLBACK_REQUESTED, then ROLLBACK_SUCCESSFUL on blue', async () => {
    const arn = await deployV2({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 60 });
    await waitFor(latest, (sd) => sd.lifecycleStage === 'BAKE_TIME', { what: 'BAKE_TIME' });
    await aws.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
    const requested = await latest();
    assert.ok(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'].includes(requested.status!), requested.status);
    const { end } = await follow();
    assert.equal(end.status, 'ROLLBACK_SUCCESSFUL');
    assert.equal((await describeService()).taskDefinition, v1);
    assert.deepEqual(await runningByTaskDefinition(), { [v1]: 2 });
    await assert.rejects(aws.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })), { name: 'ConflictException' });
  });

  it('a PAUSE hook whose timeout action is CONTINUE times out (TIMED_OUT) and the deployment goes on', async () => {
    await deployV2({ strategy: 'BLUE_GREEN', lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'], timeoutConfiguration: { timeoutInMinutes: 1, action: 'CONTINUE' } }] });
    const timedOut = await waitFor(latest, (sd) => sd.lifecycleHookDetails?.some((h) => h.status === 'TIMED_OUT') === true || finished(sd), { what: 'the timeout' });
    assert.equal(timedOut.lifecycleHookDetails?.[0]?.status, 'TIMED_OUT');
    const { end } = await follow();
    assert.equal(end.status, 'SUCCESSFUL');
  });

  it('an update while a blue/green deployment is paused replaces it: the paused one STOPPED, the new one runs its own lifecycle', async () => {
    const first = await deployV2({ strategy: 'BLUE_GREEN', lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'] }] });
    await waitFor(latest, (sd) => sd.lifecycleHookDetails?.some((h) => h.status === 'AWAITING_ACTION') === true, { what: 'the first pause' });
    const v3 = await registerRevision(aws.ecs, 'shop', 'example/shop:v3', { healthCheck: true });
    await aws.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: v3 }));
    const [old] = (await aws.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [first] }))).serviceDeployments!;
    assert.equal(old.status, 'STOPPED');
    assert.ok(!old.lifecycleHookDetails!.some((h) => h.status === 'AWAITING_ACTION'));
    const paused = await waitFor(latest, (sd) => sd.lifecycleHookDetails?.some((h) => h.status === 'AWAITING_ACTION') === true, { what: 'the second pause' });
    assert.notEqual(paused.serviceDeploymentArn, first);
    await aws.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: paused.serviceDeploymentArn, hookId: paused.lifecycleHookDetails![0].hookId! }));
    const { end } = await follow();
    assert.equal(end.status, 'SUCCESSFUL');
    assert.deepEqual(await runningByTaskDefinition(), { [v3]: 2 });
  });

  it('a green revision that crashes during SCALE_UP trips the circuit breaker and rolls back to blue', async () => {
    await aws.setBehaviour('example/shop:v2', 'crash');
    await deployV2({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
    const { end, stages } = await follow();
    assert.equal(end.status, 'ROLLBACK_SUCCESSFUL');
    assert.equal(stages.at(-1), 'SCALE_UP');
    assert.equal(end.deploymentCircuitBreaker?.status, 'TRIGGERED');
    assert.equal((await describeService()).taskDefinition, v1);
  });
});
