/**
 * Services: clusters, their services (running/desired, the primary container's image tag, the
 * rollout), and under a service its deployments, recent events, tasks and the deployment history
 * this workspace keeps. Image tags come from the task definitions, read after the services are
 * shown (a few at a time) and kept: a task definition revision never changes.
 */
import type * as vscode from 'vscode';
import type { Cluster, Service, TaskDefinition } from '../../aws/ecs';
import type { ServiceRevision } from '../../aws/serviceDeployments';
import { chunk, mapLimit } from '../../core/async/batches';
import { imageTagOf, primaryContainer, primaryDeployment } from '../../core/ecs/serviceSummary';
import type { AwsAccess } from '../../app/ports';
import type { AwsSession } from '../connection/awsSession';
import { ExplorerProvider } from './explorerProvider';
import type { DeploymentRecord } from '../../core/deploy/history';
import type { Log } from '../log';
import {
  keptNode,
  type ClusterNode,
  type DeploymentHistoryNode,
  type DeploymentNode,
  type DeploymentRecordNode,
  type ExplorerNode,
  type MessageNode,
  type ServiceDeploymentNode,
  type ServiceDeploymentsNode,
  type ServiceEventNode,
  type ServiceEventsNode,
  type ServiceNode,
  type ServiceTasksNode,
  type TaskNode,
  type TargetGroupNode,
  type TargetHealthNode,
  type TargetNode,
} from './nodes';
import { readTargetHealth } from '../../app/metrics/targetHealth';
import {
  clusterItem,
  deploymentHistoryItem,
  deploymentItem,
  deploymentRecordItem,
  serviceDeploymentItem,
  serviceDeploymentsItem,
  serviceEventItem,
  serviceEventsItem,
  serviceItem,
  serviceTasksItem,
  taskItem,
  targetGroupItem,
  targetHealthItem,
  targetItem,
} from './treeItems';

/** Events shown under a service: ECS keeps the last 100; the recent ones explain a rollout. */
const EVENTS_SHOWN = 25;
const TASK_DEFINITION_CONCURRENCY = 4;
/** Service deployments described under a service: the recent ones tell what happened to it. */
const SERVICE_DEPLOYMENTS_SHOWN = 10;

/** The deployments this workspace made, per service (the deploy feature keeps them in workspace state). */
export interface ServiceDeploymentHistory {
  forService(serviceArn: string): DeploymentRecord[];
  readonly onDidChange: vscode.Event<DeploymentRecord>;
}

export class ServicesView extends ExplorerProvider {
  /** By ARN: a revision is immutable, so once read it stays right. null: could not be read. */
  private readonly taskDefinitions = new Map<string, TaskDefinition | null>();
  private readonly serviceNodes = new Map<string, ServiceNode>();
  private readonly historyNodes = new Map<string, DeploymentHistoryNode>();
  private readonly historySubscription: vscode.Disposable;

  constructor(
    session: AwsSession,
    log: Log,
    private readonly history: ServiceDeploymentHistory,
  ) {
    super(session, log);
    // Records live in workspace state, not AWS: only the history rows are rebuilt, nothing is read again.
    this.historySubscription = history.onDidChange((record) => {
      const node = this.historyNodes.get(record.serviceArn);
      if (node) this.redrawChildren(node);
    });
  }

  protected async load(node: ExplorerNode | undefined, access: AwsAccess, signal: AbortSignal): Promise<ExplorerNode[]> {
    const { edge, clients } = access;
    if (!node) {
      const clusters = await edge.ecs.listClusters(clients.ecs, { signal });
      return clusters.map((cluster): ClusterNode => ({ kind: 'cluster', cluster }));
    }
    switch (node.kind) {
      case 'cluster': {
        const services = await edge.ecs.listServices(clients.ecs, clusterRef(node.cluster), { signal });
        const nodes = services.map((service) => this.serviceNode(node.cluster, service));
        void this.readTaskDefinitions(nodes, access);
        return nodes;
      }
      case 'service':
        return [...serviceChildren(node), this.historyNode(node)];
      case 'serviceDeployments':
        return this.loadServiceDeployments(node, access, signal);
      case 'deploymentHistory':
        return this.history.forService(node.service.serviceArn ?? '').map((record): DeploymentRecordNode => ({ kind: 'deploymentRecord', service: node.service, record }));
      case 'serviceEvents':
        return (node.service.events ?? []).slice(0, EVENTS_SHOWN).map((event): ServiceEventNode => ({ kind: 'serviceEvent', service: node.service, event }));
      case 'targetHealth': {
        const groups = await readTargetHealth(access, node.service, signal);
        return groups.map((group): TargetGroupNode => ({ kind: 'targetGroup', service: node.service, group }));
      }
      case 'targetGroup':
        return node.group.targets.map((target): TargetNode => ({ kind: 'target', group: node.group, target }));
      case 'serviceTasks': {
        const tasks = await edge.ecs.listServiceTasks(clients.ecs, clusterRef(node.cluster), node.service.serviceName ?? '', { signal });
        return tasks.map((task): TaskNode => ({ kind: 'task', cluster: node.cluster, service: node.service, task }));
      }
      default:
        return [];
    }
  }

  /**
   * ECS's own record of the service's deployments, newest first, with the revisions they moved between.
   * An endpoint without the API gets a row that says so, not an empty list.
   */
  private async loadServiceDeployments(node: ServiceDeploymentsNode, { edge, clients }: AwsAccess, signal: AbortSignal): Promise<ExplorerNode[]> {
    const { cluster, service } = node;
    const listed = await edge.serviceDeployments.listServiceDeployments(clients.ecs, clusterRef(cluster), service.serviceArn ?? service.serviceName ?? '', { signal });
    if (!listed.supported) return [{ kind: 'message', label: 'This endpoint has no ServiceDeployments API', detail: 'ListServiceDeployments is not answered here; the deployments above come from DescribeServices.' }];
    const arns = listed.value.slice(0, SERVICE_DEPLOYMENTS_SHOWN).map((d) => d.serviceDeploymentArn).filter((arn): arn is string => Boolean(arn));
    const described = await mapLimit(arns, TASK_DEFINITION_CONCURRENCY, (arn) => edge.serviceDeployments.describeServiceDeployment(clients.ecs, arn, { signal }));
    const deployments = described.flatMap((d) => (d.supported && d.value ? [d.value] : []));
    const revisionArns = [...new Set(deployments.flatMap((d) => [...(d.sourceServiceRevisions ?? []), d.targetServiceRevision].map((r) => r?.arn)).filter((arn): arn is string => Boolean(arn)))];
    const revisions = new Map<string, ServiceRevision>();
    for (const batch of chunk(revisionArns, 20)) {
      const read = await edge.serviceDeployments.describeServiceRevisions(clients.ecs, batch, { signal });
      if (read.supported) for (const revision of read.value) if (revision.serviceRevisionArn) revisions.set(revision.serviceRevisionArn, revision);
    }
    return deployments.map((deployment): ServiceDeploymentNode => ({ kind: 'serviceDeployment', cluster, service, deployment, revisions }));
  }

  /** The same node object per service ARN, so a refresh by ARN redraws what VS Code shows. */
  private serviceNode(cluster: Cluster, service: Service): ServiceNode {
    return keptNode(this.serviceNodes, service.serviceArn ?? '', { kind: 'service', cluster, service });
  }

  /** The same "Deployment history" node per service ARN, so a new record redraws the row VS Code shows. */
  private historyNode({ cluster, service }: ServiceNode): DeploymentHistoryNode {
    return keptNode(this.historyNodes, service.serviceArn ?? '', { kind: 'deploymentHistory', cluster, service });
  }

  private taskDefinitionArn(service: Service): string | undefined {
    return primaryDeployment(service)?.taskDefinition ?? service.taskDefinition;
  }

  private async readTaskDefinitions(nodes: ServiceNode[], { edge, clients }: AwsAccess): Promise<void> {
    const signal = this.viewSignal;
    const missing = [...new Set(nodes.map((n) => this.taskDefinitionArn(n.service)).filter((arn): arn is string => !!arn && !this.taskDefinitions.has(arn)))];
    await mapLimit(missing, TASK_DEFINITION_CONCURRENCY, async (arn) => {
      try {
        this.taskDefinitions.set(arn, (await edge.ecs.describeTaskDefinition(clients.ecs, arn, { signal })).taskDefinition);
      } catch (error) {
        if (signal.aborted) return;
        this.taskDefinitions.set(arn, null);
        this.log.warn(`Could not read task definition ${arn}: ${this.session.describe(error).message}`);
      }
      // The rows were just delivered (and may be expanding): redraw them once the view is quiet.
      for (const node of nodes) if (this.taskDefinitionArn(node.service) === arn) this.redrawWhenSettled(node);
    });
  }

  /** The execution and task roles of the services listed so far (from task definitions already read: no call). */
  knownRoles(): Array<{ arn: string; usedBy: string[] }> {
    const roles = new Map<string, Set<string>>();
    for (const definition of this.taskDefinitions.values()) {
      if (!definition) continue;
      const family = definition.family ?? '?';
      for (const arn of [definition.executionRoleArn, definition.taskRoleArn]) if (arn) roles.set(arn, (roles.get(arn) ?? new Set()).add(family));
    }
    return [...roles].map(([arn, families]) => ({ arn, usedBy: [...families].sort() })).sort((a, b) => a.arn.localeCompare(b.arn));
  }

  /** The tag the primary container runs, once its task definition is read. */
  imageTag(service: Service): string | undefined {
    const arn = this.taskDefinitionArn(service);
    const definition = arn ? this.taskDefinitions.get(arn) : undefined;
    return definition ? imageTagOf(primaryContainer(definition, service)?.image) : undefined;
  }

  protected treeItem(node: Exclude<ExplorerNode, MessageNode>): vscode.TreeItem {
    switch (node.kind) {
      case 'cluster':
        return clusterItem(node);
      case 'service':
        return serviceItem(node, this.imageTag(node.service));
      case 'deployment':
        return deploymentItem(node);
      case 'serviceEvents':
        return serviceEventsItem(node, Math.min(EVENTS_SHOWN, node.service.events?.length ?? 0));
      case 'serviceEvent':
        return serviceEventItem(node);
      case 'serviceTasks':
        return serviceTasksItem(node);
      case 'task':
        return taskItem(node);
      case 'deploymentHistory':
        return deploymentHistoryItem(node, this.history.forService(node.service.serviceArn ?? ''));
      case 'deploymentRecord':
        return deploymentRecordItem(node);
      case 'serviceDeployments':
        return serviceDeploymentsItem(node);
      case 'serviceDeployment':
        return serviceDeploymentItem(node, new Date());
      case 'targetHealth':
        return targetHealthItem(node);
      case 'targetGroup':
        return targetGroupItem(node);
      case 'target':
        return targetItem(node);
      default:
        throw new Error(`The Services view has no ${node.kind} rows`);
    }
  }

  protected emptyMessage(node: ExplorerNode | undefined): string {
    if (!node) return `No clusters in ${this.session.connection.region}`;
    if (node.kind === 'serviceEvents') return 'No events';
    if (node.kind === 'serviceTasks') return 'No tasks';
    if (node.kind === 'deploymentHistory') return 'No deployments of this service from this workspace yet';
    if (node.kind === 'serviceDeployments') return 'ECS lists no deployments of this service';
    if (node.kind === 'targetHealth') return 'No target groups';
    if (node.kind === 'targetGroup') return 'No targets registered';
    return 'No services';
  }

  protected override emptyActions(node: ExplorerNode | undefined): MessageNode[] {
    return node ? [] : [{ kind: 'message', label: 'Choose Region...', action: { command: 'ecrDeploy.selectRegion', icon: 'globe' } }];
  }

  protected failureLabel(node: ExplorerNode | undefined): string {
    if (!node) return 'Could not list clusters';
    if (node.kind === 'serviceTasks') return 'Could not list tasks';
    if (node.kind === 'serviceDeployments') return 'Could not list service deployments';
    if (node.kind === 'targetHealth') return 'Could not read target health';
    return 'Could not list services';
  }

  protected override forget(node: ExplorerNode | undefined): void {
    if (!node) {
      this.taskDefinitions.clear();
      this.serviceNodes.clear();
      this.historyNodes.clear();
    }
  }

  override dispose(): void {
    this.historySubscription.dispose();
    super.dispose();
  }

  protected override async reread(node: ExplorerNode, { edge, clients }: AwsAccess, signal: AbortSignal): Promise<void> {
    if (node.kind !== 'service') return;
    const fresh = await edge.ecs.describeService(clients.ecs, clusterRef(node.cluster), node.service.serviceArn ?? node.service.serviceName ?? '', { signal });
    if (!fresh) return;
    node.service = fresh;
    const arn = this.taskDefinitionArn(fresh);
    if (arn && !this.taskDefinitions.has(arn)) void this.readTaskDefinitions([node], { edge, clients });
  }

  /** The service row VS Code shows for an ARN or a name (features that deployed know only those). */
  serviceNodeFor(serviceArnOrName: string): ServiceNode | undefined {
    return this.serviceNodes.get(serviceArnOrName) ?? [...this.serviceNodes.values()].find((n) => n.service.serviceName === serviceArnOrName);
  }

  /** Reads one service again (after a deploy or a rollback); lists the clusters again when it is not shown yet. */
  async refreshService(serviceArnOrName: string): Promise<void> {
    const node = this.serviceNodeFor(serviceArnOrName);
    await this.refresh(node);
  }
}

function clusterRef(cluster: Cluster): string {
  return cluster.clusterArn ?? cluster.clusterName ?? '';
}

function serviceChildren(node: ServiceNode): ExplorerNode[] {
  const { cluster, service } = node;
  const deployments = (service.deployments ?? []).map((deployment): DeploymentNode => ({ kind: 'deployment', cluster, service, deployment }));
  return [
    ...deployments,
    { kind: 'serviceEvents', cluster, service } satisfies ServiceEventsNode,
    { kind: 'serviceTasks', cluster, service } satisfies ServiceTasksNode,
    ...(service.loadBalancers?.some((lb) => lb.targetGroupArn) ? [{ kind: 'targetHealth', cluster, service } satisfies TargetHealthNode] : []),
    { kind: 'serviceDeployments', cluster, service } satisfies ServiceDeploymentsNode,
  ];
}
