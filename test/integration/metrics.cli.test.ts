/**
 * `ecr-deploy metrics` against the local AWS over the wire: a rolling service behind a load balancer made in
 * moto's ELBv2, with known series written by PutMetricData. The CLI is given only the cluster and service; it
 * finds the target group, the load balancer and CloudWatch's dimension values itself, and returns every point.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ElasticLoadBalancingV2Client, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateClusterCommand, CreateServiceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { NETWORK, registerRevision, startLocalAws, type LocalAws } from '../support/localAws';
import { runCliProcess } from '../support/cliProcess';
import { createServiceLoadBalancer, putSeries, type SeriesToWrite, type ServiceLoadBalancer } from '../support/metricsWorld';

const CLUSTER = 'metrics';
const SERVICE = 'web';

interface JsonSeries {
  namespace: string;
  metricName: string;
  stat: string;
  dimensions: Record<string, string>;
  unit: string;
  source?: string;
  points: Array<{ timestamp: string; value: number }>;
}
interface JsonOut {
  series: JsonSeries[];
  deployments: Array<{ at: string; tag?: string; taskDefinitionArn: string; kind: string }>;
  unanswered?: string[];
}

describe('ecr-deploy metrics: a service behind a load balancer, its series found from the service alone', () => {
  let aws: LocalAws;
  let cloudwatch: CloudWatchClient;
  let elbv2: ElasticLoadBalancingV2Client;
  let lb: ServiceLoadBalancer;
  let written: SeriesToWrite[];
  let secondRevision: string;
  // Whole minutes, ending two minutes ago: each point sits inside its minute, so its period starts at the minute.
  const lastMinute = Math.floor(Date.now() / 60_000) * 60_000 - 2 * 60_000;
  const minutes = Array.from({ length: 30 }, (_, i) => lastMinute - (29 - i) * 60_000);
  const cli = (...args: string[]) => runCliProcess(['metrics', '--endpoint-url', aws.endpoint, '--region', 'us-east-1', ...args]);

  before(async () => {
    aws = await startLocalAws({ timeScale: 0.02 });
    const config = { endpoint: aws.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
    cloudwatch = new CloudWatchClient(config);
    elbv2 = new ElasticLoadBalancingV2Client(config);
    await aws.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    lb = await createServiceLoadBalancer(aws.endpoint, 'metrics-web');
    const first = await registerRevision(aws.ecs, 'web', 'example/web:v1.0.0');
    secondRevision = await registerRevision(aws.ecs, 'web', 'example/web:v1.1.0');
    await aws.ecs.send(
      new CreateServiceCommand({ cluster: CLUSTER, serviceName: SERVICE, taskDefinition: first, desiredCount: 1, launchType: 'FARGATE', networkConfiguration: NETWORK, loadBalancers: [{ targetGroupArn: lb.targetGroupArn, containerName: 'app', containerPort: 8000 }] }),
    );
    const ecsDims = { ClusterName: CLUSTER, ServiceName: SERVICE };
    const at = (i: number) => minutes[i] + 15_000;
    written = [
      { namespace: 'AWS/ECS', metricName: 'CPUUtilization', unit: 'Percent', dimensions: ecsDims, points: minutes.map((_, i) => ({ at: at(i), value: 20 + i })) },
      { namespace: 'AWS/ECS', metricName: 'MemoryUtilization', unit: 'Percent', dimensions: ecsDims, points: minutes.map((_, i) => ({ at: at(i), value: 40 + (i % 3) })) },
      { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', unit: 'Count', dimensions: lb.dimensions, points: minutes.map((_, i) => ({ at: at(i), value: 1000 + i })) },
      { namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', unit: 'Count', dimensions: lb.dimensions, points: minutes.map((_, i) => ({ at: at(i), value: i % 5 })) },
      { namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', unit: 'Seconds', dimensions: lb.dimensions, points: minutes.map((_, i) => ({ at: at(i), value: 0.1 + i / 1000 })) },
      { namespace: 'AWS/ApplicationELB', metricName: 'HealthyHostCount', unit: 'Count', dimensions: lb.dimensions, points: minutes.map((_, i) => ({ at: at(i), value: i < 20 ? 2 : 1 })) },
    ];
    await putSeries(cloudwatch, written);
    await elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: lb.targetGroupArn, Targets: [{ Id: '10.0.1.21', Port: 8000 }, { Id: '10.0.2.22', Port: 8000 }] }));
    // A deploy inside the window: its marker carries the new revision's tag.
    await aws.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: secondRevision }));
  });
  after(async () => {
    cloudwatch?.destroy();
    elbv2?.destroy();
    await aws?.stop();
  });

  it('returns every written point exactly, with the dimensions CloudWatch uses, from --cluster and --service alone', async () => {
    const run = await cli('--cluster', CLUSTER, '--service', SERVICE, '--since', '1h', '--output', 'json');
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout) as JsonOut;
    for (const w of written) {
      const stat = ['RequestCount', 'HTTPCode_Target_5XX_Count'].includes(w.metricName) ? 'Sum' : 'Average';
      const found = out.series.find((s) => s.metricName === w.metricName && s.stat === stat);
      assert.ok(found, `no ${w.metricName} ${stat} series in ${run.stdout.slice(0, 400)}`);
      assert.equal(found.namespace, w.namespace);
      assert.deepEqual(found.dimensions, w.dimensions);
      assert.equal(found.unit, w.unit);
      assert.deepEqual(
        found.points,
        minutes.map((m, i) => ({ timestamp: new Date(m).toISOString(), value: w.points[i].value })),
        `${w.metricName} points`,
      );
    }
    // Series with nothing written are listed, empty: the person sees the metric exists but has no data.
    assert.deepEqual(out.series.find((s) => s.metricName === 'HTTPCode_Target_2XX_Count')?.points, []);
    // The load balancer dimension is `app/<name>/<id>` and the target group `targetgroup/<name>/<id>`, as CloudWatch names them.
    assert.match(lb.dimensions.LoadBalancer, /^app\/metrics-web\/[0-9a-f]+$/);
    assert.match(lb.dimensions.TargetGroup, /^targetgroup\/metrics-web-tg\/[0-9a-f]+$/);
    // No Container Insights on this cluster: the task count is the service's own, read now.
    const tasks = out.series.find((s) => s.metricName === 'RunningTaskCount');
    assert.equal(tasks?.source, 'DescribeServices');
    assert.equal(tasks?.points.length, 1);
  });

  it('asks for p90 once and says the endpoint did not answer it (moto answers extended statistics with HTTP 500)', async () => {
    const run = await cli('--cluster', CLUSTER, '--service', SERVICE, '--since', '1h', '--output', 'json');
    const out = JSON.parse(run.stdout) as JsonOut;
    assert.deepEqual(out.unanswered, ['TargetResponseTime p90']);
    assert.ok(!out.series.some((s) => s.stat === 'p90'));
  });

  it('marks the deploy in the window with its tag and revision', async () => {
    const run = await cli('--cluster', CLUSTER, '--service', SERVICE, '--since', '1h', '--output', 'json');
    const out = JSON.parse(run.stdout) as JsonOut;
    const marker = out.deployments.find((d) => d.taskDefinitionArn === secondRevision);
    assert.ok(marker, run.stdout.slice(-800));
    assert.equal(marker.tag, 'v1.1.0');
    assert.ok(Math.abs(Date.parse(marker.at) - Date.now()) < 5 * 60_000, marker.at);
  });

  it('prints one line per series with min, avg and max, and the Maximum on demand', async () => {
    const run = await cli('--cluster', CLUSTER, '--service', SERVICE, '--since', '1h', '--maximum');
    assert.equal(run.code, 0, run.stderr);
    const cpu = run.stdout.split('\n').find((l) => l.startsWith('CPUUtilization Average'));
    assert.ok(cpu, run.stdout);
    assert.match(cpu, /\b20%\s+34\.5%\s+49%\s+[▁▂▃▄▅▆▇█]+$/);
    assert.ok(run.stdout.split('\n').some((l) => l.startsWith('CPUUtilization Maximum')), run.stdout);
    assert.match(run.stdout, /^Deploy: .* v1\.1\.0 \(web:2\)/m);
  });

  it('refuses bad input with exit 2 before sending anything (the endpoint is a closed port)', async () => {
    const closed = ['--endpoint-url', 'http://127.0.0.1:9', '--region', 'us-east-1'];
    const cases: Array<[string[], RegExp]> = [
      [['--service', SERVICE], /--cluster is required/],
      [['--cluster', CLUSTER], /--service is required/],
      [['--cluster', CLUSTER, '--service', SERVICE, '--since', 'yesterday'], /--since must be a duration/],
      [['--cluster', CLUSTER, '--service', SERVICE, '--since', '30d'], /--since is at most 15d/],
      [['--cluster', CLUSTER, '--service', SERVICE, '--period', '45'], /--period must be 1, 5, 10, 30 or a multiple of 60/],
      [['--cluster', CLUSTER, '--service', SERVICE, '--since', '1w', '--period', '60'], /more than 1440 points/],
    ];
    for (const [args, message] of cases) {
      const run = await runCliProcess(['metrics', ...closed, ...args]);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
    }
  });

  it('validate includes the target health of the service\'s target group (moto answers registered targets healthy)', async () => {
    const run = await runCliProcess(['validate', '--endpoint-url', aws.endpoint, '--region', 'us-east-1', '--cluster', CLUSTER, '--service', SERVICE, '--output', 'json']);
    const out = JSON.parse(run.stdout) as { reasons: string[]; targetHealth: Array<{ targetGroupName: string; targets: Array<{ id: string; port: number; state: string }> }> };
    assert.deepEqual(out.targetHealth.map((g) => g.targetGroupName), ['metrics-web-tg']);
    assert.deepEqual(out.targetHealth[0].targets.map((t) => `${t.id}:${t.port} ${t.state}`).sort(), ['10.0.1.21:8000 healthy', '10.0.2.22:8000 healthy']);
    assert.ok(out.reasons.includes('Target group metrics-web-tg: 2 healthy · 0 unhealthy · 0 draining.'), out.reasons.join(' | '));
  });

  it('fails with exit 1 and one line for a service that does not exist', async () => {
    const run = await cli('--cluster', CLUSTER, '--service', 'nope');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^ecr-deploy metrics: Service "nope" does not exist in cluster "metrics"\.\n$/);
  });
});
