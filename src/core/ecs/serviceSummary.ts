/**
 * What a row of the Services view says about a service, a deployment or a task: the image tag that
 * runs, `running/desired`, the rollout state. Shapes follow ECS's DescribeServices/DescribeTasks.
 */
import { shortTaskDefinition } from '../deploy/taskDefinition';
import { parseImageReference } from '../ecr/imageReference';

export interface ContainerLike {
  name?: string;
  image?: string;
  essential?: boolean;
}

export interface TaskDefinitionLike {
  family?: string;
  revision?: number;
  containerDefinitions?: ContainerLike[];
}

export interface DeploymentLike {
  status?: string;
  rolloutState?: string;
  taskDefinition?: string;
  desiredCount?: number;
  runningCount?: number;
  pendingCount?: number;
  failedTasks?: number;
}

export interface ServiceLike {
  loadBalancers?: Array<{ containerName?: string }>;
  deployments?: DeploymentLike[];
  desiredCount?: number;
  runningCount?: number;
  status?: string;
}

/**
 * The container a person means by "the service's image": the one behind the load balancer, else the
 * first essential container, else the first. Sidecars (log routers, agents) come after it.
 */
export function primaryContainer(taskDefinition: TaskDefinitionLike, service?: ServiceLike): ContainerLike | undefined {
  const containers = taskDefinition.containerDefinitions ?? [];
  const balanced = service?.loadBalancers?.find((lb) => lb.containerName)?.containerName;
  return containers.find((c) => c.name === balanced) ?? containers.find((c) => c.essential !== false) ?? containers[0];
}

/** `repo:tag` -> `tag`, `repo@sha256:…` -> `@sha256:0123456789ab`, `repo` -> `latest` (what Docker assumes). */
export function imageTagOf(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const ref = parseImageReference(image);
  if (ref.digest) return `@${ref.digest.slice(0, 19)}`;
  return ref.tag ?? 'latest';
}

/** `arn:…:task-definition/family:3` -> `family:3`. */
export function taskDefinitionLabel(arn: string | undefined): string {
  return arn ? shortTaskDefinition(arn) : '?';
}

export function primaryDeployment(service: ServiceLike): DeploymentLike | undefined {
  return service.deployments?.find((d) => d.status === 'PRIMARY');
}

/** `2/2 running`, with pending and failed counts only when there are some. */
export function countsText(counts: { runningCount?: number; desiredCount?: number; pendingCount?: number; failedTasks?: number }): string {
  const parts = [`${counts.runningCount ?? 0}/${counts.desiredCount ?? 0} running`];
  if (counts.pendingCount) parts.push(`${counts.pendingCount} pending`);
  if (counts.failedTasks) parts.push(`${counts.failedTasks} failed`);
  return parts.join(' · ');
}

/** The row of a service: counts, then the rollout when one is under way or failed, then a status other than ACTIVE. */
export function serviceDescription(service: ServiceLike, imageTag: string | undefined): string {
  const primary = primaryDeployment(service);
  const parts = [`${service.runningCount ?? 0}/${service.desiredCount ?? 0}`];
  if (imageTag) parts.push(imageTag);
  const rollout = primary?.rolloutState;
  if (rollout && rollout !== 'COMPLETED') parts.push(rollout.toLowerCase().replace(/_/g, ' '));
  if ((service.deployments?.length ?? 0) > 1) parts.push(`${service.deployments!.length} deployments`);
  if (service.status && service.status !== 'ACTIVE') parts.push(service.status.toLowerCase());
  return parts.join(' · ');
}

export type Health = 'healthy' | 'unhealthy' | 'unknown' | 'failed' | 'progress';

/** A rough health for an icon: failed rollouts and unhealthy tasks first, steady states last. */
export function deploymentHealth(deployment: DeploymentLike): Health {
  if (deployment.rolloutState === 'FAILED') return 'failed';
  if (deployment.rolloutState === 'IN_PROGRESS') return 'progress';
  if ((deployment.runningCount ?? 0) < (deployment.desiredCount ?? 0)) return 'unhealthy';
  return 'healthy';
}

export function serviceHealth(service: ServiceLike): Health {
  const primary = primaryDeployment(service);
  if (primary) {
    const health = deploymentHealth(primary);
    if (health !== 'healthy') return health;
  }
  if ((service.runningCount ?? 0) < (service.desiredCount ?? 0)) return 'unhealthy';
  return 'healthy';
}
