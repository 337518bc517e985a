/**
 * Following one update's deployment to a verdict: read a snapshot, judge it with core's
 * `advanceRollout`, report, wait, again, until the verdict is final or the caller stops watching.
 * Stopping to watch never stops the deployment: ECS carries on.
 *
 * The loop knows nothing of how a snapshot is read: ECS strategies that report through the
 * ServiceDeployments API (BLUE_GREEN, LINEAR, CANARY) add what they need to `readRolloutSnapshot` and
 * to core's judgement, not here.
 */
import { sleep } from '../../core/async/sleep';
import { advanceRollout, beginRollout, isFinal, type RolloutSnapshot, type RolloutStart, type RolloutStatus } from '../../core/deploy/rollout';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import type { DeployAccess } from './access';

export type Phase = 'deploy' | 'rollback';

/** Where a shell shows how the rollout goes: the CLI prints a line, the extension a progress message. */
export type ReportRollout = (status: RolloutStatus, phase: Phase) => void;

export interface FollowOptions {
  signal?: AbortSignal;
  /** Time between snapshots. */
  intervalMs: number;
  onStatus?: ReportRollout;
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
  options: { signal?: AbortSignal; withTasks: boolean },
): Promise<Omit<RolloutSnapshot, 'at'>> {
  const service = await edge.ecs.describeService(clients.ecs, ref.cluster, ref.service, { signal: options.signal });
  // Tasks only matter once there is a deployment to judge; moto and unknown deployments need none.
  const tasks = service && options.withTasks ? await edge.ecs.listServiceTasks(clients.ecs, ref.cluster, ref.service, { signal: options.signal, maxPerStatus: TASKS_PER_STATUS }) : [];
  return { service, tasks };
}

export async function followRollout(access: DeployAccess, ref: ServiceRef, start: RolloutStart, options: FollowOptions, phase: Phase = 'deploy'): Promise<WatchResult> {
  const now = options.now ?? Date.now;
  let state = beginRollout(start);
  const stopped = (): WatchResult => ({ status: state.status, stoppedWatching: true });
  for (;;) {
    if (options.signal?.aborted) return stopped();
    let snapshot: Omit<RolloutSnapshot, 'at'>;
    try {
      snapshot = await readRolloutSnapshot(access, ref, { signal: options.signal, withTasks: Boolean(state.deploymentId ?? start.deploymentId) });
    } catch (error) {
      if (options.signal?.aborted) return stopped();
      throw error;
    }
    state = advanceRollout(state, { at: now(), ...snapshot });
    options.onStatus?.(state.status, phase);
    if (isFinal(state.status.outcome)) return { status: state.status, stoppedWatching: false };
    const untilDeadline = start.startedAt + start.timeoutMs - now();
    if (!(await sleep(Math.min(options.intervalMs, untilDeadline), options.signal))) return stopped();
  }
}
