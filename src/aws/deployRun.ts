/**
 * A deploy or rollback from the update to the verdict, shared by the CLI and the extension: register
 * (for a deploy), UpdateService, follow this update's deployment with the core judgement until it is
 * final or the caller stops watching, and roll back when asked. Stopping to watch never stops the
 * deployment: ECS carries on.
 */
import type { ECSClient, RegisterTaskDefinitionCommandInput, Service } from '@aws-sdk/client-ecs';
import { advanceRollout, beginRollout, findUpdateDeployment, isFinal, type RolloutStart, type RolloutStatus } from '../core/deploy/rollout';
import { healthCheckedContainers } from '../core/deploy/taskDefinition';
import { describeService, describeTaskDefinition, registerTaskDefinition, serviceTasks, updateService } from './deploy';

export interface WatchOptions {
  signal?: AbortSignal;
  /** Time between snapshots. */
  intervalMs: number;
  timeoutMs: number;
  onStatus?: (status: RolloutStatus, phase: Phase) => void;
  now?: () => number;
}

export type Phase = 'deploy' | 'rollback';

export interface WatchResult {
  status: RolloutStatus;
  /** The caller stopped watching (cancel, Ctrl+C) before a final verdict: the deployment goes on. */
  stoppedWatching: boolean;
}

/** Resolves after `ms`, or early (false) when the signal aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function watchRollout(ecs: ECSClient, cluster: string, serviceName: string, start: RolloutStart, options: WatchOptions, phase: Phase = 'deploy'): Promise<WatchResult> {
  const now = options.now ?? Date.now;
  let state = beginRollout(start);
  for (;;) {
    if (options.signal?.aborted) return { status: state.status, stoppedWatching: true };
    let service: Service | undefined;
    let tasks: Awaited<ReturnType<typeof serviceTasks>> = [];
    try {
      service = await describeService(ecs, cluster, serviceName, { signal: options.signal });
      // Tasks only matter once there is a deployment to judge; moto and unknown deployments need none.
      if (service && (state.deploymentId ?? start.deploymentId)) tasks = await serviceTasks(ecs, cluster, serviceName, { signal: options.signal });
    } catch (error) {
      if (options.signal?.aborted) return { status: state.status, stoppedWatching: true };
      throw error;
    }
    state = advanceRollout(state, { at: now(), service, tasks });
    options.onStatus?.(state.status, phase);
    if (isFinal(state.status.outcome)) return { status: state.status, stoppedWatching: false };
    const untilDeadline = start.startedAt + start.timeoutMs - now();
    if (!(await pause(Math.max(0, Math.min(options.intervalMs, untilDeadline)), options.signal))) return { status: state.status, stoppedWatching: true };
  }
}

export type UpdateTarget = { register: RegisterTaskDefinitionCommandInput } | { taskDefinitionArn: string };

export interface StartedUpdate {
  taskDefinitionArn: string;
  previousTaskDefinitionArn: string;
  deploymentId: string | undefined;
  start: RolloutStart;
}

export interface UpdateRequest {
  cluster: string;
  /** The service as described just before the update: its deployments tell the new one apart. */
  service: Service;
  target: UpdateTarget;
  forceNewDeployment?: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
  now?: () => number;
}

/** Registers (for a deploy) and updates the service; returns what the watch needs. */
export async function startUpdate(ecs: ECSClient, request: UpdateRequest): Promise<StartedUpdate> {
  const serviceName = request.service.serviceName ?? '';
  const previousTaskDefinitionArn = request.service.taskDefinition ?? '';
  const options = { signal: request.signal };
  const registered =
    'register' in request.target
      ? await registerTaskDefinition(ecs, request.target.register, options)
      : (await describeTaskDefinition(ecs, request.target.taskDefinitionArn, options)).taskDefinition;
  const taskDefinitionArn = registered.taskDefinitionArn ?? '';
  const updated = await updateService(ecs, { cluster: request.cluster, service: serviceName, taskDefinition: taskDefinitionArn, forceNewDeployment: request.forceNewDeployment }, options);
  const deploymentId = findUpdateDeployment(request.service.deployments, updated.deployments, taskDefinitionArn)?.id;
  const breaker = request.service.deploymentConfiguration?.deploymentCircuitBreaker;
  return {
    taskDefinitionArn,
    previousTaskDefinitionArn,
    deploymentId,
    start: {
      deploymentId,
      earlierDeploymentIds: (request.service.deployments ?? []).map((d) => d.id ?? ''),
      taskDefinitionArn,
      previousTaskDefinitionArn,
      startedAt: (request.now ?? Date.now)(),
      timeoutMs: request.timeoutMs,
      healthCheckedContainers: healthCheckedContainers(registered),
      circuitBreaker: { enable: breaker?.enable ?? false, rollback: breaker?.rollback ?? false },
    },
  };
}

/**
 * Whether rolling back is ours to do after a failed rollout: not when ECS's circuit breaker already
 * rolled back (or is rolling back), and not when the outcome is not a failure.
 */
export function needsRollback(status: RolloutStatus, start: RolloutStart): { needed: boolean; why: string } {
  if (status.outcome !== 'failed' && status.outcome !== 'timed-out') return { needed: false, why: `the rollout ${status.outcome === 'succeeded' ? 'succeeded' : 'has no failure verdict'}` };
  if (status.replacedBy?.isRollback) return { needed: false, why: 'ECS already rolled back' };
  if (status.replacedBy) return { needed: false, why: 'another deployment replaced this one; rolling back would undo it' };
  if (status.rolloutState === 'FAILED' && start.circuitBreaker.enable && start.circuitBreaker.rollback) return { needed: false, why: 'the circuit breaker is rolling back' };
  if (!start.previousTaskDefinitionArn) return { needed: false, why: 'the previous revision is unknown' };
  return { needed: true, why: `back to the previous revision` };
}

export interface RunOptions extends Omit<WatchOptions, 'timeoutMs'> {
  timeoutMs: number;
  forceNewDeployment?: boolean;
  /** false: update and return without watching (`--no-wait`). */
  wait: boolean;
  /** Roll back to the previous revision when the rollout fails or times out. */
  rollbackOnFailure: boolean;
}

export interface RollbackRun {
  taskDefinitionArn: string;
  deploymentId: string | undefined;
  watch: WatchResult | undefined;
  /** Why no rollback ran, when none did. */
  skipped?: string;
}

export interface UpdateRun extends StartedUpdate {
  watch: WatchResult | undefined;
  rollback?: RollbackRun;
}

/**
 * Update, follow, and roll back on failure when asked. The signal stops the watching only: once asked
 * for, the register and update calls are sent whole, so a cancel never leaves a half-made change.
 */
export async function runUpdate(ecs: ECSClient, cluster: string, service: Service, target: UpdateTarget, options: RunOptions): Promise<UpdateRun> {
  const serviceName = service.serviceName ?? '';
  const started = await startUpdate(ecs, { cluster, service, target, forceNewDeployment: options.forceNewDeployment, timeoutMs: options.timeoutMs, now: options.now });
  if (!options.wait) return { ...started, watch: undefined };
  const watch = await watchRollout(ecs, cluster, serviceName, started.start, options);
  const run: UpdateRun = { ...started, watch };
  if (!options.rollbackOnFailure || watch.stoppedWatching) return run;
  const decision = needsRollback(watch.status, started.start);
  if (!decision.needed) {
    if (watch.status.outcome === 'failed' || watch.status.outcome === 'timed-out') run.rollback = { taskDefinitionArn: started.previousTaskDefinitionArn, deploymentId: undefined, watch: undefined, skipped: decision.why };
    return run;
  }
  const current = await describeService(ecs, cluster, serviceName);
  if (!current) return run;
  const back = await startUpdate(ecs, { cluster, service: current, target: { taskDefinitionArn: started.previousTaskDefinitionArn }, timeoutMs: options.timeoutMs, now: options.now });
  const backWatch = await watchRollout(ecs, cluster, serviceName, back.start, options, 'rollback');
  run.rollback = { taskDefinitionArn: back.taskDefinitionArn, deploymentId: back.deploymentId, watch: backWatch };
  return run;
}
