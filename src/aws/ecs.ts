/**
 * ECS reads: clusters, services with their deployments and events, tasks, task definitions. One
 * function per operation, paginated with the SDK's paginators (they pass the abort signal and stop on
 * a repeated token), cancellable.
 */
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  paginateListClusters,
  paginateListServices,
  paginateListTasks,
  type Cluster,
  type Deployment,
  type DesiredStatus,
  type ECSClient,
  type Service,
  type ServiceEvent,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { DeployError } from '../core/deploy/deployError';
import type { DescribedTaskDefinition } from '../core/deploy/taskDefinition';
import { chunk, mapLimit } from '../core/async/batches';
import type { CallOptions } from './ecr';

export type { Cluster, Deployment, Service, ServiceEvent, Task, TaskDefinition };

/** Describe calls in flight at once: enough to hide latency, few enough not to be throttled. */
const DESCRIBE_CONCURRENCY = 4;

/** Every item of every page: `items` picks them out of one page. */
async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

export async function listClusters(ecs: ECSClient, options: CallOptions = {}): Promise<Cluster[]> {
  const arns = await collect(paginateListClusters({ client: ecs, pageSize: 100, stopOnSameToken: true }, {}, { abortSignal: options.signal }), (p) => p.clusterArns);
  // DescribeClusters takes at most 100 names per call.
  const batches = await mapLimit(chunk(arns, 100), DESCRIBE_CONCURRENCY, async (batch) => {
    const out = await ecs.send(new DescribeClustersCommand({ clusters: batch }), { abortSignal: options.signal });
    return out.clusters ?? [];
  });
  return batches.flat().sort((a, b) => (a.clusterName ?? '').localeCompare(b.clusterName ?? ''));
}

export async function listServices(ecs: ECSClient, cluster: string, options: CallOptions = {}): Promise<Service[]> {
  const arns = await collect(paginateListServices({ client: ecs, pageSize: 100, stopOnSameToken: true }, { cluster }, { abortSignal: options.signal }), (p) => p.serviceArns);
  // DescribeServices takes at most 10 services per call.
  const batches = await mapLimit(chunk(arns, 10), DESCRIBE_CONCURRENCY, async (batch) => {
    const out = await ecs.send(new DescribeServicesCommand({ cluster, services: batch }), { abortSignal: options.signal });
    return out.services ?? [];
  });
  return batches.flat().sort((a, b) => (a.serviceName ?? '').localeCompare(b.serviceName ?? ''));
}

/** One cluster with its settings (Container Insights); undefined when it does not exist. */
export async function describeCluster(ecs: ECSClient, cluster: string, options: CallOptions = {}): Promise<Cluster | undefined> {
  const out = await ecs.send(new DescribeClustersCommand({ clusters: [cluster], include: ['SETTINGS'] }), { abortSignal: options.signal });
  return out.clusters?.find((c) => c.status !== 'INACTIVE');
}

/** One service, fresh (deployments, counts, events); undefined when it does not exist. */
export async function describeService(ecs: ECSClient, cluster: string, service: string, options: CallOptions = {}): Promise<Service | undefined> {
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }), { abortSignal: options.signal });
  return out.services?.[0];
}

/** Like describeService, but a missing service is an error that says which. */
export async function requireService(ecs: ECSClient, cluster: string, service: string, options: CallOptions = {}): Promise<Service> {
  const found = await describeService(ecs, cluster, service, options);
  if (!found || found.status === 'INACTIVE') throw new DeployError(`Service "${service}" does not exist in cluster "${cluster}".`);
  if (!found.taskDefinition) throw new DeployError(`Service "${service}" has no task definition (it may use an external deployment controller).`);
  return found;
}

/** A task definition with its tags (a new revision copies them). */
export async function describeTaskDefinition(ecs: ECSClient, taskDefinition: string, options: CallOptions = {}): Promise<DescribedTaskDefinition> {
  const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] }), { abortSignal: options.signal });
  if (!out.taskDefinition) throw new DeployError(`Task definition ${taskDefinition} was not found.`);
  return { taskDefinition: out.taskDefinition, tags: out.tags };
}

export interface ServiceTasksOptions extends CallOptions {
  /**
   * Task ARNs read per status, at most. A rollout's tasks are few and stopped tasks only explain
   * failures, so the deploy's polls read one page; the explorer reads them all.
   */
  maxPerStatus?: number;
}

async function listTaskArns(ecs: ECSClient, cluster: string, serviceName: string, desiredStatus: DesiredStatus, options: ServiceTasksOptions): Promise<string[]> {
  const limit = options.maxPerStatus ?? Infinity;
  const arns: string[] = [];
  const pages = paginateListTasks({ client: ecs, pageSize: Math.min(100, limit), stopOnSameToken: true }, { cluster, serviceName, desiredStatus }, { abortSignal: options.signal });
  for await (const page of pages) {
    arns.push(...(page.taskArns ?? []));
    if (arns.length >= limit) return arns.slice(0, limit);
  }
  return arns;
}

/**
 * The service's tasks: those meant to run, then recently stopped ones (ECS keeps stopped tasks about
 * an hour), whose stoppedReason explains a failing rollout. Newest first within each group.
 */
export async function listServiceTasks(ecs: ECSClient, cluster: string, serviceName: string, options: ServiceTasksOptions = {}): Promise<Task[]> {
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
