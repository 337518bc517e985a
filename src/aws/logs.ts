/**
 * CloudWatch Logs for tails: where a service logs (from its task definition), the log groups to pick
 * from, and one function that streams a group's events, exactly once each, by StartLiveTail where the
 * endpoint has it and by overlapping FilterLogEvents polls otherwise.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { sleep } from '../core/async/sleep';
import type { LogEvent } from '../core/logs/events';
import { logTargetsFromContainers, type LogGroupTarget, type ServiceLogTargets } from '../core/logs/logConfiguration';
import { earliestEventTime, MAX_INGEST_AGE_MS } from '../core/logs/groupRange';
import { PauseGate } from '../core/logs/pauseGate';
import { ReadBudget } from '../core/logs/readBudget';
import { PhrasedError } from '../core/errors/named';
import type { TailStatus } from '../core/logs/tailStatus';
import type { CallOptions } from './ecr';
import { describeService, describeTaskDefinition } from './ecs';
import { describeLogGroup, type LogGroup } from './logGroups';
import { runLiveTail } from './logsLiveTail';
import { DEFAULT_TAIL_TUNING, pollTargets, type TailContext, type TailHandlers, type TailRequest } from './logsPolling';

export { listLogGroups, logGroupArn } from './logGroups';
export { DEFAULT_TAIL_TUNING, type TailHandlers, type TailMechanism, type TailRequest, type TailTuning } from './logsPolling';
export type { LogEvent, LogGroupTarget, LogGroup, TailStatus };

// ---- Where a service logs -------------------------------------------------------------------

export interface ServiceLogSetup extends ServiceLogTargets {
  taskDefinitionArn: string;
}

/** A failure already phrased for the user (the service or its task definition is not there). */
export class LogSetupError extends PhrasedError {
  override name = 'LogSetupError';
}

/** Reads the service's current task definition (fresh: a deploy may just have changed it). */
export async function describeServiceLogTargets(ecs: ECSClient, cluster: string, service: string, options: CallOptions = {}): Promise<ServiceLogSetup> {
  const found = await describeService(ecs, cluster, service, { signal: options.signal });
  if (!found || found.status === 'INACTIVE' || (found.serviceName !== service && found.serviceArn !== service)) {
    throw new LogSetupError(`Service "${service}" was not found in cluster "${cluster}".`);
  }
  if (!found.taskDefinition) throw new LogSetupError(`Service "${service}" has no task definition.`);
  const { taskDefinition: td } = await describeTaskDefinition(ecs, found.taskDefinition, { signal: options.signal });
  const containers = (td.containerDefinitions ?? []).map((c) => ({
    name: c.name,
    logConfiguration: c.logConfiguration ? { logDriver: c.logConfiguration.logDriver, options: c.logConfiguration.options } : undefined,
  }));
  return { taskDefinitionArn: found.taskDefinition, ...logTargetsFromContainers(containers) };
}

// ---- Tailing ---------------------------------------------------------------------------------------

/**
 * Per group, where reading can start: a start far in the past (`--since 5` is 1970) is clamped to the
 * group's creation time less the 14 days PutLogEvents accepts, and to its retention. Only a start more
 * than 14 days back can gain from it, so nearer ones cost no call. A group that cannot be described
 * (missing, not allowed) keeps the request's start: its read reports the problem itself.
 */
async function earliestReadable(client: CloudWatchLogsClient, request: TailRequest, now: number, signal: AbortSignal): Promise<Map<LogGroupTarget, number>> {
  const earliest = new Map<LogGroupTarget, number>();
  if (request.startTime >= now - MAX_INGEST_AGE_MS) return earliest;
  for (const target of request.targets) {
    try {
      const group = await describeLogGroup(client, target.logGroupName, { signal });
      const from = group && earliestEventTime({ creationTime: group.creationTime, retentionInDays: group.retentionInDays }, now);
      if (from !== undefined && from > request.startTime) earliest.set(target, from);
    } catch {
      // Not allowed to describe, or a passing failure: read from the request's start instead.
      if (signal.aborted) break;
    }
  }
  return earliest;
}

/**
 * Streams the events of `request.targets` to `handlers.onEvents` until done (one-shot) or aborted
 * (follow). Resolves on abort; rejects on a failure the tail cannot get past (access denied, a group
 * that does not exist in a one-shot read, repeated errors in a one-shot read).
 */
export async function tailLogGroups(client: CloudWatchLogsClient, request: TailRequest, handlers: TailHandlers, signal: AbortSignal, gate = new PauseGate()): Promise<void> {
  let chain = Promise.resolve();
  const now = handlers.now ?? Date.now;
  const tuning = { ...DEFAULT_TAIL_TUNING, ...request.tuning };
  const context: TailContext = {
    client,
    request,
    tuning,
    signal,
    gate,
    // Loops of several groups emit one batch at a time, and a slow consumer slows the reading down.
    emit: (events) => (chain = chain.then(() => handlers.onEvents(events))),
    status: (status) => handlers.onStatus?.(status),
    now,
    sleep: (ms) => (handlers.sleep ?? sleep)(ms, signal),
    earliest: await earliestReadable(client, request, now(), signal),
    budget: request.follow ? undefined : new ReadBudget(tuning.readBudget, now),
  };
  const mechanism = request.mechanism ?? 'auto';
  if (request.follow && mechanism !== 'polling' && request.targets.length > 0 && request.targets.length <= 10) {
    const outcome = await runLiveTail(context);
    if (outcome.kind === 'done') return;
    context.status({ state: 'fallback', reason: outcome.reason });
    await pollTargets(context, outcome.resumeFrom, outcome.dedupe);
    return;
  }
  await pollTargets(context, request.startTime);
}

