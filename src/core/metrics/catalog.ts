/**
 * Which CloudWatch series describe a service, with the dimension values found from the service alone:
 * ECS utilisation by cluster and service, Container Insights' task count where the cluster has it on,
 * and for each target group behind the service its load balancer's request, error, latency and host
 * counts, named as CloudWatch names them (`app/<name>/<id>`, `targetgroup/<name>/<id>`).
 */

export interface MetricQuerySpec {
  /** GetMetricData's query id: a lowercase letter first, then letters, digits, underscores. */
  id: string;
  namespace: string;
  metricName: string;
  stat: string;
  dimensions: Record<string, string>;
  unit: string;
}

/** A target group of the service and the load balancer in front of it (if any). */
export interface ServiceTargetGroup {
  targetGroupArn: string;
  targetGroupName?: string;
  loadBalancerArn?: string;
}

export interface MetricCatalogInput {
  cluster: string;
  service: string;
  containerInsights: boolean;
  targetGroups: readonly ServiceTargetGroup[];
  /** Also the Maximum of CPU and memory (the peaks an Average hides). */
  maximum?: boolean;
  /** Also p90 of the response time: only where the endpoint answers extended statistics. */
  percentiles?: boolean;
}

const ARN_RESOURCE = /^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:(.+)$/;

/** `arn:...:loadbalancer/app/web/50dc6c495c0c9188` -> `app/web/50dc6c495c0c9188`, CloudWatch's LoadBalancer value. */
export function loadBalancerDimension(loadBalancerArn: string): string | undefined {
  const resource = ARN_RESOURCE.exec(loadBalancerArn)?.[1];
  return resource?.startsWith('loadbalancer/') ? resource.slice('loadbalancer/'.length) : undefined;
}

/** `arn:...:targetgroup/web/73e2d6bc24d8a067` -> `targetgroup/web/73e2d6bc24d8a067`, CloudWatch's TargetGroup value. */
export function targetGroupDimension(targetGroupArn: string): string | undefined {
  const resource = ARN_RESOURCE.exec(targetGroupArn)?.[1];
  return resource?.startsWith('targetgroup/') ? resource : undefined;
}

/** An extended statistic (p90, tm99, ...) that some endpoints cannot answer. */
export function isExtendedStatistic(stat: string): boolean {
  return !['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'].includes(stat);
}

export function serviceMetricQueries(input: MetricCatalogInput): MetricQuerySpec[] {
  const specs: Omit<MetricQuerySpec, 'id'>[] = [];
  const ecs = { ClusterName: input.cluster, ServiceName: input.service };
  specs.push({ namespace: 'AWS/ECS', metricName: 'CPUUtilization', stat: 'Average', dimensions: ecs, unit: 'Percent' });
  if (input.maximum) specs.push({ namespace: 'AWS/ECS', metricName: 'CPUUtilization', stat: 'Maximum', dimensions: ecs, unit: 'Percent' });
  specs.push({ namespace: 'AWS/ECS', metricName: 'MemoryUtilization', stat: 'Average', dimensions: ecs, unit: 'Percent' });
  if (input.maximum) specs.push({ namespace: 'AWS/ECS', metricName: 'MemoryUtilization', stat: 'Maximum', dimensions: ecs, unit: 'Percent' });
  if (input.containerInsights) specs.push({ namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount', stat: 'Average', dimensions: ecs, unit: 'Count' });
  for (const group of input.targetGroups) {
    const targetGroup = targetGroupDimension(group.targetGroupArn);
    const loadBalancer = group.loadBalancerArn ? loadBalancerDimension(group.loadBalancerArn) : undefined;
    // CloudWatch publishes target-group metrics only with both dimensions: without a load balancer there are none.
    if (!targetGroup || !loadBalancer) continue;
    const dimensions = { LoadBalancer: loadBalancer, TargetGroup: targetGroup };
    const elb = (metricName: string, stat: string, unit: string) => specs.push({ namespace: 'AWS/ApplicationELB', metricName, stat, dimensions, unit });
    elb('RequestCount', 'Sum', 'Count');
    elb('HTTPCode_Target_2XX_Count', 'Sum', 'Count');
    elb('HTTPCode_Target_5XX_Count', 'Sum', 'Count');
    elb('TargetResponseTime', 'Average', 'Seconds');
    if (input.percentiles) elb('TargetResponseTime', 'p90', 'Seconds');
    elb('HealthyHostCount', 'Average', 'Count');
    elb('UnHealthyHostCount', 'Average', 'Count');
  }
  return specs.map((spec, i) => ({ id: `m${i}`, ...spec }));
}
