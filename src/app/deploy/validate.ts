/** One verdict on a service as it runs now: counts, rollout state, task health, images, events. */
import type { Service } from '@aws-sdk/client-ecs';
import { assessService, type ServiceAssessment } from '../../core/deploy/serviceHealth';
import { logHintOf } from '../../core/deploy/taskDefinition';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import { targetHealthFindings, type TargetGroupHealth } from '../../core/ecs/targetHealth';
import { readTargetHealth } from '../metrics/targetHealth';
import type { DeployAccess } from './access';

export interface Validation {
  service: Service;
  assessment: ServiceAssessment;
  /** Where the containers log, for "Show Logs" without a log tail. */
  logHint?: string;
  /** The load balancer's view of the service's targets (none without `loadBalancers`, or an edge without ELB). */
  targetHealth: TargetGroupHealth[];
}

export async function validateService({ edge, clients }: DeployAccess, ref: ServiceRef, signal: AbortSignal | undefined): Promise<Validation> {
  const service = await edge.ecs.requireService(clients.ecs, ref.cluster, ref.service, { signal });
  const [described, tasks, targetHealth] = await Promise.all([
    edge.ecs.describeTaskDefinition(clients.ecs, service.taskDefinition!, { signal }),
    edge.ecs.listServiceTasks(clients.ecs, ref.cluster, service.serviceName ?? ref.service, { signal }),
    edge.elbv2 && clients.elbv2 ? readTargetHealth({ edge: { elbv2: edge.elbv2 }, clients: { elbv2: clients.elbv2 } }, service, signal) : Promise.resolve([]),
  ]);
  const assessment = assessService({ service, tasks, taskDefinition: described.taskDefinition });
  const targets = targetHealthFindings(targetHealth);
  // ECS may call the tasks healthy while the load balancer fails its checks: then the service is not healthy, and that comes first.
  if (targets.failing) assessment.reasons.unshift(...targets.reasons);
  else assessment.reasons.push(...targets.reasons);
  if (targets.failing && assessment.verdict === 'healthy') assessment.verdict = 'unhealthy';
  return { service, assessment, logHint: logHintOf(described), targetHealth };
}
