/**
 * Services behind a load balancer with CloudWatch series, in the local AWS: a load balancer and target group
 * made in moto's ELBv2 (`POST /_local/elbv2/load-balancer`), series written with PutMetricData, and the demo's
 * believable traffic (a few hours of one-minute points, then a point a minute while it runs, with errors, slow
 * responses and an unhealthy host while a rollout's tasks fail, as after the broken tag's deploy).
 */
import { PutMetricDataCommand, type CloudWatchClient, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { RegisterTargetsCommand, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeServicesCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { REFERENCE } from './referenceWorld';
import { ROLLOUT } from './rolloutWorld';
import { seededRandom } from './seededRandom';

export interface ServiceLoadBalancer {
  loadBalancerArn: string;
  targetGroupArn: string;
  /** CloudWatch's dimension values, as AWS forms them from the ARNs. */
  dimensions: { LoadBalancer: string; TargetGroup: string };
}

export async function createServiceLoadBalancer(endpoint: string, name: string): Promise<ServiceLoadBalancer> {
  const res = await fetch(`${endpoint}/_local/elbv2/load-balancer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST /_local/elbv2/load-balancer: HTTP ${res.status} ${text}`);
  const { loadBalancerArn, targetGroupArn } = JSON.parse(text) as { loadBalancerArn: string; targetGroupArn: string };
  return {
    loadBalancerArn,
    targetGroupArn,
    dimensions: { LoadBalancer: loadBalancerArn.split(':loadbalancer/')[1], TargetGroup: targetGroupArn.split(':').pop()! },
  };
}

export interface SeriesToWrite {
  namespace: string;
  metricName: string;
  unit: 'Percent' | 'Count' | 'Seconds';
  dimensions: Record<string, string>;
  points: Array<{ at: number; value: number }>;
}

/**
 * Datums per PutMetricData: the SDK gzips a request body over 10 KB, which moto cannot read (BadGzipFile, HTTP 500);
 * 20 datums (with load-balancer dimensions) stay under that (AWS itself takes 1,000).
 */
const DATUMS_PER_CALL = 20;

/** PutMetricData in batches small enough to go uncompressed. */
export async function putSeries(cloudwatch: CloudWatchClient, all: readonly SeriesToWrite[]): Promise<void> {
  const byNamespace = new Map<string, MetricDatum[]>();
  for (const s of all) {
    const data = byNamespace.get(s.namespace) ?? [];
    for (const p of s.points) {
      data.push({ MetricName: s.metricName, Unit: s.unit, Timestamp: new Date(p.at), Value: p.value, Dimensions: Object.entries(s.dimensions).map(([Name, Value]) => ({ Name, Value })) });
    }
    byNamespace.set(s.namespace, data);
  }
  for (const [Namespace, data] of byNamespace) {
    for (let i = 0; i < data.length; i += DATUMS_PER_CALL) await cloudwatch.send(new PutMetricDataCommand({ Namespace, MetricData: data.slice(i, i + DATUMS_PER_CALL) }));
  }
}

export interface DemoService {
  cluster: string;
  service: string;
  loadBalancer: ServiceLoadBalancer;
  /** Requests a minute, around which the traffic moves. */
  requestsPerMinute: number;
  seed: number;
  /** The last minute the seeded history covers: the live writer starts after it (a second point would double a Sum). */
  seededThrough?: number;
}

/** How a service looks in one minute: steady, or failing (a rollout's tasks crash and the healthy host count drops). */
export function demoMinute(service: DemoService, at: number, failing: boolean, random: () => number) {
  const hour = (at / 3_600_000) % 24;
  const wave = Math.sin((hour / 24) * 2 * Math.PI);
  const requests = Math.round(service.requestsPerMinute * (1 + 0.25 * wave) * (0.9 + 0.2 * random()));
  const errorRate = failing ? 0.18 + 0.1 * random() : 0.002 * random();
  const errors = Math.round(requests * errorRate);
  return {
    cpu: Math.round((failing ? 68 + 12 * random() : 22 + 8 * wave + 6 * random()) * 10) / 10,
    memory: Math.round((failing ? 71 + 5 * random() : 41 + 3 * random()) * 10) / 10,
    requests,
    ok: requests - errors,
    errors,
    responseTime: Math.round((failing ? 0.42 + 0.2 * random() : 0.085 + 0.03 * random()) * 1000) / 1000,
    healthy: failing ? 1 : 2,
    unhealthy: failing ? 1 : 0,
  };
}

/** The series of `demoMinute` for each given minute start, as PutMetricData writes them. */
export function demoSeries(service: DemoService, minutes: ReadonlyArray<{ at: number; failing: boolean }>): SeriesToWrite[] {
  const random = seededRandom(service.seed + Math.floor((minutes[0]?.at ?? 0) / 60_000));
  const rows = minutes.map(({ at, failing }) => ({ at, ...demoMinute(service, at, failing, random) }));
  const ecs = { ClusterName: service.cluster, ServiceName: service.service };
  const elb = service.loadBalancer.dimensions;
  const series = (namespace: string, metricName: string, unit: SeriesToWrite['unit'], dimensions: Record<string, string>, pick: (r: (typeof rows)[number]) => number): SeriesToWrite => ({
    namespace,
    metricName,
    unit,
    dimensions,
    // Inside the minute, not on its edge: CloudWatch (and moto) bucket from the start of each period.
    points: rows.map((r) => ({ at: r.at + 20_000, value: pick(r) })),
  });
  return [
    series('AWS/ECS', 'CPUUtilization', 'Percent', ecs, (r) => r.cpu),
    series('AWS/ECS', 'MemoryUtilization', 'Percent', ecs, (r) => r.memory),
    series('AWS/ApplicationELB', 'RequestCount', 'Count', elb, (r) => r.requests),
    series('AWS/ApplicationELB', 'HTTPCode_Target_2XX_Count', 'Count', elb, (r) => r.ok),
    series('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', 'Count', elb, (r) => r.errors),
    series('AWS/ApplicationELB', 'TargetResponseTime', 'Seconds', elb, (r) => r.responseTime),
    series('AWS/ApplicationELB', 'HealthyHostCount', 'Count', elb, (r) => r.healthy),
    series('AWS/ApplicationELB', 'UnHealthyHostCount', 'Count', elb, (r) => r.unhealthy),
  ];
}

/** Hours of history the demo seeds: three, the panel's default range (moto reads every datum for every bucket). */
export const DEMO_HISTORY_MINUTES = 180;

export interface MetricsClients {
  ecs: ECSClient;
  cloudwatch: CloudWatchClient;
  elbv2: ElasticLoadBalancingV2Client;
}

/**
 * Puts `service` behind a new load balancer (UpdateService with `loadBalancers` starts no deployment), registers
 * two targets, and writes the last DEMO_HISTORY_MINUTES of steady traffic.
 */
export async function seedServiceMetrics(clients: MetricsClients, endpoint: string, target: { cluster: string; service: string; container: string; loadBalancerName: string; seed: number; requestsPerMinute?: number; minutes?: number }, now = Date.now()): Promise<DemoService> {
  let loadBalancer: ServiceLoadBalancer;
  const described = await clients.ecs.send(new DescribeServicesCommand({ cluster: target.cluster, services: [target.service] }));
  const existing = described.services?.[0]?.loadBalancers?.[0]?.targetGroupArn;
  if (existing) {
    // Already behind one (the blue/green service): its production target group is the one CloudWatch reports.
    const { DescribeTargetGroupsCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
    const group = (await clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [existing] }))).TargetGroups?.[0];
    const loadBalancerArn = group?.LoadBalancerArns?.[0] ?? '';
    loadBalancer = { loadBalancerArn, targetGroupArn: existing, dimensions: { LoadBalancer: loadBalancerArn.split(':loadbalancer/')[1], TargetGroup: existing.split(':').pop()! } };
  } else {
    loadBalancer = await createServiceLoadBalancer(endpoint, target.loadBalancerName);
    await clients.ecs.send(new UpdateServiceCommand({ cluster: target.cluster, service: target.service, loadBalancers: [{ targetGroupArn: loadBalancer.targetGroupArn, containerName: target.container, containerPort: 8000 }] }));
  }
  const lastMinute = Math.floor(now / 60_000) * 60_000;
  await clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: loadBalancer.targetGroupArn, Targets: [{ Id: '10.0.1.11', Port: 8000 }, { Id: '10.0.2.12', Port: 8000 }] }));
  const demo: DemoService = { cluster: target.cluster, service: target.service, loadBalancer, requestsPerMinute: target.requestsPerMinute ?? 1200, seed: target.seed, seededThrough: lastMinute };
  const count = target.minutes ?? DEMO_HISTORY_MINUTES;
  const minutes = Array.from({ length: count }, (_, i) => ({ at: lastMinute - (count - 1 - i) * 60_000, failing: false }));
  await putSeries(clients.cloudwatch, demoSeries(demo, minutes));
  return demo;
}

/** How long errors stay up after a failing rollout was seen: long enough to see on a chart. */
const INCIDENT_MS = 5 * 60_000;

/**
 * Writes the current minute's point for each service once a minute, checking the service every `intervalMs`, failing while any of
 * its deployments has failed tasks and for a few minutes after. Returns a stop function.
 */
export function startLiveMetrics(clients: MetricsClients, services: readonly DemoService[], { intervalMs = 10_000, log = (m: string) => console.error(m) } = {}): () => void {
  const failingUntil = new Map<string, number>();
  const written = new Set<string>();
  let stopped = false;
  const tick = async () => {
    for (const s of services) {
      const now = Date.now();
      const minute = Math.floor(now / 60_000) * 60_000;
      // Checked every tick (a rollout's failures may last less than a minute), written once a minute.
      const found = (await clients.ecs.send(new DescribeServicesCommand({ cluster: s.cluster, services: [s.service] }))).services?.[0];
      if ((found?.deployments ?? []).some((d) => (d.failedTasks ?? 0) > 0 || d.rolloutState === 'FAILED')) failingUntil.set(s.service, now + INCIDENT_MS);
      if (written.has(`${s.service}@${minute}`) || minute <= (s.seededThrough ?? -Infinity)) continue;
      await putSeries(clients.cloudwatch, demoSeries(s, [{ at: minute, failing: (failingUntil.get(s.service) ?? 0) > now }]));
      written.add(`${s.service}@${minute}`);
    }
  };
  const run = () => {
    if (!stopped) tick().catch((e: unknown) => log(`live metrics: ${e instanceof Error ? e.message : String(e)}`));
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref?.();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}

/**
 * The demo's services behind load balancers with their traffic: the production service gets a load balancer of
 * its own and three hours of history, the blue/green service (already behind one) an hour.
 */
export async function seedMetricsWorld(clients: MetricsClients, endpoint: string, now = Date.now()): Promise<DemoService[]> {
  const production = await seedServiceMetrics(clients, endpoint, { cluster: REFERENCE.cluster, service: REFERENCE.service, container: REFERENCE.container, loadBalancerName: 'mcp-production', seed: 13 }, now);
  const blueGreen = await seedServiceMetrics(clients, endpoint, { cluster: REFERENCE.cluster, service: ROLLOUT.blueGreenService, container: REFERENCE.container, loadBalancerName: 'mcp-bluegreen', seed: 29, requestsPerMinute: 300, minutes: 60 }, now);
  return [production, blueGreen];
}

/**
 * The state DescribeTargetHealth gives one target from now on (`POST /_local/elbv2/target-health`): moto runs no
 * health checks and answers every registered target healthy, so the local AWS sets a failing one in its answer.
 */
export async function setTargetHealth(endpoint: string, target: { targetGroupArn: string; id: string; state: string; reason?: string; description?: string }): Promise<void> {
  const res = await fetch(`${endpoint}/_local/elbv2/target-health`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(target) });
  if (!res.ok) throw new Error(`POST /_local/elbv2/target-health: HTTP ${res.status} ${await res.text()}`);
}
