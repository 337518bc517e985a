/**
 * How each node looks: label, description, icon, tooltip and the contextValue menus match on.
 * Words and numbers come from src/core (shared with the CLI); this file only adds VS Code's dress.
 */
import * as vscode from 'vscode';
import { describeDeploymentRecord, RESULT_WORDS, type DeploymentRecord, type DeploymentResult } from '../../core/deploy/history';
import { formatAge, formatBytes, formatTimestamp, plural } from '../../core/text/format';
import { figuresText, type RepositoryFigures } from '../../core/ecr/repositoryFigures';
import { readServiceDeployment, stageLabel, strategyLabel, type ServiceDeploymentOutcome } from '../../core/deploy/serviceDeployment';
import { imageDescription, imageDetailLines, imageLabel } from '../../core/ecr/imageRow';
import { ruleCountText } from '../../core/lifecycle/ruleCount';
import { worstSeverity } from '../../core/scan/summary';
import { countsText, deploymentHealth, serviceDescription, serviceHealth, taskDefinitionLabel, type Health } from '../../core/ecs/serviceSummary';
import { imageTagKind, TAG_KIND_LABELS, type TagKind } from '../../core/ecr/tagPolicy';
import { countTargets, targetCountsText, targetText } from '../../core/ecs/targetHealth';
import type {
  ClusterNode,
  DeploymentHistoryNode,
  DeploymentNode,
  DeploymentRecordNode,
  ImageNode,
  LifecyclePolicyNode,
  LoadMoreNode,
  MessageNode,
  RegistryNode,
  RepositoryNode,
  ServiceEventNode,
  ServiceDeploymentNode,
  ServiceDeploymentsNode,
  ServiceEventsNode,
  ServiceNode,
  ServiceTasksNode,
  TargetGroupNode,
  TargetHealthNode,
  TargetNode,
  TaskNode,
} from './nodes';

const { Collapsed, Expanded, None } = vscode.TreeItemCollapsibleState;

function markdown(lines: string[]): vscode.MarkdownString {
  // Two trailing spaces: a Markdown line break, so each fact keeps its own line.
  return new vscode.MarkdownString(lines.join('  \n'));
}

const escape = (text: string) => text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');

export function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, None);
  item.contextValue = node.error ? 'error' : 'message';
  item.description = node.detail;
  item.tooltip = node.error ? `${node.error.message}${node.error.code ? `\n\n(${node.error.code})` : ''}` : node.detail;
  item.iconPath = new vscode.ThemeIcon(node.error ? 'error' : 'info', node.error ? new vscode.ThemeColor('errorForeground') : undefined);
  if (node.error) item.command = { title: 'Show Error', command: 'ecrDeploy.showErrorDetails', arguments: [node.error] };
  if (node.action) {
    item.contextValue = 'action';
    item.iconPath = new vscode.ThemeIcon(node.action.icon);
    item.command = { title: node.label, command: node.action.command };
  }
  return item;
}

export function registryItem(node: RegistryNode, repositoryCount: string | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(node.registryId ? `Registry ${node.registryId}` : 'Registry', Expanded);
  item.id = `registry:${node.registryId ?? '?'}:${node.region}`;
  item.contextValue = 'registry';
  item.iconPath = new vscode.ThemeIcon('server');
  item.description = [node.region, repositoryCount].filter(Boolean).join(' · ');
  item.tooltip = markdown([`**Amazon ECR private registry**`, `Account: ${node.registryId ?? 'unknown'}`, `Region: ${node.region}`]);
  return item;
}

export interface RepositoryState {
  /** The policy text; null when the repository has none; undefined while unknown (not yet expanded). */
  lifecyclePolicyText: string | null | undefined;
  filter: string;
  /** Image count and size from the images read so far; undefined until the first page is in. */
  figures?: RepositoryFigures;
}

export function repositoryFacts(node: RepositoryNode, state: RepositoryState): string[] {
  const r = node.repository;
  const facts = [
    r.imageScanningConfiguration?.scanOnPush ? 'scan on push' : 'no scan on push',
    r.imageTagMutability?.startsWith('IMMUTABLE') ? 'immutable tags' : 'mutable tags',
    r.encryptionConfiguration?.encryptionType === 'KMS' || r.encryptionConfiguration?.encryptionType === 'KMS_DSSE' ? r.encryptionConfiguration.encryptionType : 'AES256',
  ];
  if (state.figures) facts.push(figuresText(state.figures, formatBytes));
  if (state.lifecyclePolicyText !== undefined) facts.push(state.lifecyclePolicyText === null ? 'no lifecycle policy' : `lifecycle: ${ruleCountText(state.lifecyclePolicyText)}`);
  return facts;
}

export function repositoryItem(node: RepositoryNode, state: RepositoryState): vscode.TreeItem {
  const r = node.repository;
  const item = new vscode.TreeItem(r.repositoryName ?? '?', Collapsed);
  item.id = `repository:${r.repositoryArn}`;
  const flags = [r.imageScanningConfiguration?.scanOnPush && 'scanOnPush', r.imageTagMutability?.startsWith('IMMUTABLE') && 'immutable', state.filter && 'filtered'];
  item.contextValue = ['repository', ...flags.filter(Boolean)].join('.');
  item.iconPath = new vscode.ThemeIcon(r.imageTagMutability?.startsWith('IMMUTABLE') ? 'lock' : 'package');
  const facts = repositoryFacts(node, state);
  item.description = [state.filter ? `filter "${state.filter}"` : undefined, ...facts].filter(Boolean).join(' · ');
  item.tooltip = markdown([
    `**${escape(r.repositoryName ?? '?')}**`,
    `URI: \`${r.repositoryUri}\``,
    `Created: ${formatTimestamp(r.createdAt)}`,
    `Scan on push: ${r.imageScanningConfiguration?.scanOnPush ? 'on' : 'off'}`,
    `Tags: ${r.imageTagMutability ?? 'MUTABLE'}`,
    `Encryption: ${r.encryptionConfiguration?.encryptionType ?? 'AES256'}${r.encryptionConfiguration?.kmsKey ? ` (${escape(r.encryptionConfiguration.kmsKey)})` : ''}`,
    `Lifecycle policy: ${state.lifecyclePolicyText === undefined ? 'expand to check' : state.lifecyclePolicyText === null ? 'none' : ruleCountText(state.lifecyclePolicyText)}`,
    `Images: ${figuresTooltip(state.figures)}`,
  ]);
  return item;
}

function figuresTooltip(figures: RepositoryFigures | undefined): string {
  if (!figures) return 'expand to count';
  const size = `${formatBytes(figures.sizeBytes)}${figures.complete ? '' : ' or more'} in all (layers shared between images are counted in each)`;
  if (figures.complete) return figures.images ? `${figures.images.toLocaleString('en-US')}, ${size}` : 'none';
  return `at least ${figures.images.toLocaleString('en-US')} (the first pages; Load more under the repository reads the rest), ${size}`;
}

export function lifecyclePolicyItem(node: LifecyclePolicyNode, policyText: string | null): vscode.TreeItem {
  const item = new vscode.TreeItem('Lifecycle policy', None);
  item.id = `lifecycle:${node.repository.repositoryArn}`;
  item.contextValue = policyText ? 'lifecyclePolicy' : 'lifecyclePolicy.none';
  item.iconPath = new vscode.ThemeIcon('history');
  item.description = policyText ? ruleCountText(policyText) : 'not set';
  const rules = policyText ? ruleDescriptions(policyText) : [];
  item.tooltip = markdown(policyText ? ['**Lifecycle policy**', ...rules.map((r) => `- ${escape(r)}`), '', 'Click to edit.'] : ['No lifecycle policy: images are never expired.', 'Click to create one (the reference rules are offered).']);
  item.command = { title: 'Edit Lifecycle Policy', command: 'ecrDeploy.editLifecyclePolicy', arguments: [node] };
  return item;
}

function ruleDescriptions(policyText: string): string[] {
  try {
    const rules = (JSON.parse(policyText) as { rules?: Array<{ rulePriority?: number; description?: string }> }).rules ?? [];
    return rules.map((r) => `${r.rulePriority ?? '?'}: ${r.description ?? '(no description)'}`);
  } catch {
    return [];
  }
}

const TAG_ICONS: Readonly<Record<TagKind, string>> = {
  latest: 'star-full',
  semver: 'tag',
  feature: 'beaker',
  dev: 'tools',
  pr: 'git-pull-request',
  commit: 'git-commit',
  other: 'bookmark',
};

export function imageIcon(node: ImageNode): vscode.ThemeIcon {
  const kind = imageTagKind(node.image.imageTags);
  const severity = worstSeverity(node.image.imageScanFindingsSummary);
  const color =
    severity === 'CRITICAL' || severity === 'HIGH'
      ? new vscode.ThemeColor('problemsErrorIcon.foreground')
      : severity === 'MEDIUM'
        ? new vscode.ThemeColor('problemsWarningIcon.foreground')
        : undefined;
  return new vscode.ThemeIcon(kind ? TAG_ICONS[kind] : 'circle-outline', color);
}

export function imageItem(node: ImageNode, now: Date, platforms?: readonly string[]): vscode.TreeItem {
  const image = node.image;
  const item = new vscode.TreeItem(imageLabel(image), None);
  item.id = `image:${node.repository.repositoryArn}@${image.imageDigest}`;
  item.contextValue = image.imageTags?.length ? 'image.tagged' : 'image.untagged';
  item.iconPath = imageIcon(node);
  item.description = imageDescription(image, now);
  const kind = imageTagKind(image.imageTags);
  item.tooltip = markdown([`**${escape(imageLabel(image))}**${kind ? ` (${TAG_KIND_LABELS[kind]})` : ''}`, ...imageDetailLines(image, platforms).map(escape)]);
  // Enter or a click opens the image's details page.
  item.command = { title: 'Show Image Details', command: 'ecrDeploy.showImageDetails', arguments: [node] };
  return item;
}

export function loadMoreItem(node: LoadMoreNode, what: string): vscode.TreeItem {
  const item = new vscode.TreeItem('Load more…', None);
  item.contextValue = 'loadMore';
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.description = `${node.shown.toLocaleString('en-US')} ${what} shown`;
  item.tooltip = `Shows the next page. The list is sorted over what has been read so far; ECR returns ${what} in no particular order.`;
  item.command = { title: 'Load More', command: 'ecrDeploy.loadMore', arguments: [node] };
  return item;
}

const HEALTH_ICONS: Readonly<Record<Health, [string, string | undefined]>> = {
  healthy: ['pass', 'testing.iconPassed'],
  progress: ['sync~spin', undefined],
  unhealthy: ['warning', 'problemsWarningIcon.foreground'],
  failed: ['error', 'problemsErrorIcon.foreground'],
  unknown: ['question', undefined],
};

function healthIcon(health: Health): vscode.ThemeIcon {
  const [icon, color] = HEALTH_ICONS[health];
  return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
}

export function clusterItem(node: ClusterNode): vscode.TreeItem {
  const c = node.cluster;
  const item = new vscode.TreeItem(c.clusterName ?? '?', Collapsed);
  item.id = `cluster:${c.clusterArn}`;
  item.contextValue = 'cluster';
  item.iconPath = new vscode.ThemeIcon('server-environment');
  const services = c.activeServicesCount ?? 0;
  item.description = [plural(services, 'service'), `${c.runningTasksCount ?? 0} running`, c.status && c.status !== 'ACTIVE' ? c.status.toLowerCase() : undefined]
    .filter(Boolean)
    .join(' · ');
  item.tooltip = markdown([`**${escape(c.clusterName ?? '?')}**`, `${escape(c.clusterArn ?? '')}`, `Status: ${c.status ?? 'unknown'}`, `Tasks: ${c.runningTasksCount ?? 0} running, ${c.pendingTasksCount ?? 0} pending`]);
  return item;
}

export function serviceItem(node: ServiceNode, imageTag: string | undefined): vscode.TreeItem {
  const s = node.service;
  const item = new vscode.TreeItem(s.serviceName ?? '?', Collapsed);
  item.id = `service:${s.serviceArn}`;
  item.contextValue = 'service';
  item.iconPath = healthIcon(serviceHealth(s));
  item.description = serviceDescription(s, imageTag);
  const primary = s.deployments?.find((d) => d.status === 'PRIMARY');
  item.tooltip = markdown([
    `**${escape(s.serviceName ?? '?')}**`,
    `Status: ${s.status ?? 'unknown'} · ${countsText(s)}`,
    `Task definition: ${escape(taskDefinitionLabel(s.taskDefinition))}`,
    imageTag ? `Image tag: ${escape(imageTag)}` : 'Image tag: reading the task definition…',
    `Rollout: ${primary?.rolloutState ?? 'unknown'}${primary?.rolloutStateReason ? ` (${escape(primary.rolloutStateReason)})` : ''}`,
    `Launch type: ${s.launchType ?? s.capacityProviderStrategy?.map((c) => c.capacityProvider).join(', ') ?? 'unknown'}`,
    `Circuit breaker: ${s.deploymentConfiguration?.deploymentCircuitBreaker?.enable ? `on${s.deploymentConfiguration.deploymentCircuitBreaker.rollback ? ', with rollback' : ''}` : 'off'}`,
  ]);
  return item;
}

export function deploymentItem(node: DeploymentNode): vscode.TreeItem {
  const d = node.deployment;
  const status = d.status ?? '?';
  const item = new vscode.TreeItem(`${status} · ${taskDefinitionLabel(d.taskDefinition)}`, None);
  item.id = `deployment:${node.service.serviceArn}:${d.id}`;
  item.contextValue = `deployment.${status.toLowerCase()}`;
  item.iconPath = healthIcon(deploymentHealth(d));
  item.description = [d.rolloutState?.toLowerCase().replace(/_/g, ' '), countsText(d), formatAge(d.createdAt)].filter(Boolean).join(' · ');
  item.tooltip = markdown([
    `**${status} deployment** ${escape(d.id ?? '')}`,
    `Task definition: ${escape(d.taskDefinition ?? '?')}`,
    `Rollout: ${d.rolloutState ?? 'unknown'}${d.rolloutStateReason ? ` (${escape(d.rolloutStateReason)})` : ''}`,
    `Tasks: ${countsText(d)}`,
    `Created: ${formatTimestamp(d.createdAt)} · updated ${formatTimestamp(d.updatedAt)}`,
  ]);
  return item;
}

export function serviceEventsItem(node: ServiceEventsNode, shown: number): vscode.TreeItem {
  const item = new vscode.TreeItem('Events', Collapsed);
  item.id = `events:${node.service.serviceArn}`;
  item.contextValue = 'serviceEvents';
  item.iconPath = new vscode.ThemeIcon('history');
  const newest = node.service.events?.[0]?.createdAt;
  item.description = shown ? `${shown} recent · last ${formatAge(newest)}` : 'none';
  return item;
}

const TROUBLE = /unable|fail|unhealthy|error|stopped|insufficient|cannot|denied|rolled back|rolling back/i;

export function serviceEventItem(node: ServiceEventNode): vscode.TreeItem {
  const message = node.event.message ?? '';
  // ECS prefixes every message with "(service NAME)": the row is already under that service.
  const text = message.replace(/^\(service [^)]*\)\s*/, '');
  const item = new vscode.TreeItem(text, None);
  item.id = `event:${node.service.serviceArn}:${node.event.id}`;
  item.contextValue = 'serviceEvent';
  item.iconPath = new vscode.ThemeIcon(TROUBLE.test(text) ? 'warning' : 'info', TROUBLE.test(text) ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
  item.description = formatAge(node.event.createdAt);
  item.tooltip = markdown([formatTimestamp(node.event.createdAt), escape(message)]);
  return item;
}

export function serviceTasksItem(node: ServiceTasksNode): vscode.TreeItem {
  const item = new vscode.TreeItem('Tasks', Collapsed);
  item.id = `tasks:${node.service.serviceArn}`;
  item.contextValue = 'serviceTasks';
  item.iconPath = new vscode.ThemeIcon('list-unordered');
  item.description = `${node.service.runningCount ?? 0} running · ${node.service.pendingCount ?? 0} pending`;
  return item;
}

export function targetHealthItem(node: TargetHealthNode): vscode.TreeItem {
  const item = new vscode.TreeItem('Target health', Collapsed);
  item.id = `targetHealth:${node.service.serviceArn}`;
  item.contextValue = 'targetHealth';
  item.iconPath = new vscode.ThemeIcon('pulse');
  item.description = plural(node.service.loadBalancers?.length ?? 0, 'target group');
  return item;
}

export function targetGroupItem(node: TargetGroupNode): vscode.TreeItem {
  const counts = countTargets(node.group.targets);
  const item = new vscode.TreeItem(node.group.targetGroupName, node.group.targets.length ? Collapsed : None);
  item.id = `targetGroup:${node.service.serviceArn}:${node.group.targetGroupArn}`;
  item.contextValue = 'targetGroup';
  item.iconPath = healthIcon(counts.unhealthy ? 'unhealthy' : counts.healthy ? 'healthy' : 'unknown');
  item.description = targetCountsText(counts);
  item.tooltip = markdown([`**Target group ${escape(node.group.targetGroupName)}**`, escape(node.group.targetGroupArn), node.group.loadBalancerArn ? `Load balancer: ${escape(node.group.loadBalancerArn)}` : 'Behind no load balancer']);
  return item;
}

export function targetItem(node: TargetNode): vscode.TreeItem {
  const t = node.target;
  const item = new vscode.TreeItem(`${t.id}${t.port ? `:${t.port}` : ''}`, None);
  item.id = `target:${node.group.targetGroupArn}:${t.id}:${t.port ?? ''}`;
  item.contextValue = 'target';
  item.iconPath = healthIcon(t.state === 'healthy' ? 'healthy' : t.state === 'unhealthy' ? 'unhealthy' : 'progress');
  item.description = [t.state, t.reason, t.description].filter(Boolean).join(' · ');
  item.tooltip = targetText(t);
  return item;
}

export function taskItem(node: TaskNode): vscode.TreeItem {
  const t = node.task;
  const id = t.taskArn?.split('/').pop() ?? '?';
  const stopped = t.lastStatus === 'STOPPED' || t.desiredStatus === 'STOPPED';
  const item = new vscode.TreeItem(id, None);
  item.id = `task:${t.taskArn}`;
  item.contextValue = stopped ? 'task.stopped' : 'task.running';
  const health = t.healthStatus && t.healthStatus !== 'UNKNOWN' ? t.healthStatus.toLowerCase() : undefined;
  item.iconPath = stopped
    ? new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('problemsWarningIcon.foreground'))
    : t.lastStatus === 'RUNNING'
      ? healthIcon(t.healthStatus === 'UNHEALTHY' ? 'unhealthy' : 'healthy')
      : new vscode.ThemeIcon('sync~spin');
  item.description = [
    t.lastStatus?.toLowerCase(),
    health,
    stopped ? (t.stoppedReason ?? undefined) : t.startedAt ? `started ${formatAge(t.startedAt)}` : undefined,
    taskDefinitionLabel(t.taskDefinitionArn),
  ]
    .filter(Boolean)
    .join(' · ');
  item.tooltip = markdown([
    `**Task ${escape(id)}**`,
    `Status: ${t.lastStatus ?? '?'} (desired ${t.desiredStatus ?? '?'})${health ? ` · ${health}` : ''}`,
    `Task definition: ${escape(taskDefinitionLabel(t.taskDefinitionArn))}`,
    `Started: ${formatTimestamp(t.startedAt)}`,
    ...(stopped ? [`Stopped: ${formatTimestamp(t.stoppedAt)}`, `Reason: ${escape(t.stoppedReason ?? 'unknown')}`] : []),
    ...(t.containers ?? []).map((c) => `Container ${escape(c.name ?? '?')}: ${c.lastStatus ?? '?'}${c.exitCode !== undefined ? ` (exit ${c.exitCode})` : ''}${c.reason ? ` ${escape(c.reason)}` : ''}`),
  ]);
  return item;
}

const RESULT_ICONS: Readonly<Record<DeploymentResult, [string, string | undefined]>> = {
  succeeded: ['pass', 'testing.iconPassed'],
  failed: ['error', 'problemsErrorIcon.foreground'],
  'timed-out': ['watch', 'problemsErrorIcon.foreground'],
  error: ['error', 'problemsErrorIcon.foreground'],
  unverified: ['question', 'problemsWarningIcon.foreground'],
  'in-progress': ['sync', undefined],
  'stopped-watching': ['eye-closed', undefined],
  'not-watched': ['eye-closed', undefined],
};

/** The codicon of a deployment result (quick picks use it as `$(name)`). */
export function deploymentResultIcon(result: DeploymentResult): string {
  return RESULT_ICONS[result][0];
}

export function deploymentHistoryItem(node: DeploymentHistoryNode, records: readonly DeploymentRecord[]): vscode.TreeItem {
  const item = new vscode.TreeItem('Deployment history', Collapsed);
  item.id = `history:${node.service.serviceArn}`;
  item.contextValue = 'deploymentHistory';
  item.iconPath = new vscode.ThemeIcon('versions');
  const newest = records[0];
  item.description = newest ? `${records.length} · last ${RESULT_WORDS[newest.result]} ${formatAge(new Date(newest.at))}` : 'none from this workspace';
  item.tooltip = 'Deployments and rollbacks of this service made from this workspace, newest first (kept in workspace state).';
  return item;
}

export function deploymentRecordItem(node: DeploymentRecordNode): vscode.TreeItem {
  const text = describeDeploymentRecord(node.record);
  const item = new vscode.TreeItem(text.title, None);
  item.id = `deploymentRecord:${node.service.serviceArn}:${node.record.id}`;
  item.contextValue = `deploymentRecord.${node.record.result}`;
  const [icon, color] = RESULT_ICONS[node.record.result];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  item.description = text.summary;
  item.tooltip = markdown(text.details.map(escape));
  return item;
}

export function serviceDeploymentsItem(node: ServiceDeploymentsNode): vscode.TreeItem {
  const item = new vscode.TreeItem('Service deployments', Collapsed);
  item.id = `serviceDeployments:${node.service.serviceArn}`;
  item.contextValue = 'serviceDeployments';
  item.iconPath = new vscode.ThemeIcon('git-compare');
  item.description = node.service.deploymentConfiguration?.strategy ? strategyLabel(node.service.deploymentConfiguration.strategy) : undefined;
  item.tooltip = "ECS's record of this service's deployments (ListServiceDeployments): strategy, status, lifecycle stage and the revisions each moved between.";
  return item;
}

const SERVICE_DEPLOYMENT_HEALTH: Readonly<Record<ServiceDeploymentOutcome, Health>> = { succeeded: 'healthy', failed: 'failed', 'in-progress': 'progress' };

/** `family:4 → family:5`, from the revisions read for the row (ARNs when they could not be read). */
function revisionsText(node: ServiceDeploymentNode): string {
  const label = (arn: string | undefined) => (arn ? taskDefinitionLabel(node.revisions.get(arn)?.taskDefinition ?? arn) : '?');
  const sources = (node.deployment.sourceServiceRevisions ?? []).map((r) => label(r.arn));
  return `${sources.length ? sources.join(', ') : 'none'} → ${label(node.deployment.targetServiceRevision?.arn)}`;
}

export function serviceDeploymentItem(node: ServiceDeploymentNode, now: Date): vscode.TreeItem {
  const d = node.deployment;
  const reading = readServiceDeployment(d, { now: now.getTime() });
  const item = new vscode.TreeItem(`${strategyLabel(reading.strategy)} · ${d.status ?? '?'}`, None);
  item.id = `serviceDeployment:${d.serviceDeploymentArn}`;
  // `serviceDeployment.awaiting` offers Continue and Roll Back; an active one offers Roll Back (stop with rollback).
  item.contextValue = reading.awaiting ? 'serviceDeployment.awaiting' : reading.outcome === 'in-progress' ? 'serviceDeployment.active' : 'serviceDeployment.done';
  item.iconPath = reading.awaiting ? new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('charts.yellow')) : healthIcon(SERVICE_DEPLOYMENT_HEALTH[reading.outcome]);
  const when = d.finishedAt ? `finished ${formatAge(d.finishedAt, now)}` : `started ${formatAge(d.startedAt ?? d.createdAt, now)}`;
  item.description = [revisionsText(node), reading.outcome === 'in-progress' ? stageLabel(d.lifecycleStage) : undefined, when].filter(Boolean).join(' · ');
  item.tooltip = markdown([
    `**${escape(strategyLabel(reading.strategy))} deployment, ${d.status ?? 'status unknown'}**`,
    escape(reading.reason),
    `Revisions: ${escape(revisionsText(node))}`,
    d.lifecycleStage ? `Lifecycle stage: ${d.lifecycleStage}` : '',
    `Started: ${formatTimestamp(d.startedAt ?? d.createdAt)}${d.finishedAt ? ` · finished ${formatTimestamp(d.finishedAt)}` : ''}`,
    escape(d.serviceDeploymentArn ?? ''),
  ].filter(Boolean));
  return item;
}
