/**
 * Following one update's deployment to a verdict: read a snapshot, judge it with core's
 * `advanceRollout`, report, wait, again, until the verdict is final or the caller stops watching.
 * Stopping to watch never stops the deployment: ECS carries on.
 *
 * The loop knows nothing of how a snapshot is read: ECS strategies that report through the
 * ServiceDeployments API (BLUE_GREEN, LINEAR, CANARY) add what they need to `readRolloutSnapshot` and
 * to core's judgement, not here.
 */
import type { DeploymentLifecycleHookAction } from '../../aws/serviceDeployments';
import { sleep } from '../../core/async/sleep';
import { advanceRollout, beginRollout, isFinal, type RolloutSnapshot, type RolloutStart, type RolloutStatus } from '../../core/deploy/rollout';
import type { AwaitingHook } from '../../core/deploy/serviceDeployment';
import { shortTaskDefinition } from '../../core/deploy/taskDefinition';
import { failedCallText, isTransientFailure } from '../../core/errors/awsErrors';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import type { DeployAccess } from './access';

export type Phase = 'deploy' | 'rollback';

/** Where a shell shows how the rollout goes: the CLI prints a line, the extension a progress message. */
export type ReportRollout = (status: RolloutStatus, phase: Phase) => void;

/** A deployment a PAUSE hook holds, told to the shell once per hook, with the way to answer it. */
export interface PauseNotice {
  serviceDeploymentArn: string;
  hook: AwaitingHook;
  /** Sends CONTINUE or ROLLBACK (ContinueServiceDeployment); the follow goes on and reports what ECS does. */
  answer(action: DeploymentLifecycleHookAction): Promise<void>;
}

/**
 * What the shell tells besides the rollout's status, on one line each: a change whose answer was lost
 * but which ECS made (`recovered`), a read that failed and is tried again (`retrying`).
 */
export interface Notice {
  kind: 'recovered' | 'retrying';
  text: string;
  /** Time since the update, for the CLI's clock column. */
  elapsedMs?: number;
}

export type ReportNotice = (notice: Notice, phase: Phase) => void;

/** The first wait after a failed read, doubled each time up to the cap, within the follow's timeout. */
const RETRY_FIRST_MS = 200;
const RETRY_CAP_MS = 15_000;

export interface FollowOptions {
  /** Told when a read fails and is tried again. */
  onNotice?: ReportNotice;
  signal?: AbortSignal;
  /** Time between snapshots. */
  intervalMs: number;
  onStatus?: ReportRollout;
  /** A hook waits for a person: the CLI answers from `--on-pause` or prints how to; the extension asks. Never awaited. */
  onPause?: (pause: PauseNotice) => void;
  now?: () => number;
}

export interface WatchResult {
  status: RolloutStatus;
  /** The caller stopped watching (cancel, Ctrl+C) before a final verdict: the deployment goes on. */
  stoppedWatching: boolean;
}

/** Task ARNs read per status in a poll: a rollout's tasks are few; stopped ones only explain failures. */
const TASKS_PER_STATUS = 100;

/** What ECS says now about the service (and, once there is a deployment to judge, its tasks). */
async function readRolloutSnapshot(
  { edge, clients }: DeployAccess,
  ref: ServiceRef,
  options: { signal?: AbortSignal; withTasks: boolean; serviceDeploymentArn?: string },
): Promise<Omit<RolloutSnapshot, 'at'> & { serviceDeploymentsUnsupported?: boolean }> {
  const service = await edge.ecs.describeService(clients.ecs, ref.cluster, ref.service, { signal: options.signal });
  // Tasks only matter once there is a deployment to judge; moto and unknown deployments need none.
  const tasks = service && options.withTasks ? await edge.ecs.listServiceTasks(clients.ecs, ref.cluster, ref.service, { signal: options.signal, maxPerStatus: TASKS_PER_STATUS }) : [];
  if (!options.serviceDeploymentArn || !edge.serviceDeployments) return { service, tasks };
  const described = await edge.serviceDeployments.describeServiceDeployment(clients.ecs, options.serviceDeploymentArn, { signal: options.signal });
  if (!described.supported) return { service, tasks, serviceDeploymentsUnsupported: true };
  return { service, tasks, serviceDeployment: described.value };
}

export async function followRollout(access: DeployAccess, ref: ServiceRef, start: RolloutStart, options: FollowOptions, phase: Phase = 'deploy'): Promise<WatchResult> {
  const now = options.now ?? Date.now;
  let state = beginRollout(start);
  const stopped = (): WatchResult => ({ status: state.status, stoppedWatching: true });
  // Once the endpoint says it has no ServiceDeployments API, judge from DescribeServices alone.
  let serviceDeploymentArn = start.serviceDeploymentArn;
  const toldPauses = new Set<string>();
  let failedReads = 0;
  for (;;) {
    if (options.signal?.aborted) return stopped();
    let snapshot: Awaited<ReturnType<typeof readRolloutSnapshot>>;
    try {
      snapshot = await readRolloutSnapshot(access, ref, { signal: options.signal, withTasks: Boolean(state.deploymentId ?? start.deploymentId ?? serviceDeploymentArn), serviceDeploymentArn });
      failedReads = 0;
    } catch (error) {
      if (options.signal?.aborted) return stopped();
      // A read that fails for the network's or the endpoint's sake is tried again for as long as the timeout allows: the deployment goes on meanwhile.
      const left = start.startedAt + start.timeoutMs - now();
      const wait = Math.min(Math.max(RETRY_FIRST_MS, options.intervalMs) * 2 ** failedReads, RETRY_CAP_MS);
      if (!isTransientFailure(error) || wait > left) throw error;
      failedReads++;
      const seconds = Math.round(wait / 100) / 10;
      options.onNotice?.({ kind: 'retrying', text: `${failedCallText(error)}; retrying in ${seconds} s (the service names ${shortTaskDefinition(start.taskDefinitionArn)})`, elapsedMs: now() - start.startedAt }, phase);
      if (!(await sleep(wait, options.signal))) return stopped();
      continue;
    }
    if (snapshot.serviceDeploymentsUnsupported) serviceDeploymentArn = undefined;
    state = advanceRollout(state, { at: now(), service: snapshot.service, tasks: snapshot.tasks, serviceDeployment: snapshot.serviceDeployment });
    options.onStatus?.(state.status, phase);
    if (isFinal(state.status.outcome)) return { status: state.status, stoppedWatching: false };
    const hook = state.status.awaiting;
    if (hook && serviceDeploymentArn && options.onPause && !toldPauses.has(hook.hookId)) {
      toldPauses.add(hook.hookId);
      const arn = serviceDeploymentArn;
      options.onPause({ serviceDeploymentArn: arn, hook, answer: (action) => access.edge.serviceDeployments!.continueServiceDeployment(access.clients.ecs, arn, hook.hookId, action) });
    }
    const untilDeadline = start.startedAt + start.timeoutMs - now();
    if (!(await sleep(Math.max(0, Math.min(options.intervalMs, untilDeadline)), options.signal))) return stopped();
  }
}
