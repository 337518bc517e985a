/**
 * The verdict of ECS's own record of a deployment: the ServiceDeployments API (`DescribeServiceDeployments`),
 * which every strategy fills (ROLLING, BLUE_GREEN, LINEAR, CANARY). Where the endpoint answers it, it is
 * the truth: its status says SUCCESSFUL only when ECS finished the rollout (bake time included), and a
 * rollback, automatic or asked for, ends in ROLLBACK_SUCCESSFUL, which is a failure of this deploy.
 * Pure: the follow loop feeds it what DescribeServiceDeployments answered.
 */
import type {
  DeploymentLifecycleHookAction,
  DeploymentLifecycleHookDetail,
  DeploymentStrategy,
  ServiceDeployment,
  ServiceDeploymentLifecycleStage,
  ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import { formatDuration } from '../text/format';

export type ServiceDeploymentOutcome = 'in-progress' | 'succeeded' | 'failed';

/** A PAUSE hook that waits for a person: CONTINUE or ROLLBACK (ContinueServiceDeployment). */
export interface AwaitingHook {
  hookId: string;
  /** The stage the deployment is held at, for example POST_TEST_TRAFFIC_SHIFT. */
  stage: ServiceDeploymentLifecycleStage | undefined;
  /** When ECS takes the timeout action by itself. */
  expiresAt: Date | undefined;
  /** What ECS does at `expiresAt` (its default is ROLLBACK). */
  timeoutAction: DeploymentLifecycleHookAction;
}

export interface ServiceDeploymentReading {
  outcome: ServiceDeploymentOutcome;
  status: ServiceDeploymentStatus | undefined;
  strategy: DeploymentStrategy;
  stage: ServiceDeploymentLifecycleStage | undefined;
  /** What ECS says, in one line, with the next step where one is needed. */
  reason: string;
  awaiting?: AwaitingHook;
  /** Lambda hooks ECS is running now. */
  hooksRunning: string[];
  /** The share of production traffic the new revision asked for (linear and canary steps), 0-100. */
  productionTrafficPercent?: number;
  /** Time left of the bake, when the deployment is baking and the start of the bake is known. */
  bakeLeftMs?: number;
  /** The rollback ECS started (circuit breaker, alarm, a hook that failed, a person). */
  rollback?: { reason: string | undefined; serviceRevisionArn: string | undefined };
}

const ROLLING_BACK = new Set<ServiceDeploymentStatus>(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS']);
const STAGE_WORDS: Record<ServiceDeploymentLifecycleStage, string> = {
  RECONCILE_SERVICE: 'reconciling the service',
  PRE_SCALE_UP: 'before scaling up',
  SCALE_UP: 'starting the new tasks',
  POST_SCALE_UP: 'new tasks started',
  TEST_TRAFFIC_SHIFT: 'shifting test traffic',
  POST_TEST_TRAFFIC_SHIFT: 'test traffic shifted',
  PRODUCTION_TRAFFIC_SHIFT: 'shifting production traffic',
  POST_PRODUCTION_TRAFFIC_SHIFT: 'production traffic shifted',
  BAKE_TIME: 'baking',
  CLEAN_UP: 'cleaning up the old revision',
};

export function strategyOf(deployment: Pick<ServiceDeployment, 'deploymentConfiguration'>): DeploymentStrategy {
  return deployment.deploymentConfiguration?.strategy ?? 'ROLLING';
}

/** `BLUE_GREEN` → `blue/green`, for sentences. */
export function strategyLabel(strategy: DeploymentStrategy): string {
  return strategy === 'BLUE_GREEN' ? 'blue/green' : strategy.toLowerCase();
}

export function stageLabel(stage: ServiceDeploymentLifecycleStage | undefined): string {
  return stage ? STAGE_WORDS[stage] ?? stage : 'starting';
}

function awaitingHook(deployment: ServiceDeployment): AwaitingHook | undefined {
  const hook = (deployment.lifecycleHookDetails ?? []).find((h: DeploymentLifecycleHookDetail) => h.status === 'AWAITING_ACTION' && h.hookId);
  if (!hook?.hookId) return undefined;
  return { hookId: hook.hookId, stage: deployment.lifecycleStage, expiresAt: hook.expiresAt, timeoutAction: hook.timeoutAction ?? 'ROLLBACK' };
}

/** Minutes of bake the deployment was configured with: the linear/canary step bake while shifting, else the final bake. */
function bakeMinutes(deployment: ServiceDeployment): number | undefined {
  return deployment.deploymentConfiguration?.bakeTimeInMinutes;
}

export interface ReadOptions {
  now: number;
  /** When the follow loop first saw this deployment in BAKE_TIME (the API does not say). */
  bakeStartedAt?: number;
}

/** What a service deployment says now: its outcome, where it is, and what (if anything) waits for a person. */
export function readServiceDeployment(deployment: ServiceDeployment, options: ReadOptions): ServiceDeploymentReading {
  const status = deployment.status;
  const strategy = strategyOf(deployment);
  const stage = deployment.lifecycleStage;
  const awaiting = awaitingHook(deployment);
  const hooksRunning = (deployment.lifecycleHookDetails ?? []).filter((h) => h.status === 'IN_PROGRESS').map((h) => h.targetArn ?? h.hookId ?? 'a hook');
  const weight = deployment.targetServiceRevision?.requestedProductionTrafficWeight;
  const rollback = deployment.rollback ? { reason: deployment.rollback.reason, serviceRevisionArn: deployment.rollback.serviceRevisionArn } : undefined;
  const minutes = bakeMinutes(deployment);
  const bakeLeftMs =
    stage === 'BAKE_TIME' && minutes !== undefined && options.bakeStartedAt !== undefined ? Math.max(0, options.bakeStartedAt + minutes * 60_000 - options.now) : undefined;
  const base = { status, strategy, stage, awaiting, hooksRunning, productionTrafficPercent: weight, bakeLeftMs, rollback };
  // ECS's reasons end in a period or not; the sentences here add their own.
  const clause = (text: string | undefined) => text?.trim().replace(/\.+$/, '');
  const why = deployment.statusReason ? `: ${clause(deployment.statusReason)}` : '';
  const rollbackWhy = clause(rollback?.reason ?? deployment.statusReason);

  switch (status) {
    case 'SUCCESSFUL':
      return { ...base, outcome: 'succeeded', reason: `The ${strategyLabel(strategy)} deployment finished: SUCCESSFUL.` };
    case 'ROLLBACK_SUCCESSFUL':
      return { ...base, outcome: 'failed', reason: `ECS rolled the deployment back (ROLLBACK_SUCCESSFUL)${rollbackWhy ? `: ${rollbackWhy}` : ''}. The service runs the previous revision.` };
    case 'ROLLBACK_FAILED':
      return { ...base, outcome: 'failed', reason: `The deployment failed and so did its rollback (ROLLBACK_FAILED)${rollbackWhy ? `: ${rollbackWhy}` : ''}. Check the service's tasks now.` };
    case 'STOPPED':
      return { ...base, outcome: 'failed', reason: `The deployment was stopped before it finished (STOPPED)${why}.` };
    default:
      break;
  }
  if (status && ROLLING_BACK.has(status)) {
    return { ...base, outcome: 'in-progress', reason: `Rolling back (${status})${rollbackWhy ? `: ${rollbackWhy}` : ''}.` };
  }
  if (status === 'STOP_REQUESTED') return { ...base, outcome: 'in-progress', reason: `Stopping the deployment (STOP_REQUESTED)${why}.` };
  return { ...base, outcome: 'in-progress', reason: describeStep(base) };
}

function describeStep(reading: Omit<ServiceDeploymentReading, 'outcome' | 'reason'>): string {
  const parts = [`${strategyLabel(reading.strategy)}: ${stageLabel(reading.stage)}`];
  if (reading.awaiting) {
    const until = reading.awaiting.expiresAt ? ` until ${reading.awaiting.expiresAt.toISOString().slice(11, 16)} UTC, then ${reading.awaiting.timeoutAction}` : '';
    parts.push(`waiting for Continue or Roll Back${until}`);
  }
  if (reading.hooksRunning.length) parts.push(`hook running: ${reading.hooksRunning.join(', ')}`);
  if (reading.productionTrafficPercent !== undefined && reading.strategy !== 'ROLLING' && reading.stage === 'PRODUCTION_TRAFFIC_SHIFT') {
    parts.push(`${reading.productionTrafficPercent}% of production traffic on the new revision`);
  }
  if (reading.bakeLeftMs !== undefined) parts.push(`${formatDuration(reading.bakeLeftMs)} of bake left`);
  return `${parts.join(' · ')}.`;
}
