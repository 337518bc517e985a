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
import { PauseGate } from '../core/logs/pauseGate';
import { PhrasedError } from '../core/errors/named';
import type { TailStatus } from '../core/logs/tailStatus';
import type { CallOptions } from './ecr';
import { describeService, describeTaskDefinition } from './ecs';
import type { LogGroup } from './logGroups';
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
 * Streams the events of `request.targets` to `handlers.onEvents` until done (one-shot) or aborted
 * (follow). Resolves on abort; rejects on a failure the tail cannot get past (access denied, a group
 * that does not exist in a one-shot read, repeated errors in a one-shot read).
 */
export async function tailLogGroups(client: CloudWatchLogsClient, request: TailRequest, handlers: TailHandlers, signal: AbortSignal, gate = new PauseGate()): Promise<void> {
  let chain = Promise.resolve();
  const context: TailContext = {
    client,
    request,
    tuning: { ...DEFAULT_TAIL_TUNING, ...request.tuning },
    signal,
    gate,
    // Loops of several groups emit one batch at a time, and a slow consumer slows the reading down.
    emit: (events) => (chain = chain.then(() => handlers.onEvents(events))),
    status: (status) => handlers.onStatus?.(status),
    now: handlers.now ?? Date.now,
    sleep: (ms) => (handlers.sleep ?? sleep)(ms, signal),
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

