/**
 * A deploy or rollback from the update to the verdict, for the CLI and the extension alike: register
 * (for a deploy), UpdateService, follow this update's deployment to its verdict, and roll back when
 * asked and when rolling back is ours to do.
 */
import type { RegisterTaskDefinitionCommandInput, Service } from '@aws-sdk/client-ecs';
import { findUpdateDeployment, type RolloutStart, type RolloutStatus } from '../../core/deploy/rollout';
import { AfterUpdateError } from '../../core/deploy/deployError';
import { healthCheckedContainers, shortTaskDefinition } from '../../core/deploy/taskDefinition';
import { failedCallText } from '../../core/errors/awsErrors';
import { isErrorNamed, isPhrased } from '../../core/errors/named';
import type { DeployAccess } from './access';
import { followRollout, type FollowOptions, type ReportRollout, type WatchResult } from './followRollout';
import { readPatiently, registerOnce, updateOnce, type Notify } from './safeChanges';
import { verifyDeploy, type ReportVerify, type VerifyAccess, type VerifyResult, type VerifySettings } from './verifyDeploy';

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
  now?: () => number;
  /** Told when a change failed but ECS had made it (its answer was lost) and the deploy goes on from there. */
  notify?: Notify;
}

/**
 * Registers (for a deploy) and updates the service; returns what following needs. Takes no signal on
 * purpose: once asked for, the register and update calls are sent whole, so a cancel never leaves a
 * half-made change. Each change is sent so that a lost answer registers no second revision and is
 * told by what it did (src/app/deploy/safeChanges.ts).
 */
export async function startUpdate(access: DeployAccess, request: UpdateRequest): Promise<StartedUpdate> {
  const { edge, clients } = access;
  const previousTaskDefinitionArn = request.service.taskDefinition ?? '';
  const now = request.now ?? Date.now;
  const registered =
    'register' in request.target
      ? await registerOnce(access, request.target.register, previousTaskDefinitionArn, request.notify, now)
      : (await readPatiently(() => edge.ecs.describeTaskDefinition(clients.ecs, (request.target as { taskDefinitionArn: string }).taskDefinitionArn))).taskDefinition;
  const taskDefinitionArn = registered.taskDefinitionArn ?? '';
  const updated = await updateOnce(
    access,
    { cluster: request.cluster, service: request.service, taskDefinitionArn, forceNewDeployment: request.forceNewDeployment, registeredByUs: 'register' in request.target },
    request.notify,
  );
  const deploymentId = findUpdateDeployment(request.service.deployments, updated.deployments, taskDefinitionArn)?.id;
  const breaker = request.service.deploymentConfiguration?.deploymentCircuitBreaker;
  // ECS names the service deployment this update started; the one named before the update is not ours.
  const serviceDeploymentArn = updated.currentServiceDeployment && updated.currentServiceDeployment !== request.service.currentServiceDeployment ? updated.currentServiceDeployment : undefined;
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
      serviceDeploymentArn,
      strategy: request.service.deploymentConfiguration?.strategy ?? 'ROLLING',
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

/** How an update is followed: the shells read these from flags or settings. */
export interface FollowSettings {
  timeoutMs: number;
  /** Time between snapshots. */
  intervalMs: number;
  forceNewDeployment?: boolean;
  /** false: update and return without following (`--no-wait`). */
  wait: boolean;
  /** Roll back to the previous revision when the rollout fails or times out. */
  rollbackOnFailure: boolean;
  /** Watch the service's figures this long after a successful rollout and compare (`verifyMinutes`); absent: off. */
  verify?: VerifySettings;
  now?: () => number;
}

export type RunOptions = FollowSettings & Pick<FollowOptions, 'signal' | 'onStatus' | 'onPause' | 'onNotice'> & { onVerify?: ReportVerify };

/**
 * Runs the update the way the shell shows it, with its cancel, its status sink, its answer to a pause
 * and where notices go (a lost answer recovered from, a read retried).
 */
export type StartRun = (
  signal: AbortSignal | undefined,
  onStatus: ReportRollout | undefined,
  onPause?: FollowOptions['onPause'],
  onNotice?: FollowOptions['onNotice'],
  onVerify?: ReportVerify,
) => Promise<UpdateRun>;

export interface RollbackRun {
  taskDefinitionArn: string;
  deploymentId: string | undefined;
  watch: WatchResult | undefined;
  /** Why no rollback ran, when none did. */
  skipped?: string;
}

export interface UpdateRun extends StartedUpdate {
  watch: WatchResult | undefined;
  /** The watch after a successful rollout, when asked for (`verify`). */
  verify?: VerifyResult;
  rollback?: RollbackRun;
}

/**
 * Update, follow, and roll back on failure when asked. The signal stops the watching only (see
 * startUpdate).
 */
export async function runUpdate(access: DeployAccess, cluster: string, service: Service, target: UpdateTarget, options: RunOptions): Promise<UpdateRun> {
  const ref = { cluster, service: service.serviceName ?? '' };
  const notify: Notify | undefined = options.onNotice && ((text) => options.onNotice!({ kind: 'recovered', text }, 'deploy'));
  const started = await startUpdate(access, { cluster, service, target, forceNewDeployment: options.forceNewDeployment, timeoutMs: options.timeoutMs, now: options.now, notify });
  if (!options.wait) return { ...started, watch: undefined };
  // From here on the service names the new revision: whatever fails, the message says so.
  let live = started.taskDefinitionArn;
  try {
    return await followAndRollBack(access, ref, started, options, (arn) => (live = arn));
  } catch (error) {
    if (isErrorNamed(error, 'AfterUpdateError')) throw error;
    const what = isPhrased(error) ? error.message.replace(/\.$/, '') : failedCallText(error);
    throw new AfterUpdateError(`following the rollout failed: ${what}; the service now names ${shortTaskDefinition(live)}.`, ref, live, started.previousTaskDefinitionArn);
  }
}

async function followAndRollBack(access: DeployAccess, ref: { cluster: string; service: string }, started: StartedUpdate, options: RunOptions, nowNames: (arn: string) => void): Promise<UpdateRun> {
  const watch = await followRollout(access, ref, started.start, options);
  const run: UpdateRun = { ...started, watch };
  if (options.verify && !watch.stoppedWatching && watch.status.outcome === 'succeeded') {
    run.verify = await verifyAfterRollout(access, ref, started, options.verify, options);
    // Nothing regressed (or the watch was cancelled): nothing to roll back.
    if (run.verify.verdict !== 'regressed' || !options.rollbackOnFailure) return run;
    if (!started.previousTaskDefinitionArn) {
      run.rollback = { taskDefinitionArn: '', deploymentId: undefined, watch: undefined, skipped: 'the previous revision is unknown' };
      return run;
    }
    return rollBack(access, ref, started, options, run, nowNames);
  }
  if (!options.rollbackOnFailure || watch.stoppedWatching) return run;
  const decision = needsRollback(watch.status, started.start);
  if (!decision.needed) {
    if (watch.status.outcome === 'failed' || watch.status.outcome === 'timed-out') run.rollback = { taskDefinitionArn: started.previousTaskDefinitionArn, deploymentId: undefined, watch: undefined, skipped: decision.why };
    return run;
  }
  return rollBack(access, ref, started, options, run, nowNames);
}

/** Updates the service back to the revision before this update and follows that rollout. */
async function rollBack(access: DeployAccess, ref: { cluster: string; service: string }, started: StartedUpdate, options: RunOptions, run: UpdateRun, nowNames: (arn: string) => void): Promise<UpdateRun> {
  const cluster = ref.cluster;
  const current = await readPatiently(() => access.edge.ecs.describeService(access.clients.ecs, cluster, ref.service));
  if (!current) return run;
  const notify: Notify | undefined = options.onNotice && ((text) => options.onNotice!({ kind: 'recovered', text }, 'rollback'));
  const back = await startUpdate(access, { cluster, service: current, target: { taskDefinitionArn: started.previousTaskDefinitionArn }, timeoutMs: options.timeoutMs, now: options.now, notify });
  nowNames(back.taskDefinitionArn);
  const backWatch = await followRollout(access, ref, back.start, options, 'rollback');
  run.rollback = { taskDefinitionArn: back.taskDefinitionArn, deploymentId: back.deploymentId, watch: backWatch };
  return run;
}

/** The verify watch, with the parts of the edge it needs (the shells pass the whole edge; fakes may not). */
async function verifyAfterRollout(access: DeployAccess, ref: { cluster: string; service: string }, started: StartedUpdate, settings: VerifySettings, options: RunOptions): Promise<VerifyResult> {
  const { edge, clients } = access;
  const now = options.now ?? Date.now;
  if (!edge.metrics || !edge.elbv2 || !clients.cloudwatch || !clients.elbv2) throw new Error('verifying a deploy needs the CloudWatch and ELBv2 parts of the AWS edge');
  const verifyAccess: VerifyAccess = { edge: { ecs: edge.ecs, elbv2: edge.elbv2, metrics: edge.metrics }, clients: { ecs: clients.ecs, cloudwatch: clients.cloudwatch, elbv2: clients.elbv2 } };
  return verifyDeploy(verifyAccess, { ref, updatedAt: started.start.startedAt, succeededAt: now() }, settings, { signal: options.signal, intervalMs: options.intervalMs, onVerify: options.onVerify, now });
}
