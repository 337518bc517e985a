/**
 * The metrics use case of src/app and its pure parts (window, catalog, summaries) against a fake of the AWS
 * edge: which series are asked for with which dimensions, in one call; the markers with their tags; the window.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Cluster, Service, TaskDefinition } from '@aws-sdk/client-ecs';
import type { TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import { readServiceMetrics, type MetricsAccess } from '../../src/app/metrics/serviceMetrics';
import { readTargetHealth, type TargetHealthAccess } from '../../src/app/metrics/targetHealth';
import { targetHealthFindings } from '../../src/core/ecs/targetHealth';
import { loadBalancerDimension, serviceMetricQueries, targetGroupDimension, type MetricQuerySpec } from '../../src/core/metrics/catalog';
import { formatMetricValue, sparkline, summarise } from '../../src/core/metrics/series';
import { alignedWindow, defaultPeriod, parseMetricWindow, type MetricWindow } from '../../src/core/metrics/window';

const LB_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188';
const TG_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/73e2d6bc24d8a067';
const TD1 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1';
const TD2 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2';
const NOW = Date.parse('2026-12-02T12:00:30Z');

interface FakeOptions {
  service?: Partial<Service>;
  cluster?: Partial<Cluster>;
  targetGroups?: TargetGroup[];
  extended?: boolean;
  answer?: (specs: readonly MetricQuerySpec[]) => Map<string, { timestamps: Date[]; values: number[] }>;
}

function fakeAccess(options: FakeOptions = {}) {
  const calls: Array<{ op: string; args: unknown[] }> = [];
  const service: Service = {
    serviceName: 'web',
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web',
    taskDefinition: TD2,
    runningCount: 2,
    loadBalancers: [{ targetGroupArn: TG_ARN, containerName: 'app', containerPort: 8000 }],
    deployments: [
      { id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: TD2, createdAt: new Date(NOW - 20 * 60_000), rolloutState: 'COMPLETED' },
      { id: 'ecs-svc/1', status: 'ACTIVE', taskDefinition: TD1, createdAt: new Date(NOW - 5 * 3_600_000) },
    ],
    ...options.service,
  };
  const definitions: Record<string, TaskDefinition> = {
    [TD1]: { taskDefinitionArn: TD1, containerDefinitions: [{ name: 'app', image: '1.dkr.ecr.us-east-1.amazonaws.com/web:v1.0.0', essential: true }] },
    [TD2]: { taskDefinitionArn: TD2, containerDefinitions: [{ name: 'app', image: '1.dkr.ecr.us-east-1.amazonaws.com/web:v1.1.0', essential: true }] },
  };
  const access = {
    clients: { ecs: {}, cloudwatch: {}, elbv2: {} },
    edge: {
      ecs: {
        requireService: async (...args: unknown[]) => (calls.push({ op: 'requireService', args }), service),
        describeCluster: async (...args: unknown[]) => (calls.push({ op: 'describeCluster', args }), { clusterName: 'prod', ...options.cluster }),
        describeTaskDefinition: async (_c: unknown, arn: string) => (calls.push({ op: 'describeTaskDefinition', args: [arn] }), { taskDefinition: definitions[arn] }),
      },
      elbv2: {
        describeTargetGroups: async (_c: unknown, arns: string[]) => (calls.push({ op: 'describeTargetGroups', args: [arns] }), options.targetGroups ?? [{ TargetGroupArn: TG_ARN, TargetGroupName: 'web-tg', LoadBalancerArns: [LB_ARN] }]),
      },
      metrics: {
        answersExtendedStatistics: () => options.extended ?? true,
        getMetricData: async (_c: unknown, specs: readonly MetricQuerySpec[], window: MetricWindow) => {
          calls.push({ op: 'getMetricData', args: [specs, window] });
          return { results: options.answer?.(specs) ?? new Map(), unanswered: [], requests: 1 };
        },
      },
    },
  } as unknown as MetricsAccess;
  return { access, calls };
}

const REQUEST = { ref: { cluster: 'prod', service: 'web' }, rangeMs: 3_600_000, periodSeconds: 60, now: NOW };

describe('readServiceMetrics: the series of a service, from the service alone', () => {
  it('asks for every series in one GetMetricData call, with CloudWatch dimension values found from the service', async () => {
    const { access, calls } = fakeAccess();
    await readServiceMetrics(access, REQUEST);
    const metricCalls = calls.filter((c) => c.op === 'getMetricData');
    assert.equal(metricCalls.length, 1);
    const [specs, window] = metricCalls[0].args as [MetricQuerySpec[], MetricWindow];
    assert.deepEqual(
      specs.map((s) => `${s.namespace} ${s.metricName} ${s.stat}`),
      [
        'AWS/ECS CPUUtilization Average',
        'AWS/ECS MemoryUtilization Average',
        'AWS/ApplicationELB RequestCount Sum',
        'AWS/ApplicationELB HTTPCode_Target_2XX_Count Sum',
        'AWS/ApplicationELB HTTPCode_Target_5XX_Count Sum',
        'AWS/ApplicationELB TargetResponseTime Average',
        'AWS/ApplicationELB TargetResponseTime p90',
        'AWS/ApplicationELB HealthyHostCount Average',
        'AWS/ApplicationELB UnHealthyHostCount Average',
      ],
    );
    assert.deepEqual(specs[0].dimensions, { ClusterName: 'prod', ServiceName: 'web' });
    assert.deepEqual(specs[2].dimensions, { LoadBalancer: 'app/web/50dc6c495c0c9188', TargetGroup: 'targetgroup/web-tg/73e2d6bc24d8a067' });
    assert.ok(specs.every((s) => /^[a-z][A-Za-z0-9_]*$/.test(s.id)) && new Set(specs.map((s) => s.id)).size === specs.length, 'ids valid and unique');
    assert.deepEqual(window, { start: new Date('2026-12-02T11:01:00Z'), end: new Date('2026-12-02T12:01:00Z'), periodSeconds: 60 });
    assert.deepEqual(calls.find((c) => c.op === 'describeTargetGroups')?.args, [[TG_ARN]]);
  });

  it('adds Container Insights task count where the cluster has it on, and the Maximum on demand; no p90 where extended statistics are not answered', async () => {
    const { access, calls } = fakeAccess({ cluster: { settings: [{ name: 'containerInsights', value: 'enhanced' }] }, extended: false });
    const read = await readServiceMetrics(access, { ...REQUEST, maximum: true });
    const specs = calls.find((c) => c.op === 'getMetricData')!.args[0] as MetricQuerySpec[];
    assert.ok(specs.some((s) => s.namespace === 'ECS/ContainerInsights' && s.metricName === 'RunningTaskCount'));
    assert.ok(specs.some((s) => s.metricName === 'CPUUtilization' && s.stat === 'Maximum'));
    assert.ok(specs.some((s) => s.metricName === 'MemoryUtilization' && s.stat === 'Maximum'));
    assert.ok(!specs.some((s) => s.stat === 'p90'));
    assert.equal(read.containerInsights, true);
    assert.ok(!read.series.some((s) => s.source === 'DescribeServices'));
  });

  it('without Container Insights the task count is the service\'s running count, now; without a load balancer no ELB series', async () => {
    const { access, calls } = fakeAccess({ service: { loadBalancers: [] } });
    const read = await readServiceMetrics(access, REQUEST);
    assert.ok(!calls.some((c) => c.op === 'describeTargetGroups'), 'no ELB call without target groups');
    assert.deepEqual(read.series.map((s) => s.metricName), ['CPUUtilization', 'MemoryUtilization', 'RunningTaskCount']);
    assert.deepEqual(read.series[2].points, [{ timestamp: new Date(NOW).toISOString(), value: 2 }]);
  });

  it('a target group behind no load balancer has no CloudWatch series (they need both dimensions)', async () => {
    const { access, calls } = fakeAccess({ targetGroups: [{ TargetGroupArn: TG_ARN, LoadBalancerArns: [] }] });
    await readServiceMetrics(access, REQUEST);
    const specs = calls.find((c) => c.op === 'getMetricData')!.args[0] as MetricQuerySpec[];
    assert.ok(!specs.some((s) => s.namespace === 'AWS/ApplicationELB'));
  });

  it('returns the points oldest first as ISO times, whatever order CloudWatch answered in', async () => {
    const { access } = fakeAccess({
      answer: (specs) => new Map([[specs[0].id, { timestamps: [new Date('2026-12-02T11:59:00Z'), new Date('2026-12-02T11:58:00Z')], values: [30, 10] }]]),
    });
    const read = await readServiceMetrics(access, REQUEST);
    assert.deepEqual(read.series[0].points, [
      { timestamp: '2026-12-02T11:58:00.000Z', value: 10 },
      { timestamp: '2026-12-02T11:59:00.000Z', value: 30 },
    ]);
  });

  it('marks deployments in the window with their tags, and merges a known rollback of the same revision into one marker', async () => {
    const { access } = fakeAccess();
    const read = await readServiceMetrics(access, {
      ...REQUEST,
      known: [
        { at: new Date(NOW - 20 * 60_000 + 30_000).toISOString(), kind: 'rollback', taskDefinitionArn: TD2 },
        { at: new Date(NOW - 40 * 60_000).toISOString(), kind: 'deploy', taskDefinitionArn: TD1, image: 'x/web:v1.0.0', status: 'failed' },
        { at: new Date(NOW - 3 * 3_600_000).toISOString(), kind: 'deploy', taskDefinitionArn: TD1 },
      ],
    });
    assert.deepEqual(read.deployments, [
      { at: new Date(NOW - 40 * 60_000).toISOString(), taskDefinitionArn: TD1, kind: 'deploy', status: 'failed', tag: 'v1.0.0' },
      { at: new Date(NOW - 20 * 60_000).toISOString(), taskDefinitionArn: TD2, kind: 'rollback', status: 'COMPLETED', tag: 'v1.1.0' },
    ]);
  });
});

describe('metric windows, dimensions and summaries', () => {
  it('chooses a period per range and aligns the window to it', () => {
    assert.deepEqual([3_600_000, 3 * 3_600_000, 12 * 3_600_000, 86_400_000, 7 * 86_400_000].map(defaultPeriod), [60, 60, 300, 300, 3600]);
    assert.deepEqual(parseMetricWindow('12h'), { ok: true, rangeMs: 12 * 3_600_000, periodSeconds: 300 });
    assert.deepEqual(parseMetricWindow('1h', '300'), { ok: true, rangeMs: 3_600_000, periodSeconds: 300 });
    assert.equal(parseMetricWindow('1h', '90').ok, false);
    assert.equal(parseMetricWindow('30s').ok, false);
    const w = alignedWindow(Date.parse('2026-12-02T12:07:00Z'), 3_600_000, 300);
    assert.deepEqual([w.start.toISOString(), w.end.toISOString()], ['2026-12-02T11:10:00.000Z', '2026-12-02T12:10:00.000Z']);
  });

  it('names load balancers and target groups as CloudWatch does, and nothing for other ARNs', () => {
    assert.equal(loadBalancerDimension(LB_ARN), 'app/web/50dc6c495c0c9188');
    assert.equal(targetGroupDimension(TG_ARN), 'targetgroup/web-tg/73e2d6bc24d8a067');
    assert.equal(loadBalancerDimension(TG_ARN), undefined);
    assert.equal(targetGroupDimension('arn:aws:ecs:us-east-1:1:service/x'), undefined);
    assert.equal(serviceMetricQueries({ cluster: 'c', service: 's', containerInsights: false, targetGroups: [{ targetGroupArn: 'nonsense', loadBalancerArn: LB_ARN }] }).length, 2);
  });

  it('summarises and draws a sparkline between min and max', () => {
    const points = [1, 2, 3, 4].map((value, i) => ({ timestamp: String(i), value }));
    assert.deepEqual(summarise(points), { min: 1, avg: 2.5, max: 4, last: 4 });
    assert.equal(summarise([]), undefined);
    assert.equal(sparkline([1, 2, 3, 4]), '▁▃▆█');
    assert.equal(sparkline([5, 5, 5]), '▁▁▁');
    assert.equal(sparkline(Array.from({ length: 100 }, (_, i) => i), 10).length, 10);
    assert.deepEqual([formatMetricValue(20, 'Percent'), formatMetricValue(34.56, 'Percent'), formatMetricValue(0.085, 'Seconds'), formatMetricValue(1234.4, 'Count')], ['20%', '34.6%', '85 ms', '1234']);
  });
});

describe('target health: the load balancer\'s view of the service', () => {
  const access = (states: Array<[string, string, string?]>): TargetHealthAccess =>
    ({
      clients: { elbv2: {} },
      edge: {
        elbv2: {
          describeTargetGroups: async () => [{ TargetGroupArn: TG_ARN, TargetGroupName: 'web-tg', LoadBalancerArns: [LB_ARN] }],
          describeTargetHealth: async () => states.map(([Id, State, Reason]) => ({ Target: { Id, Port: 8000 }, TargetHealth: { State, Reason, Description: Reason ? 'Health checks failed' : undefined } })),
        },
      },
    }) as unknown as TargetHealthAccess;
  const service = { loadBalancers: [{ targetGroupArn: TG_ARN }] } as Service;

  it('counts healthy, unhealthy and draining targets with ELB\'s reasons, and calls a failing target group a failure', async () => {
    const groups = await readTargetHealth(access([['10.0.0.1', 'healthy'], ['10.0.0.2', 'unhealthy', 'Target.FailedHealthChecks'], ['10.0.0.3', 'draining']]), service);
    assert.equal(groups[0].targetGroupName, 'web-tg');
    assert.equal(groups[0].loadBalancerArn, LB_ARN);
    assert.deepEqual(targetHealthFindings(groups), { reasons: ['Target group web-tg: 1 healthy · 1 unhealthy · 1 draining (Target.FailedHealthChecks).'], failing: true });
  });

  it('all healthy is no failure; a service without load balancers reads nothing', async () => {
    const groups = await readTargetHealth(access([['10.0.0.1', 'healthy']]), service);
    assert.equal(targetHealthFindings(groups).failing, false);
    assert.deepEqual(await readTargetHealth(access([]), { loadBalancers: [] } as Service), []);
  });
});
