/**
 * "Validate Deployment": one clear verdict on a service as it is now. Its PRIMARY deployment must run
 * the service's revision, have finished rolling out, run the desired count, and every task with a
 * container health check must report HEALTHY.
 */
import type { Service, Task } from '@aws-sdk/client-ecs';
import type { RolloutEvent } from './rollout';
import { shortTaskDefinition } from './taskDefinition';
import { taskHealth, tasksOfDeployment } from './taskHealth';

export type ServiceVerdict = 'healthy' | 'in-progress' | 'unhealthy' | 'unverified';

export interface ServiceAssessment {
  verdict: ServiceVerdict;
  /** One sentence per finding, the decisive one first. */
  reasons: string[];
  taskDefinitionArn: string | undefined;
  /** container name -> image, of the revision the service names. */
  images: Record<string, string>;
  rolloutState: string | undefined;
  runningCount: number;
  desiredCount: number;
  pendingCount: number;
  deployments: number;
  unhealthyTasks: string[];
  events: RolloutEvent[];
}

export interface AssessmentInput {
  service: Service;
  tasks: readonly Task[];
  /** The revision the service names, for its images and health checks. */
  taskDefinition: { containerDefinitions?: Array<{ name?: string; image?: string; healthCheck?: { command?: string[] } }> } | undefined;
}

export function assessService({ service, tasks, taskDefinition }: AssessmentInput): ServiceAssessment {
  const deployments = service.deployments ?? [];
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  const checked = (taskDefinition?.containerDefinitions ?? []).filter((c) => (c.healthCheck?.command ?? []).length > 0).map((c) => c.name ?? '');
  const health = primary?.id ? taskHealth(tasksOfDeployment(tasks, primary.id), checked) : taskHealth([], checked);
  const running = primary?.runningCount ?? service.runningCount ?? 0;
  const desired = primary?.desiredCount ?? service.desiredCount ?? 0;
  const assessment: ServiceAssessment = {
    verdict: 'healthy',
    reasons: [],
    taskDefinitionArn: service.taskDefinition,
    images: Object.fromEntries((taskDefinition?.containerDefinitions ?? []).map((c) => [c.name ?? '?', c.image ?? '?'])),
    rolloutState: primary?.rolloutState,
    runningCount: running,
    desiredCount: desired,
    pendingCount: primary?.pendingCount ?? service.pendingCount ?? 0,
    deployments: deployments.length,
    unhealthyTasks: [...health.unhealthy, ...health.waiting],
    events: (service.events ?? [])
      .slice()
      .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))
      .slice(0, 5)
      .map((e) => ({ createdAt: e.createdAt?.toISOString() ?? '', message: e.message ?? '' })),
  };
  // The worst finding decides: unhealthy over in-progress over unverified over healthy.
  const rank: Record<ServiceVerdict, number> = { healthy: 0, unverified: 1, 'in-progress': 2, unhealthy: 3 };
  const findings: Array<{ verdict: ServiceVerdict; reason: string }> = [];
  const finding = (verdict: ServiceVerdict, reason: string) => {
    findings.push({ verdict, reason });
    if (rank[verdict] > rank[assessment.verdict]) assessment.verdict = verdict;
  };
  const revision = (arn: string | undefined) => (arn ? shortTaskDefinition(arn) : 'no revision');

  if (service.status !== 'ACTIVE') finding('unhealthy', `The service is ${service.status ?? 'in an unknown state'}.`);
  if (!primary) {
    finding('unverified', 'The service lists no PRIMARY deployment, so no rollout can be checked.');
  } else if (primary.taskDefinition !== service.taskDefinition) {
    finding(
      'unverified',
      `The service names ${revision(service.taskDefinition)} but its PRIMARY deployment (${primary.id}) runs ${revision(primary.taskDefinition)}: ECS never rolled the new revision out (local emulators such as moto do not).`,
    );
  }
  if (primary?.rolloutState === 'FAILED') finding('unhealthy', `The rollout of ${primary.id} FAILED: ${primary.rolloutStateReason ?? 'no reason given'}.`);
  else if (primary?.rolloutState === 'IN_PROGRESS' || deployments.length > 1) {
    finding('in-progress', `A rollout is in progress (${primary?.rolloutState ?? 'no rollout state'}, ${deployments.length} deployments).`);
  }
  if (running < desired) finding('unhealthy', `Only ${running} of ${desired} tasks are running${assessment.pendingCount ? ` (${assessment.pendingCount} pending)` : ''}.`);
  if (health.unhealthy.length) finding('unhealthy', `Health checks failing: ${health.unhealthy.join('; ')}.`);
  if (health.waiting.length) finding('in-progress', `Health checks not passed yet: ${health.waiting.join('; ')}.`);
  if (checked.length && running > 0 && health.running === 0) {
    finding('unverified', `ECS reports ${running} running, but lists no task of deployment ${primary?.id ?? '?'}: the health checks of ${checked.join(', ')} cannot be confirmed.`);
  }
  assessment.reasons = findings.sort((a, b) => rank[b.verdict] - rank[a.verdict]).map((f) => f.reason);
  if (assessment.verdict === 'healthy') {
    assessment.reasons.unshift(
      `${running}/${desired} tasks run ${revision(service.taskDefinition)}${primary?.rolloutState ? `, rollout ${primary.rolloutState}` : ''}${checked.length ? `, health checks of ${checked.join(', ')} HEALTHY` : ', no container health check defined'}.`,
    );
  }
  return assessment;
}
