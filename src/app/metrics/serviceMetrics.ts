/**
 * The metrics of one service over a window: its CloudWatch series (ECS utilisation, Container Insights'
 * task count where on, its load balancers' traffic and health) in one GetMetricData call, and the
 * deployments in that window as markers with their image tags. Every dimension value comes from the
 * service itself: cluster and service names, `loadBalancers` -> target group -> load balancer.
 */
import type { Service } from '@aws-sdk/client-ecs';
import type { AwsClients } from '../../aws/clients';
import { serviceMetricQueries, type ServiceTargetGroup } from '../../core/metrics/catalog';
import { seriesOf, type MetricSeries } from '../../core/metrics/series';
import { alignedWindow, type MetricWindow } from '../../core/metrics/window';
import { imageTagOf, primaryContainer } from '../../core/ecs/serviceSummary';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import type { AwsEdge, Work } from '../ports';

export interface MetricsEdge {
  ecs: Pick<AwsEdge['ecs'], 'requireService' | 'describeCluster' | 'describeTaskDefinition'>;
  elbv2: Pick<AwsEdge['elbv2'], 'describeTargetGroups'>;
  metrics: Pick<AwsEdge['metrics'], 'getMetricData' | 'answersExtendedStatistics'>;
  /** ECS's record of past deployments; absent in fakes that stand for endpoints without it. */
  serviceDeployments?: Pick<AwsEdge['serviceDeployments'], 'listServiceDeployments' | 'describeServiceRevisions'>;
}

export interface MetricsAccess {
  edge: MetricsEdge;
  clients: Pick<AwsClients, 'ecs' | 'cloudwatch' | 'elbv2'>;
}

/** A deploy or rollback in the window, drawn as a marker with its tag. */
export interface DeploymentMarker {
  /** ISO 8601. */
  at: string;
  tag?: string;
  taskDefinitionArn: string;
  kind: 'deploy' | 'rollback';
  /** How it ended, when known (ECS's status, or this workspace's record). */
  status?: string;
}

/** A deploy the shell knows of (the extension's workspace history): merged with ECS's own record. */
export interface KnownDeployment {
  at: string;
  kind: 'deploy' | 'rollback';
  taskDefinitionArn: string;
  image?: string;
  status?: string;
}

export interface MetricsRequest {
  ref: ServiceRef;
  rangeMs: number;
  periodSeconds: number;
  /** Also the Maximum of CPU and memory. */
  maximum?: boolean;
  /** Epoch ms; default Date.now(). */
  now?: number;
  known?: readonly KnownDeployment[];
}

export interface ServiceMetrics {
  window: MetricWindow;
  series: MetricSeries[];
  deployments: DeploymentMarker[];
  targetGroups: ServiceTargetGroup[];
  containerInsights: boolean;
  /** Statistics the endpoint could not answer (p90 where extended statistics are not served). */
  unanswered: string[];
}

/** Markers closer than this with the same revision are one deployment seen twice (ECS's record and ours). */
const SAME_DEPLOYMENT_MS = 120_000;
/** Task definitions read for marker tags, at most: a week of deploys of a busy service stays readable. */
const MARKER_TAGS_READ = 20;

export async function readServiceMetrics(access: MetricsAccess, request: MetricsRequest, work: Work = {}): Promise<ServiceMetrics> {
  const { edge, clients } = access;
  const { signal } = work;
  const now = request.now ?? Date.now();
  const window = alignedWindow(now, request.rangeMs, request.periodSeconds);
  work.progress?.(`Reading ${request.ref.service}`);
  const [service, cluster] = await Promise.all([
    edge.ecs.requireService(clients.ecs, request.ref.cluster, request.ref.service, { signal }),
    edge.ecs.describeCluster(clients.ecs, request.ref.cluster, { signal }),
  ]);
  const clusterName = cluster?.clusterName ?? request.ref.cluster.split('/').pop() ?? request.ref.cluster;
  const serviceName = service.serviceName ?? request.ref.service;
  const containerInsights = (cluster?.settings ?? []).some((s) => s.name === 'containerInsights' && (s.value === 'enabled' || s.value === 'enhanced'));
  const targetGroups = await serviceTargetGroups(access, service, signal);

  const specs = serviceMetricQueries({
    cluster: clusterName,
    service: serviceName,
    containerInsights,
    targetGroups,
    maximum: request.maximum,
    percentiles: edge.metrics.answersExtendedStatistics(clients.cloudwatch),
  });
  work.progress?.(`Reading ${specs.length} metrics`);
  const [answer, deployments] = await Promise.all([
    edge.metrics.getMetricData(clients.cloudwatch, specs, window, { signal }),
    deploymentMarkers(access, request, service, window, signal),
  ]);
  const series = specs.filter((s) => !answer.unanswered.includes(s.id)).map((spec) => {
    const result = answer.results.get(spec.id);
    return seriesOf(spec, result?.timestamps ?? [], result?.values ?? []);
  });
  if (!containerInsights) {
    // Without Container Insights CloudWatch has no task count: the service's own count, as of now.
    series.push({
      namespace: 'AWS/ECS',
      metricName: 'RunningTaskCount',
      stat: 'Current',
      dimensions: { ClusterName: clusterName, ServiceName: serviceName },
      unit: 'Count',
      points: [{ timestamp: new Date(now).toISOString(), value: service.runningCount ?? 0 }],
      source: 'DescribeServices',
    });
  }
  const unanswered = specs.filter((s) => answer.unanswered.includes(s.id)).map((s) => `${s.metricName} ${s.stat}`);
  return { window, series, deployments, targetGroups, containerInsights, unanswered };
}

/** The service's target groups and the load balancer of each (the first, as CloudWatch's dimension needs one). */
export async function serviceTargetGroups({ edge, clients }: { edge: Pick<MetricsEdge, 'elbv2'>; clients: Pick<AwsClients, 'elbv2'> }, service: Service, signal?: AbortSignal): Promise<ServiceTargetGroup[]> {
  const arns = [...new Set((service.loadBalancers ?? []).map((lb) => lb.targetGroupArn).filter((arn): arn is string => Boolean(arn)))];
  if (!arns.length) return [];
  const described = await edge.elbv2.describeTargetGroups(clients.elbv2, arns, { signal });
  return arns.map((targetGroupArn) => {
    const group = described.find((g) => g.TargetGroupArn === targetGroupArn);
    return { targetGroupArn, targetGroupName: group?.TargetGroupName, loadBalancerArn: group?.LoadBalancerArns?.[0] };
  });
}

async function deploymentMarkers(access: MetricsAccess, request: MetricsRequest, service: Service, window: MetricWindow, signal?: AbortSignal): Promise<DeploymentMarker[]> {
  const { edge, clients } = access;
  const inWindow = (at: Date | string | undefined) => {
    const t = at ? new Date(at).getTime() : NaN;
    return t >= window.start.getTime() && t <= window.end.getTime();
  };
  const markers: Array<Omit<DeploymentMarker, 'tag'> & { image?: string }> = [];
  const recorded = edge.serviceDeployments
    ? await edge.serviceDeployments.listServiceDeployments(clients.ecs, request.ref.cluster, service.serviceArn ?? service.serviceName ?? request.ref.service, { signal, createdAfter: window.start })
    : ({ supported: false } as const);
  if (recorded.supported && edge.serviceDeployments) {
    const briefs = recorded.value.filter((d) => inWindow(d.startedAt ?? d.createdAt) && d.targetServiceRevisionArn);
    const revisions = await edge.serviceDeployments.describeServiceRevisions(clients.ecs, briefs.slice(0, 20).map((d) => d.targetServiceRevisionArn!), { signal });
    const byArn = new Map((revisions.supported ? revisions.value : []).map((r) => [r.serviceRevisionArn, r]));
    for (const brief of briefs) {
      const taskDefinitionArn = byArn.get(brief.targetServiceRevisionArn)?.taskDefinition;
      if (!taskDefinitionArn) continue;
      const at = (brief.startedAt ?? brief.createdAt)!.toISOString();
      markers.push({ at, taskDefinitionArn, kind: 'deploy', status: brief.status });
      // A rollback ECS made is a second marker: the service went back when the deployment finished.
      if (brief.status?.startsWith('ROLLBACK_') && brief.finishedAt && inWindow(brief.finishedAt)) {
        const rolledBackTo = service.taskDefinition && service.taskDefinition !== taskDefinitionArn ? service.taskDefinition : undefined;
        if (rolledBackTo) markers.push({ at: brief.finishedAt.toISOString(), taskDefinitionArn: rolledBackTo, kind: 'rollback', status: brief.status });
      }
    }
  } else {
    for (const d of service.deployments ?? []) {
      if (d.taskDefinition && inWindow(d.createdAt)) markers.push({ at: d.createdAt!.toISOString(), taskDefinitionArn: d.taskDefinition, kind: 'deploy', status: d.rolloutState ?? d.status });
    }
  }
  for (const known of request.known ?? []) {
    if (!inWindow(known.at)) continue;
    const duplicate = markers.some((m) => m.taskDefinitionArn === known.taskDefinitionArn && Math.abs(new Date(m.at).getTime() - new Date(known.at).getTime()) < SAME_DEPLOYMENT_MS);
    if (duplicate) {
      // Ours says whether it was a rollback: ECS records one as a deployment like any other.
      for (const m of markers) if (m.taskDefinitionArn === known.taskDefinitionArn && Math.abs(new Date(m.at).getTime() - new Date(known.at).getTime()) < SAME_DEPLOYMENT_MS) m.kind = known.kind;
      continue;
    }
    markers.push({ at: new Date(known.at).toISOString(), taskDefinitionArn: known.taskDefinitionArn, kind: known.kind, status: known.status, image: known.image });
  }
  markers.sort((a, b) => a.at.localeCompare(b.at));
  const tags = await markerTags(access, markers, signal);
  return markers.map(({ image, ...m }) => ({ ...m, tag: imageTagOf(image) ?? tags.get(m.taskDefinitionArn) }));
}

/** The primary container's tag of each marker's revision (a revision never changes: read once each). */
async function markerTags({ edge, clients }: MetricsAccess, markers: ReadonlyArray<{ taskDefinitionArn: string; image?: string }>, signal?: AbortSignal): Promise<Map<string, string | undefined>> {
  const arns = [...new Set(markers.filter((m) => !m.image).map((m) => m.taskDefinitionArn))].slice(-MARKER_TAGS_READ);
  const tags = new Map<string, string | undefined>();
  await Promise.all(
    arns.map(async (arn) => {
      try {
        const { taskDefinition } = await edge.ecs.describeTaskDefinition(clients.ecs, arn, { signal });
        tags.set(arn, imageTagOf(primaryContainer(taskDefinition)?.image));
      } catch (error) {
        // A deregistered revision still marks the deploy; only its tag is unknown.
        if (signal?.aborted) throw error;
      }
    }),
  );
  return tags;
}
