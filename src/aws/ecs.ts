/** ECS: clusters, services with their deployments and events, tasks, task definitions. Paginated and cancellable. */
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListClustersCommand,
  ListServicesCommand,
  ListTasksCommand,
  type Cluster,
  type Deployment,
  type ECSClient,
  type Service,
  type ServiceEvent,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { chunk, collectAll, mapLimit, paginate } from './paginate';
import type { CallOptions } from './ecr';

export type { Cluster, Deployment, Service, ServiceEvent, Task, TaskDefinition };

/** Describe calls in flight at once: enough to hide latency, few enough not to be throttled. */
const DESCRIBE_CONCURRENCY = 4;

export async function listClusters(ecs: ECSClient, options: CallOptions = {}): Promise<Cluster[]> {
  const arns = await collectAll(
    paginate(async (nextToken) => {
      const out = await ecs.send(new ListClustersCommand({ nextToken, maxResults: 100 }), { abortSignal: options.signal });
      return { items: out.clusterArns ?? [], nextToken: out.nextToken };
    }, options.signal),
  );
  // DescribeClusters takes at most 100 names per call.
  const batches = await mapLimit(chunk(arns, 100), DESCRIBE_CONCURRENCY, async (batch) => {
    const out = await ecs.send(new DescribeClustersCommand({ clusters: batch }), { abortSignal: options.signal });
    return out.clusters ?? [];
  });
  return batches.flat().sort((a, b) => (a.clusterName ?? '').localeCompare(b.clusterName ?? ''));
}

export async function listServices(ecs: ECSClient, cluster: string, options: CallOptions = {}): Promise<Service[]> {
  const arns = await collectAll(
    paginate(async (nextToken) => {
      const out = await ecs.send(new ListServicesCommand({ cluster, nextToken, maxResults: 100 }), { abortSignal: options.signal });
      return { items: out.serviceArns ?? [], nextToken: out.nextToken };
    }, options.signal),
  );
  // DescribeServices takes at most 10 services per call.
  const batches = await mapLimit(chunk(arns, 10), DESCRIBE_CONCURRENCY, async (batch) => {
    const out = await ecs.send(new DescribeServicesCommand({ cluster, services: batch }), { abortSignal: options.signal });
    return out.services ?? [];
  });
  return batches.flat().sort((a, b) => (a.serviceName ?? '').localeCompare(b.serviceName ?? ''));
}

/** One service, fresh (deployments, counts, events); undefined when it does not exist. */
export async function describeService(ecs: ECSClient, cluster: string, service: string, options: CallOptions = {}): Promise<Service | undefined> {
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }), { abortSignal: options.signal });
  return out.services?.[0];
}

export async function describeTaskDefinition(ecs: ECSClient, taskDefinition: string, options: CallOptions = {}): Promise<TaskDefinition> {
  const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }), { abortSignal: options.signal });
  if (!out.taskDefinition) throw new Error(`DescribeTaskDefinition returned nothing for ${taskDefinition}`);
  return out.taskDefinition;
}

async function listTaskArns(ecs: ECSClient, cluster: string, serviceName: string, desiredStatus: 'RUNNING' | 'STOPPED', options: CallOptions): Promise<string[]> {
  return collectAll(
    paginate(async (nextToken) => {
      const out = await ecs.send(new ListTasksCommand({ cluster, serviceName, desiredStatus, nextToken, maxResults: 100 }), { abortSignal: options.signal });
      return { items: out.taskArns ?? [], nextToken: out.nextToken };
    }, options.signal),
  );
}

/**
 * The service's tasks: those meant to run, then recently stopped ones (ECS keeps stopped tasks about
 * an hour), whose stoppedReason explains a failing rollout. Newest first within each group.
 */
export async function listServiceTasks(ecs: ECSClient, cluster: string, serviceName: string, options: CallOptions = {}): Promise<Task[]> {
  const [running, stopped] = await Promise.all([
    listTaskArns(ecs, cluster, serviceName, 'RUNNING', options),
    listTaskArns(ecs, cluster, serviceName, 'STOPPED', options),
  ]);
  const arns = [...new Set([...running, ...stopped])];
  // DescribeTasks takes at most 100 tasks per call.
  const batches = await mapLimit(chunk(arns, 100), DESCRIBE_CONCURRENCY, async (batch) => {
    const out = await ecs.send(new DescribeTasksCommand({ cluster, tasks: batch }), { abortSignal: options.signal });
    return out.tasks ?? [];
  });
  const started = (t: Task) => (t.startedAt ?? t.createdAt)?.getTime() ?? 0;
  const isStopped = (t: Task) => t.desiredStatus === 'STOPPED' || t.lastStatus === 'STOPPED';
  return batches.flat().sort((a, b) => Number(isStopped(a)) - Number(isStopped(b)) || started(b) - started(a));
}
