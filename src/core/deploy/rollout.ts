/**
 * The rollout judgement: a pure state machine fed with DescribeServices/DescribeTasks snapshots. It
 * follows the deployment that THIS update created and never takes "the service is stable" for success:
 * a circuit-breaker rollback ends in a stable service too. Once it reaches a final verdict it keeps it.
 */
import type { Deployment, DeploymentStrategy, Service, ServiceDeployment, Task } from '@aws-sdk/client-ecs';
import { formatDuration, plural } from '../text/format';
import { readServiceDeployment, type AwaitingHook } from './serviceDeployment';
import { shortTaskDefinition } from './taskDefinition';
import { shortTaskId, stoppedTaskReason, taskHealth, tasksOfDeployment } from './taskHealth';

export interface RolloutStart {
  /** The PRIMARY deployment UpdateService created for this update; undefined when ECS reported none. */
  deploymentId: string | undefined;
  /** Deployments the service had before the update: none of them can be this update's. */
  earlierDeploymentIds?: readonly string[];
  /** The revision this update deploys. */
  taskDefinitionArn: string;
  /** The revision the service ran before, to recognise a rollback to it. */
  previousTaskDefinitionArn: string | undefined;
  /** Epoch ms when UpdateService returned. */
  startedAt: number;
  timeoutMs: number;
  /** Containers of the new revision that have a health check. */
  healthCheckedContainers: readonly string[];
  /** The service's deployment circuit breaker: when on, ECS judges failed tasks and we wait for its FAILED. */
  circuitBreaker: { enable: boolean; rollback: boolean };
  /** Failed tasks that fail the rollout when no circuit breaker judges; default as ECS's breaker counts. */
  failedTaskThreshold?: number;
  /** ECS's record of this update (Service.currentServiceDeployment after UpdateService), where the endpoint keeps one. */
  serviceDeploymentArn?: string;
  /** The service's deployment strategy (ROLLING when it names none). */
  strategy?: DeploymentStrategy;
}

export interface RolloutSnapshot {
  /** Epoch ms of the snapshot. */
  at: number;
  /** DescribeServices' answer; undefined when the service is gone (MISSING). */
  service: Service | undefined;
  /** Tasks of the service (running and recently stopped) from DescribeTasks. */
  tasks: readonly Task[];
  /** DescribeServiceDeployments' answer for this update, where the endpoint has that API: then it is the verdict. */
  serviceDeployment?: ServiceDeployment;
}

export type RolloutOutcome = 'in-progress' | 'succeeded' | 'failed' | 'timed-out' | 'unverified';

export interface RolloutEvent {
  createdAt: string;
  message: string;
}

export interface RolloutStatus {
  outcome: RolloutOutcome;
  /** The verdict in words: what happened and why, quoting ECS where it says why. */
  reason: string;
  deploymentId: string | undefined;
  rolloutState: string | undefined;
  runningCount: number;
  pendingCount: number;
  desiredCount: number;
  failedTasks: number;
  /** Tasks of this deployment that are not (yet) healthy. */
  unhealthyTasks: string[];
  /** Why tasks of this deployment stopped (newest last), collected across snapshots. */
  stoppedTasks: Array<{ taskId: string; reason: string }>;
  /** Service events since the update, newest first. */
  events: RolloutEvent[];
  /** The deployment that replaced this one, when one did. */
  replacedBy?: { deploymentId: string | undefined; taskDefinitionArn: string | undefined; isRollback: boolean };
  elapsedMs: number;
  strategy: DeploymentStrategy;
  /** ECS's record of this update and its status, when the endpoint keeps one (the ServiceDeployments API). */
  serviceDeploymentArn?: string;
  serviceDeploymentStatus?: string;
  /** The lifecycle stage now, and every stage seen so far in order. */
  stage?: string;
  stagesSeen: string[];
  /** A PAUSE hook waiting for Continue or Roll Back. */
  awaiting?: AwaitingHook;
}

export interface RolloutState {
  start: RolloutStart;
  status: RolloutStatus;
  /** taskArn -> why it stopped: stopped tasks leave DescribeTasks after a while, their reasons must not. */
  stopped: ReadonlyMap<string, string>;
  /** The deployment id, adopted from a snapshot when UpdateService's answer did not name it. */
  deploymentId: string | undefined;
  /** When the bake time began (the first snapshot in BAKE_TIME): the API says how long, not since when. */
  bakeStartedAt?: number;
}

export const isFinal = (outcome: RolloutOutcome) => outcome !== 'in-progress';

/** ECS's circuit breaker threshold: half the desired count, at least 3, at most 200. */
export function defaultFailedTaskThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(desiredCount * 0.5)));
}

const EVENT_LIMIT = 5;
/** Events a little older than the update still belong to it: the clocks of ECS and this machine differ. */
const CLOCK_SKEW_MS = 5_000;

export function beginRollout(start: RolloutStart): RolloutState {
  return {
    start,
    stopped: new Map(),
    deploymentId: start.deploymentId,
    status: {
      outcome: 'in-progress',
      reason: 'Waiting for the first status from ECS.',
      deploymentId: start.deploymentId,
      rolloutState: undefined,
      runningCount: 0,
      pendingCount: 0,
      desiredCount: 0,
      failedTasks: 0,
      unhealthyTasks: [],
      stoppedTasks: [],
      events: [],
      elapsedMs: 0,
      strategy: start.strategy ?? 'ROLLING',
      serviceDeploymentArn: start.serviceDeploymentArn,
      stagesSeen: [],
    },
  };
}

/**
 * The deployment an UpdateService call created: PRIMARY, running the requested revision, and not among
 * the deployments the service had before the call.
 */
export function findUpdateDeployment(before: readonly Deployment[] | undefined, after: readonly Deployment[] | undefined, taskDefinitionArn: string): Deployment | undefined {
  const earlier = new Set((before ?? []).map((d) => d.id));
  return (after ?? []).find((d) => d.status === 'PRIMARY' && d.taskDefinition === taskDefinitionArn && !earlier.has(d.id));
}

/** `family:7`, or what to say when the revision is not known. */
export const revisionLabel = (arn: string | undefined) => (arn ? shortTaskDefinition(arn) : 'an unknown revision');
const label = revisionLabel;

/** "Scaling activity initiated by (deployment ...)" is ECS replacing a task on purpose, not a failure. */
export const isDeliberateStop = (reason: string) => /^Scaling activity initiated by/.test(reason);

function eventsSince(service: Service | undefined, since: number): RolloutEvent[] {
  return (service?.events ?? [])
    .filter((e) => (e.createdAt ? e.createdAt.getTime() >= since - CLOCK_SKEW_MS : false))
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))
    .slice(0, EVENT_LIMIT)
    .map((e) => ({ createdAt: e.createdAt!.toISOString(), message: e.message ?? '' }));
}

// Events that only count tasks say nothing about why a rollout failed.
const ROUTINE_EVENT = /has (?:started|stopped) \d+ (?:running )?tasks|has reached a steady state/i;
const PROBLEM_EVENT = /fail|unable|error|unhealthy|insufficient|throttl/i;

/** The event that explains most: the newest about a problem or this deployment, routine counts aside. */
function tellingEvent(events: readonly RolloutEvent[], deploymentId: string | undefined): RolloutEvent | undefined {
  const telling = events.filter((e) => !ROUTINE_EVENT.test(e.message));
  return telling.find((e) => PROBLEM_EVENT.test(e.message)) ?? telling.find((e) => deploymentId !== undefined && e.message.includes(deploymentId));
}

/** "3 tasks stopped: <reason>": one line per distinct reason, newest reasons last, not one per task. */
function stoppedSummary(stoppedTasks: RolloutStatus['stoppedTasks']): string {
  const counts = new Map<string, number>();
  for (const s of stoppedTasks) if (!isDeliberateStop(s.reason)) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  return [...counts].slice(-3).map(([reason, count]) => `${plural(count, 'task')} stopped: ${reason}.`).join(' ');
}

function failureDetails(status: Pick<RolloutStatus, 'stoppedTasks' | 'events' | 'deploymentId'>): string {
  // Without stopped tasks to explain it, the newest event is better than nothing.
  const event = tellingEvent(status.events, status.deploymentId) ?? (status.stoppedTasks.length ? undefined : status.events[0]);
  const parts = [stoppedSummary(status.stoppedTasks), event ? `Service event: "${event.message}"` : ''];
  return parts.filter(Boolean).join(' ');
}

function withDetails(reason: string, status: Pick<RolloutStatus, 'stoppedTasks' | 'events' | 'deploymentId'>): string {
  const details = failureDetails(status);
  return details ? `${reason} ${details}` : reason;
}

/**
 * When UpdateService's answer did not name the deployment: one that is unmistakably this update's,
 * PRIMARY, running the new revision, and new (not among the earlier ones; without that list, created
 * after the update). A deployment from before the update that happens to name the same revision (a
 * rollback on an endpoint that never rolls out) is not this update's.
 */
function adoptableDeployment(start: RolloutStart, deployments: readonly Deployment[]): Deployment | undefined {
  const earlier = start.earlierDeploymentIds ? new Set(start.earlierDeploymentIds) : undefined;
  return deployments.find(
    (d) =>
      d.status === 'PRIMARY' &&
      d.taskDefinition === start.taskDefinitionArn &&
      (earlier ? !earlier.has(d.id ?? '') : (d.createdAt?.getTime() ?? 0) >= start.startedAt - CLOCK_SKEW_MS),
  );
}

export function advanceRollout(state: RolloutState, snapshot: RolloutSnapshot): RolloutState {
  if (isFinal(state.status.outcome)) return state;
  const { start } = state;
  const service = snapshot.service;
  const deployments = service?.deployments ?? [];
  const deploymentId = state.deploymentId ?? adoptableDeployment(start, deployments)?.id;
  const ours = deploymentId ? deployments.find((d) => d.id === deploymentId) : undefined;
  const ourTasks = deploymentId ? tasksOfDeployment(snapshot.tasks, deploymentId) : [];

  const stopped = new Map(state.stopped);
  for (const task of ourTasks) if (task.lastStatus === 'STOPPED' && task.taskArn && !stopped.has(task.taskArn)) stopped.set(task.taskArn, stoppedTaskReason(task));

  const checked = start.healthCheckedContainers;
  const health = taskHealth(ourTasks, checked);
  const base: RolloutStatus = {
    outcome: 'in-progress',
    reason: '',
    deploymentId,
    rolloutState: ours?.rolloutState,
    runningCount: ours?.runningCount ?? 0,
    pendingCount: ours?.pendingCount ?? 0,
    desiredCount: ours?.desiredCount ?? service?.desiredCount ?? 0,
    failedTasks: Math.max(ours?.failedTasks ?? 0, 0),
    unhealthyTasks: [...health.unhealthy, ...health.waiting],
    stoppedTasks: [...stopped].map(([arn, reason]) => ({ taskId: shortTaskId(arn), reason })),
    events: eventsSince(service, start.startedAt),
    elapsedMs: snapshot.at - start.startedAt,
    strategy: start.strategy ?? 'ROLLING',
    serviceDeploymentArn: start.serviceDeploymentArn,
    stagesSeen: state.status.stagesSeen,
  };
  const sd = snapshot.serviceDeployment;
  const bakeStartedAt = sd?.lifecycleStage === 'BAKE_TIME' ? (state.bakeStartedAt ?? snapshot.at) : state.bakeStartedAt;
  const next = (outcome: RolloutOutcome, reason: string, extra: Partial<RolloutStatus> = {}): RolloutState => ({
    start,
    stopped,
    deploymentId,
    bakeStartedAt,
    status: { ...base, ...extra, outcome, reason },
  });

  if (!service || (service.status && service.status !== 'ACTIVE')) {
    return next('failed', `The service is ${service ? `${service.status} (being deleted)` : 'gone (DescribeServices reports it MISSING)'}: the rollout cannot complete.`);
  }

  if (sd) return judgeByServiceDeployment(sd, { state, snapshot, base, bakeStartedAt, next });

  if (!deploymentId) {
    const primary = deployments.find((d) => d.status === 'PRIMARY');
    const age = primary?.createdAt && primary.createdAt.getTime() < start.startedAt - CLOCK_SKEW_MS ? ', created before this update' : '';
    const what = primary
      ? `no new deployment appeared: its PRIMARY deployment (${primary.id}${age}) runs ${label(primary.taskDefinition)}${primary.rolloutState ? ` and says ${primary.rolloutState}` : ''}`
      : 'it lists no deployment at all';
    return next(
      'unverified',
      `ECS reported no deployment of ${label(start.taskDefinitionArn)}: the service now names ${label(service.taskDefinition)}, but ${what}. ` +
        'The endpoint did not start a rollout (local emulators such as moto never do), so nothing about the new revision was verified.',
    );
  }

  const primary = deployments.find((d) => d.status === 'PRIMARY');
  if (!ours || ours.status !== 'PRIMARY') {
    const isRollback =
      primary !== undefined &&
      ((start.previousTaskDefinitionArn !== undefined && primary.taskDefinition === start.previousTaskDefinitionArn) || /roll(ing|ed)? ?back/i.test(primary.rolloutStateReason ?? ''));
    const replacedBy = { deploymentId: primary?.id, taskDefinitionArn: primary?.taskDefinition, isRollback };
    const failedNote = ours?.rolloutState === 'FAILED' ? ` It had failed: ${ours.rolloutStateReason ?? 'no reason given'}.` : '';
    const reason = !primary
      ? `Deployment ${deploymentId} is gone and the service has no PRIMARY deployment.`
      : isRollback
        ? `ECS rolled the service back to ${label(primary.taskDefinition)} (deployment ${primary.id}): this rollout of ${label(start.taskDefinitionArn)} failed.${failedNote} The service may look stable, but it runs the old revision.`
        : `Deployment ${primary.id} (${label(primary.taskDefinition)}) replaced this one before it completed: someone or something else updated the service.${failedNote}`;
    return next('failed', withDetails(reason, base), { replacedBy });
  }

  if (ours.rolloutState === 'FAILED') {
    const rollingBack = start.circuitBreaker.enable && start.circuitBreaker.rollback ? ` ECS is rolling back to ${label(start.previousTaskDefinitionArn)}.` : '';
    return next('failed', withDetails(`Deployment ${deploymentId} FAILED: ${ours.rolloutStateReason ?? 'ECS gave no reason'}.${rollingBack}`, base));
  }

  const threshold = start.failedTaskThreshold ?? defaultFailedTaskThreshold(base.desiredCount);
  if (!start.circuitBreaker.enable && base.failedTasks >= threshold) {
    return next('failed', withDetails(`${plural(base.failedTasks, 'task')} of ${label(start.taskDefinitionArn)} failed to start or to stay healthy (threshold ${threshold}, no circuit breaker on this service).`, base));
  }

  const others = deployments.filter((d) => d.id !== deploymentId);
  const completed = ours.rolloutState === 'COMPLETED';
  const countsReached = base.runningCount === base.desiredCount && base.pendingCount === 0 && others.length === 0;
  // With a circuit breaker ECS reports the rollout's end as COMPLETED; without one, the counts tell.
  const rolledOut = start.circuitBreaker.enable && ours.rolloutState ? completed : completed || countsReached;

  if (rolledOut) {
    const needHealthy = checked.length > 0 && base.desiredCount > 0;
    const healthy = !needHealthy || (health.healthy >= base.desiredCount && health.unhealthy.length === 0 && health.waiting.length === 0);
    if (healthy) {
      const how = completed ? `COMPLETED` : `running the desired count with no other deployment left`;
      const checks = needHealthy ? `, health checks of ${checked.join(', ')} HEALTHY` : checked.length ? '' : ', no container health check defined';
      return next('succeeded', `Deployment ${deploymentId} ${how}: ${base.runningCount}/${base.desiredCount} tasks run ${label(start.taskDefinitionArn)}${checks}.`);
    }
  }

  const progress = describeProgress(base, rolledOut, health, checked);
  if (snapshot.at - start.startedAt >= start.timeoutMs) {
    return next('timed-out', withDetails(`Not finished after ${formatDuration(start.timeoutMs)}: ${progress}`, base));
  }
  return next('in-progress', progress);
}

interface Judging {
  state: RolloutState;
  snapshot: RolloutSnapshot;
  base: RolloutStatus;
  bakeStartedAt: number | undefined;
  next: (outcome: RolloutOutcome, reason: string, extra?: Partial<RolloutStatus>) => RolloutState;
}

/**
 * Where ECS keeps a record of this update, its status is the verdict, for every strategy: SUCCESSFUL only
 * once the rollout (bake included) is done; ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED and STOPPED are failures
 * of this deploy. The tasks and events still explain a failure.
 */
function judgeByServiceDeployment(sd: ServiceDeployment, { state, snapshot, base, bakeStartedAt, next }: Judging): RolloutState {
  const { start } = state;
  const reading = readServiceDeployment(sd, { now: snapshot.at, bakeStartedAt });
  const stage = sd.lifecycleStage;
  const stagesSeen = stage && base.stagesSeen.at(-1) !== stage ? [...base.stagesSeen, stage] : base.stagesSeen;
  const extra: Partial<RolloutStatus> = { strategy: reading.strategy, serviceDeploymentStatus: sd.status, stage, stagesSeen, awaiting: reading.awaiting };
  const counts = `${base.runningCount}/${base.desiredCount} tasks of ${label(start.taskDefinitionArn)} running`;
  if (reading.outcome === 'succeeded') return next('succeeded', `${reading.reason} ${counts}.`, extra);
  if (reading.outcome === 'failed') {
    const rolledBack = sd.status === 'ROLLBACK_SUCCESSFUL' || sd.status === 'ROLLBACK_FAILED';
    // ECS rolled back (or was told to): rolling back again is not ours to do.
    const replacedBy = { deploymentId: undefined, taskDefinitionArn: start.previousTaskDefinitionArn, isRollback: rolledBack || Boolean(sd.rollback) };
    return next('failed', withDetails(reading.reason, base), { ...extra, replacedBy: sd.status === 'STOPPED' && !sd.rollback ? { ...replacedBy, taskDefinitionArn: undefined } : replacedBy });
  }
  const progress = `${reading.reason} ${base.runningCount}/${base.desiredCount} running, ${base.pendingCount} pending.`;
  // Our timeout holds while a hook waits too: a pipeline never waits a day for ECS's hook timeout.
  if (snapshot.at - start.startedAt >= start.timeoutMs) return next('timed-out', withDetails(`Not finished after ${formatDuration(start.timeoutMs)}: ${progress}`, base), extra);
  return next('in-progress', progress, extra);
}

function describeProgress(status: RolloutStatus, rolledOut: boolean, health: ReturnType<typeof taskHealth>, checked: readonly string[]): string {
  const counts = `${status.runningCount}/${status.desiredCount} running, ${status.pendingCount} pending, ${status.failedTasks} failed`;
  const state = status.rolloutState ?? 'no rollout state';
  if (!rolledOut) return `${state}: ${counts}.`;
  if (health.unhealthy.length) return `${state}: ${counts}; health checks failing: ${health.unhealthy.join('; ')}.`;
  if (health.waiting.length) return `${state}: ${counts}; waiting for health checks: ${health.waiting.join('; ')}.`;
  return `${state}: ${counts}; ${health.running ? `${health.healthy} of ${status.desiredCount} tasks HEALTHY` : 'no task of this deployment is listed yet'}, so the health checks of ${checked.join(', ')} are not confirmed.`;
}

