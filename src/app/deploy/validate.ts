/** One verdict on a service as it runs now: counts, rollout state, task health, images, events. */
import type { Service } from '@aws-sdk/client-ecs';
import { assessService, type ServiceAssessment } from '../../core/deploy/serviceHealth';
import { logHintOf } from '../../core/deploy/taskDefinition';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import type { DeployAccess } from './access';

export interface Validation {
  service: Service;
  assessment: ServiceAssessment;
  /** Where the containers log, for "Show Logs" without a log tail. */
  logHint?: string;
}

export async function validateService({ edge, clients }: DeployAccess, ref: ServiceRef, signal: AbortSignal | undefined): Promise<Validation> {
  const service = await edge.ecs.requireService(clients.ecs, ref.cluster, ref.service, { signal });
  const [described, tasks] = await Promise.all([
    edge.ecs.describeTaskDefinition(clients.ecs, service.taskDefinition!, { signal }),
    edge.ecs.listServiceTasks(clients.ecs, ref.cluster, service.serviceName ?? ref.service, { signal }),
  ]);
  return { service, assessment: assessService({ service, tasks, taskDefinition: described.taskDefinition }), logHint: logHintOf(described) };
}
