/**
 * Verify after deploy against the local AWS, over the wire: the built CLI deploys with `--verify-minutes` (a
 * fraction of a minute: a 15-second window of 5-second periods), its rollout really rolls out, and the verdict
 * comes from the CloudWatch figures written with PutMetricData around it — a 5xx and latency regression after
 * the deploy is a failure with the numbers (rolled back with --rollback-on-failure), a flat window a success.
 * A target that the load balancer reports unhealthy makes Validate unhealthy.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ElasticLoadBalancingV2Client, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { NETWORK, registerRevision, startLocalAws, waitFor, type LocalAws } from '../support/localAws';
import { runCliProcess } from '../support/cliProcess';
import { createServiceLoadBalancer, putSeries, setTargetHealth, type SeriesToWrite, type ServiceLoadBalancer } from '../support/metricsWorld';

const CLUSTER = 'verify';

interface VerifyJson {
  result: {
    outcome: string;
    reason: string;
    verify: {
      verdict: string;
      reason: string;
      periodSeconds: number;
      before: { start: string; end: string; requests?: number; errors?: number; errorRate?: number; responseTime?: number };
      after: { start: string; end: string; requests?: number; errors?: number; errorRate?: number; responseTime?: number };
      comparisons: Array<{ figure: string; before?: number; after?: number; regressed: boolean; text: string }>;
    };
    rollback?: { taskDefinitionArn: string; outcome?: string; reason: string };
  };
  taskDefinitionArn: string;
  previousTaskDefinitionArn: string;
}

/** A second of traffic: requests, 5xx and response time, one point per second from `from` for `seconds`. */
function traffic(lb: ServiceLoadBalancer, from: number, seconds: number, figures: { requests: number; errors: number; responseTime: number }): SeriesToWrite[] {
  const at = Array.from({ length: seconds }, (_, i) => from + i * 1000);
  const elb = (metricName: string, unit: SeriesToWrite['unit'], value: number): SeriesToWrite => ({ namespace: 'AWS/ApplicationELB', metricName, unit, dimensions: lb.dimensions, points: at.map((t) => ({ at: t, value })) });
  return [elb('RequestCount', 'Count', figures.requests), elb('HTTPCode_Target_5XX_Count', 'Count', figures.errors), elb('TargetResponseTime', 'Seconds', figures.responseTime)];
}

const STEADY = { requests: 100, errors: 0, responseTime: 0.08 };

describe('verify after deploy: the new revision\'s window against the one before, from CloudWatch', () => {
  let aws: LocalAws;
  let cloudwatch: CloudWatchClient;
  let elbv2: ElasticLoadBalancingV2Client;
  const services = new Map<string, { lb: ServiceLoadBalancer; first: string }>();

  async function serviceBehindLoadBalancer(name: string): Promise<void> {
    const lb = await createServiceLoadBalancer(aws.endpoint, `verify-${name}`);
    const first = await registerRevision(aws.ecs, name, `example/${name}:v1.0.0`);
    await aws.ecs.send(
      new CreateServiceCommand({ cluster: CLUSTER, serviceName: name, taskDefinition: first, desiredCount: 1, launchType: 'FARGATE', networkConfiguration: NETWORK, loadBalancers: [{ targetGroupArn: lb.targetGroupArn, containerName: 'app', containerPort: 8000 }] }),
    );
    await elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: lb.targetGroupArn, Targets: [{ Id: '10.0.1.31', Port: 8000 }, { Id: '10.0.2.32', Port: 8000 }] }));
    services.set(name, { lb, first });
  }

  const steady = (name: string) =>
    waitFor(async () => (await aws.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [name] }))).services?.[0], (s) => s?.runningCount === 1 && s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED', { what: `${name} at steady state` });

  /** UpdateService has happened: the service names the new revision (the CLI's window before ends no later than this). */
  const updated = (name: string, revision: number) =>
    waitFor(
      async () => (await aws.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [name] }))).services?.[0],
      (s) => (s?.taskDefinition ?? '').endsWith(`:task-definition/${name}:${revision}`),
      { what: `${name} updated to revision ${revision}`, timeoutMs: 30_000, intervalMs: 25 },
    );

  /** Deploys `image` with a 15-second verify window; `afterUpdate` writes the figures the window after will see. */
  async function deployAndVerify(name: string, image: string, afterUpdate: (lb: ServiceLoadBalancer, from: number) => SeriesToWrite[], extra: string[] = [], { revision = 2, output = 'json' } = {}) {
    const { lb } = services.get(name)!;
    // The minute before: steady traffic, the window the new revision is compared with.
    const start = Date.now();
    await putSeries(cloudwatch, traffic(lb, start - 60_000, 60, STEADY));
    const run = runCliProcess(['deploy', '--endpoint-url', aws.endpoint, '--region', 'us-east-1', '--cluster', CLUSTER, '--service', name, '--image', image, '--poll-interval', '0.2', '--verify-minutes', '0.25', '--output', output, ...extra]);
    await updated(name, revision);
    // Steady up to the update (however long the CLI took to get there), then from it on the figures of the new
    // revision, a point a second for longer than the window lasts (CloudWatch takes points ahead of now).
    // Whole seconds from `start`, rounded up: no point of the new revision falls before the update.
    const steadySeconds = Math.ceil((Date.now() - start) / 1000);
    await putSeries(cloudwatch, [...traffic(lb, start, steadySeconds, STEADY), ...afterUpdate(lb, start + steadySeconds * 1000)]);
    const done = await run;
    return { ...done, json: output === 'json' && done.stdout ? (JSON.parse(done.stdout) as VerifyJson) : undefined };
  }

  before(async () => {
    aws = await startLocalAws({ timeScale: 0.02 });
    const config = { endpoint: aws.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
    cloudwatch = new CloudWatchClient(config);
    elbv2 = new ElasticLoadBalancingV2Client(config);
    await aws.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    for (const name of ['flat', 'regress', 'sick']) await serviceBehindLoadBalancer(name);
    for (const name of ['flat', 'regress']) await steady(name);
  });
  after(async () => {
    cloudwatch?.destroy();
    elbv2?.destroy();
    await aws?.stop();
  });

  it('a flat window after the deploy: verified, exit 0, the figures of both windows in the JSON', async () => {
    const { code, stderr, json } = await deployAndVerify('flat', 'example/flat:v1.1.0', (lb, from) => traffic(lb, from, 40, STEADY));
    assert.equal(code, 0, stderr);
    const verify = json!.result.verify;
    assert.equal(verify.verdict, 'verified', verify.reason);
    assert.equal(json!.result.outcome, 'succeeded');
    assert.equal(verify.periodSeconds, 5);
    assert.equal(Date.parse(verify.after.end) - Date.parse(verify.after.start), 15_000);
    assert.equal(Date.parse(verify.before.end) - Date.parse(verify.before.start), 15_000);
    assert.ok(Date.parse(verify.before.end) <= Date.parse(verify.after.start), 'the windows do not overlap');
    // 15 one-second points of 100 requests in each window, none of them 5xx.
    assert.equal(verify.before.requests, 1500);
    assert.equal(verify.after.requests, 1500);
    assert.equal(verify.after.errorRate, 0);
    assert.equal(verify.after.responseTime, 0.08);
    assert.match(verify.reason, /^Verified over 15 s after the deploy against the 15 s before: 5xx rate 0% -> 0% \(\+0 points; limit \+1\); response time 80 ms -> 80 ms/);
  });

  it('text output: the window counted down in a few lines (one when the figures change, one a minute while they hold), then the verdict', async () => {
    const { code, stderr, stdout } = await deployAndVerify('flat', 'example/flat:v1.2.0', (lb, from) => traffic(lb, from, 40, STEADY), [], { revision: 3, output: 'text' });
    assert.equal(code, 0, stderr);
    const lines = stdout.split('\n').filter((l) => l.startsWith('[verify '));
    assert.ok(lines.length >= 1 && lines.length <= 4, lines.join('\n'));
    assert.match(lines[0], /^\[verify \d+ s left\] /);
    assert.match(stdout, /\[verify \d+ s left\] 5xx rate 0% -> 0%, response time 80 ms -> 80 ms/);
    assert.match(stdout, /^Result: succeeded\. .*Verified over 15 s after the deploy/m);
    assert.match(stdout, /^Verify: verified\.$/m);
  });

  it('5xx and latency up after the deploy: failed with the numbers, and --rollback-on-failure rolls back', async () => {
    const { first } = services.get('regress')!;
    const { code, stderr, json } = await deployAndVerify('regress', 'example/regress:v1.1.0', (lb, from) => traffic(lb, from, 40, { requests: 100, errors: 20, responseTime: 0.45 }), ['--rollback-on-failure']);
    assert.equal(code, 1, stderr);
    const result = json!.result;
    assert.equal(result.outcome, 'failed');
    assert.equal(result.verify.verdict, 'regressed');
    const byFigure = Object.fromEntries(result.verify.comparisons.map((c) => [c.figure, c]));
    assert.equal(byFigure.errorRate.before, 0);
    assert.equal(byFigure.errorRate.after, 0.2);
    assert.equal(byFigure.errorRate.regressed, true);
    assert.equal(byFigure.responseTime.after, 0.45);
    assert.equal(byFigure.responseTime.regressed, true);
    assert.match(result.verify.reason, /5xx rate 0% -> 20% \(\+20 points; limit \+1\); response time 80 ms -> 450 ms \(\+463%; limit \+50%\)/);
    assert.match(stderr, /^ecr-deploy deploy: rollout failed: .*Regressed in the 15 s after the deploy/m);
    // The regression is ours to roll back: ECS saw a healthy rollout.
    assert.equal(result.rollback?.taskDefinitionArn, first);
    assert.equal(result.rollback?.outcome, 'succeeded', result.rollback?.reason);
    const service = (await aws.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['regress'] }))).services?.[0];
    assert.equal(service?.taskDefinition, first);
  });

  it('refuses a bad --verify-minutes with exit 2 before sending anything', async () => {
    const closed = ['deploy', '--endpoint-url', 'http://127.0.0.1:9', '--region', 'us-east-1', '--cluster', CLUSTER, '--service', 'flat', '--image', 'example/flat:v2'];
    for (const [args, message] of [
      [['--verify-minutes', 'ten'], /--verify-minutes must be a number of minutes from 0 to 180, not "ten"/],
      [['--verify-minutes', '500'], /from 0 to 180/],
      [['--verify-minutes', '5', '--no-wait'], /--verify-minutes needs the rollout followed: drop --no-wait/],
    ] as Array<[string[], RegExp]>) {
      const run = await runCliProcess([...closed, ...args]);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
  });

  it('validate: a target the load balancer reports unhealthy makes the service unhealthy, with ELB\'s reason', async () => {
    const { lb } = services.get('sick')!;
    await steady('sick');
    const validate = () => runCliProcess(['validate', '--endpoint-url', aws.endpoint, '--region', 'us-east-1', '--cluster', CLUSTER, '--service', 'sick', '--output', 'json']);
    const healthy = await validate();
    assert.equal(healthy.code, 0, healthy.stderr);
    await setTargetHealth(aws.endpoint, { targetGroupArn: lb.targetGroupArn, id: '10.0.2.32', state: 'unhealthy', reason: 'Target.FailedHealthChecks', description: 'Health checks failed' });
    const sick = await validate();
    assert.equal(sick.code, 1, sick.stderr);
    const out = JSON.parse(sick.stdout) as { verdict: string; reasons: string[]; targetHealth: Array<{ targets: Array<{ id: string; state: string; reason?: string }> }> };
    assert.equal(out.verdict, 'unhealthy');
    assert.deepEqual(
      out.targetHealth[0].targets.map((t) => `${t.id} ${t.state} ${t.reason ?? ''}`.trim()).sort(),
      ['10.0.1.31 healthy', '10.0.2.32 unhealthy Target.FailedHealthChecks'],
    );
    assert.ok(out.reasons.includes('Target group verify-sick-tg: 1 healthy · 1 unhealthy · 0 draining (Target.FailedHealthChecks).'), out.reasons.join(' | '));
    assert.match(sick.stderr, /^ecr-deploy validate: unhealthy: /);
  });
});
