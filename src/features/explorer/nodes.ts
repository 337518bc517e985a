/**
 * Tree nodes of the two views. Other features build on these shapes and on their contextValues
 * (which always start with the node kind: `repository…`, `image.tagged`, `service`, `cluster`):
 * they receive the node as their command argument.
 */
import type { TargetGroupHealth, TargetState } from '../../core/ecs/targetHealth';
import type { ImageDetail, Repository } from '../../aws/ecr';
import type { Cluster, Deployment, Service, ServiceEvent, Task } from '../../aws/ecs';
import type { DescribedError } from '../../core/errors/awsErrors';
import type { DeploymentRecord } from '../../core/deploy/history';
import type { ServiceDeployment, ServiceRevision } from '../../aws/serviceDeployments';

/** The root of Repositories: the account's registry in the current region. */
export interface RegistryNode {
  kind: 'registry';
  registryId: string | undefined;
  region: string;
}
export interface RepositoryNode {
  kind: 'repository';
  repository: Repository;
}
export interface LifecyclePolicyNode {
  kind: 'lifecyclePolicy';
  repository: Repository;
}
export interface ImageNode {
  kind: 'image';
  repository: Repository;
  image: ImageDetail;
}
/** The last row of a paged list: reads (or reveals) the next page. */
export interface LoadMoreNode {
  kind: 'loadMore';
  parent: RegistryNode | RepositoryNode;
  shown: number;
}

export interface ClusterNode {
  kind: 'cluster';
  cluster: Cluster;
}
export interface ServiceNode {
  kind: 'service';
  cluster: Cluster;
  service: Service;
}
export interface DeploymentNode {
  kind: 'deployment';
  cluster: Cluster;
  service: Service;
  deployment: Deployment;
}
export interface ServiceEventsNode {
  kind: 'serviceEvents';
  cluster: Cluster;
  service: Service;
}
export interface ServiceEventNode {
  kind: 'serviceEvent';
  service: Service;
  event: ServiceEvent;
}
export interface ServiceTasksNode {
  kind: 'serviceTasks';
  cluster: Cluster;
  service: Service;
}
/** "Target health" under a service behind a load balancer: its target groups. */
export interface TargetHealthNode {
  kind: 'targetHealth';
  cluster: Cluster;
  service: Service;
}
/** One target group with its counts; its children are the targets with ELB's reasons. */
export interface TargetGroupNode {
  kind: 'targetGroup';
  service: Service;
  group: TargetGroupHealth;
}
export interface TargetNode {
  kind: 'target';
  group: TargetGroupHealth;
  target: TargetState;
}
/** "Deployment history" under a service: what this workspace deployed there (kept in workspace state). */
export interface DeploymentHistoryNode {
  kind: 'deploymentHistory';
  cluster: Cluster;
  service: Service;
}
/** "Service deployments" under a service: ECS's own record of its deployments (the ServiceDeployments API). */
export interface ServiceDeploymentsNode {
  kind: 'serviceDeployments';
  cluster: Cluster;
  service: Service;
}
export interface ServiceDeploymentNode {
  kind: 'serviceDeployment';
  cluster: Cluster;
  service: Service;
  deployment: ServiceDeployment;
  /** The revisions it moves from and to, by service revision ARN, as far as they were read. */
  revisions: ReadonlyMap<string, ServiceRevision>;
}
export interface DeploymentRecordNode {
  kind: 'deploymentRecord';
  service: Service;
  record: DeploymentRecord;
}
export interface TaskNode {
  kind: 'task';
  cluster: Cluster;
  service: Service;
  task: Task;
}

/** Stands in for children that could not be listed, or for "nothing here": a tree never lies by being empty. */
export interface MessageNode {
  kind: 'message';
  label: string;
  detail?: string;
  error?: DescribedError;
  /** A next step offered where the list is empty ("Create Repository...", "Choose Region..."). */
  action?: { command: string; icon: string };
}

export type RepositoriesNode = RegistryNode | RepositoryNode | LifecyclePolicyNode | ImageNode | LoadMoreNode;
export type ServicesNode =
  | ClusterNode
  | ServiceNode
  | DeploymentNode
  | ServiceEventsNode
  | ServiceEventNode
  | ServiceTasksNode
  | TaskNode
  | DeploymentHistoryNode
  | DeploymentRecordNode
  | ServiceDeploymentsNode
  | ServiceDeploymentNode
  | TargetHealthNode
  | TargetGroupNode
  | TargetNode;
export type ExplorerNode = RepositoriesNode | ServicesNode | MessageNode;

/**
 * The node kept under `key`, updated with `fresh`'s data; or `fresh`, kept from now on. VS Code knows a row by the
 * object it was given, so a redraw asked for by name or ARN has to reach that same object.
 */
export function keptNode<T extends ExplorerNode>(nodes: Map<string, T>, key: string, fresh: T): T {
  const known = nodes.get(key);
  if (!known) {
    nodes.set(key, fresh);
    return fresh;
  }
  return Object.assign(known, fresh);
}
