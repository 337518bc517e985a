/**
 * CloudWatch Logs for tails: where a service logs (from its task definition), the log groups to pick
 * from, and one function that streams a group's events, exactly once each, by StartLiveTail where the
 * endpoint has it and by overlapping FilterLogEvents polls otherwise.
 */
import {
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  type CloudWatchLogsClient,
  type LogGroup,
} from '@aws-sdk/client-cloudwatch-logs';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { LogEvent } from '../core/logs/events';
import { logTargetsFromContainers, streamMatches, type LogGroupTarget, type ServiceLogTargets } from '../core/logs/logConfiguration';
import { Backoff, DEFAULT_BACKOFF, DEFAULT_POLL_INTERVAL, PollInterval, type BackoffOptions, type PollIntervalOptions } from '../core/logs/pacing';
import { PauseGate } from '../core/logs/pauseGate';
import { PollCursor, type EventIdWindow, type PollQuery } from '../core/logs/pollCursor';
import { runPollQuery, type FilterPage } from '../core/logs/pollQuery';
import { classifyTailFailure } from '../core/logs/tailErrors';
import type { TailStatus } from '../core/logs/tailStatus';
import type { CallOptions } from './ecr';
import { paginate } from './paginate';
import { runLiveTail } from './logsLiveTail';

export type { LogEvent, LogGroupTarget, LogGroup, TailStatus };

// ---- Where a service logs -------------------------------------------------------------------

export interface ServiceLogSetup extends ServiceLogTargets {
  taskDefinitionArn: string;
}

/** A failure already phrased for the user (the service or its task definition is not there). */
export class LogSetupError extends Error {
  override name = 'LogSetupError';
}

/** Reads the service's current task definition (fresh: a deploy may just have changed it). */
export async function describeServiceLogTargets(ecs: ECSClient, cluster: string, service: string, options: CallOptions = {}): Promise<ServiceLogSetup> {
  const described = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }), { abortSignal: options.signal });
  const found = described.services?.find((s) => s.serviceName === service || s.serviceArn === service);
  if (!found || found.status === 'INACTIVE') {
    throw new LogSetupError(`Service "${service}" was not found in cluster "${cluster}".`);
  }
  if (!found.taskDefinition) throw new LogSetupError(`Service "${service}" has no task definition.`);
  const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: found.taskDefinition }), { abortSignal: options.signal });
  const containers = (td.taskDefinition?.containerDefinitions ?? []).map((c) => ({
    name: c.name,
    logConfiguration: c.logConfiguration ? { logDriver: c.logConfiguration.logDriver, options: c.logConfiguration.options } : undefined,
  }));
  return { taskDefinitionArn: found.taskDefinition, ...logTargetsFromContainers(containers) };
}

// ---- Log groups ----------------------------------------------------------------------------------

/**
 * Log groups, page by page, up to `max`; a prefix narrows the listing on the server. `onPage` sees
 * each page as it arrives, so a picker fills in while a large account is still being listed.
 */
export async function listLogGroups(
  logs: CloudWatchLogsClient,
  options: CallOptions & { prefix?: string; max?: number; onPage?: (groups: LogGroup[]) => void } = {},
): Promise<{ groups: LogGroup[]; truncated: boolean }> {
  const max = options.max ?? 5000;
  const groups: LogGroup[] = [];
  const pages = paginate(async (nextToken) => {
    const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: options.prefix || undefined, nextToken, limit: 50 }), { abortSignal: options.signal });
    return { items: out.logGroups ?? [], nextToken: out.nextToken };
  }, options.signal);
  for await (const page of pages) {
    groups.push(...page);
    options.onPage?.(page);
    if (groups.length >= max) return { groups: groups.slice(0, max), truncated: true };
  }
  return { groups, truncated: false };
}

/** The ARN StartLiveTail wants for a group name; ResourceNotFoundException when there is no such group. */
export async function logGroupArn(logs: CloudWatchLogsClient, logGroupName: string, options: CallOptions = {}): Promise<string> {
  const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName, limit: 50 }), { abortSignal: options.signal });
  const group = out.logGroups?.find((g) => g.logGroupName === logGroupName);
  const arn = group?.logGroupArn ?? group?.arn?.replace(/:\*$/, '');
  if (!arn) {
    const error = new Error(`The log group ${logGroupName} does not exist.`);
    error.name = 'ResourceNotFoundException';
    throw error;
  }
  return arn;
}

// ---- Tailing ---------------------------------------------------------------------------------------

export type TailMechanism = 'auto' | 'liveTail' | 'polling';

export interface TailTuning {
  overlapMs: number;
  maxRememberedIds: number;
  maxBufferedEvents: number;
  maxBufferedChars: number;
  poll: PollIntervalOptions;
  backoff: BackoffOptions;
  /** Failed attempts in a row a one-shot read tolerates before giving up (a follow never gives up). */
  maxReadRetries: number;
}

export const DEFAULT_TAIL_TUNING: TailTuning = {
  overlapMs: 15_000,
  maxRememberedIds: 50_000,
  maxBufferedEvents: 50_000,
  maxBufferedChars: 64 * 1024 * 1024,
  poll: DEFAULT_POLL_INTERVAL,
  backoff: DEFAULT_BACKOFF,
  maxReadRetries: 5,
};

export interface TailRequest {
  /** Groups in the client's region. */
  targets: LogGroupTarget[];
  startTime: number;
  /** Keep reading new events until aborted; otherwise read up to `endTime` (default: now) and return. */
  follow: boolean;
  endTime?: number;
  /** CloudWatch filter pattern syntax, passed to the API as it is. */
  filterPattern?: string;
  mechanism?: TailMechanism;
  tuning?: Partial<TailTuning>;
}

export interface TailHandlers {
  /** New events, in timestamp order within a call. The tail waits for a returned promise. */
  onEvents(events: LogEvent[]): void | Promise<void>;
  onStatus?(status: TailStatus): void;
  /** For tests: time and waiting. */
  now?(): number;
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** What the polling and live-tail loops share. */
export interface TailContext {
  client: CloudWatchLogsClient;
  request: TailRequest;
  tuning: TailTuning;
  signal: AbortSignal;
  gate: PauseGate;
  emit(events: LogEvent[]): Promise<void>;
  status(status: TailStatus): void;
  now(): number;
  sleep(ms: number): Promise<void>;
}

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
    sleep: (ms) => (handlers.sleep ?? abortableSleep)(ms, signal),
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

/** Drops events a live session already delivered, when polling takes over from one. */
export type DeliveredFilter = (events: LogEvent[]) => LogEvent[];

export async function pollTargets(context: TailContext, startTime: number, dedupe?: DeliveredFilter): Promise<void> {
  const { request } = context;
  const endTime = request.follow ? undefined : (request.endTime ?? context.now());
  if (request.follow) {
    await Promise.all(request.targets.map((target) => readGroup(context, target, { startTime, endTime }, dedupe)));
  } else {
    // A one-shot read goes group after group, so each group's events come out whole and in order.
    for (const target of request.targets) await readGroup(context, target, { startTime, endTime }, dedupe);
  }
}

function toLogEvent(target: LogGroupTarget, raw: { timestamp?: number; logStreamName?: string; message?: string; eventId?: string; ingestionTime?: number }): LogEvent {
  return {
    timestamp: raw.timestamp ?? 0,
    logStreamName: raw.logStreamName ?? '',
    message: raw.message ?? '',
    eventId: raw.eventId,
    ingestionTime: raw.ingestionTime,
    logGroupName: target.logGroupName,
  };
}

export function filterPageFetcher(context: TailContext, target: LogGroupTarget): (query: PollQuery, nextToken: string | undefined) => Promise<FilterPage> {
  const prefix = target.streamPrefixes?.length === 1 ? target.streamPrefixes[0] : undefined;
  return async (query, nextToken) => {
    const out = await context.client.send(
      new FilterLogEventsCommand({
        logGroupName: target.logGroupName,
        startTime: query.startTime,
        endTime: query.endTime,
        filterPattern: context.request.filterPattern || undefined,
        logStreamNamePrefix: prefix,
        nextToken,
      }),
      { abortSignal: context.signal },
    );
    return { events: (out.events ?? []).map((e) => toLogEvent(target, e)), nextToken: out.nextToken };
  };
}

/**
 * Reads one group: catches up slice by slice, then (follow) polls the live edge at an adaptive
 * interval. A failed query emitted nothing and is retried as it was; see PollCursor for the overlap.
 */
export async function readGroup(
  context: TailContext,
  target: LogGroupTarget,
  range: { startTime: number; endTime?: number; window?: EventIdWindow },
  dedupe?: DeliveredFilter,
): Promise<void> {
  const { tuning } = context;
  const follow = range.endTime === undefined;
  const cursor = new PollCursor({ ...tuning, startTime: range.startTime, endTime: range.endTime, window: range.window });
  const interval = new PollInterval(tuning.poll);
  const backoff = new Backoff(tuning.backoff);
  const fetchPage = filterPageFetcher(context, target);
  const emit = (events: LogEvent[]) => {
    const fresh = dedupe ? dedupe(events) : events;
    return fresh.length ? context.emit(fresh) : undefined;
  };
  const accept = (event: LogEvent) => streamMatches(target, event.logStreamName);
  while (!context.signal.aborted) {
    if (context.gate.paused) {
      context.status({ state: 'paused' });
      await context.gate.wait(context.signal);
      continue;
    }
    const query = cursor.plan(context.now());
    if (!query) return;
    try {
      const outcome = await runPollQuery(cursor, query, fetchPage, emit, { accept });
      backoff.reset();
      if (outcome.kind === 'overflowed' || !query.atLiveEdge) {
        context.status({ state: 'reading' });
        continue;
      }
      const wait = interval.afterPoll(outcome.emitted);
      context.status({ state: 'polling', intervalMs: wait });
      await context.sleep(wait);
    } catch (error) {
      const failure = classifyTailFailure(error);
      if (failure === 'aborted' || context.signal.aborted) return;
      if (failure === 'fatal' || (!follow && (failure === 'missingGroup' || backoff.consecutiveFailures >= tuning.maxReadRetries))) throw error;
      if (failure === 'throttled') {
        const delayMs = interval.afterThrottle();
        backoff.next();
        context.status({ state: 'throttled', delayMs });
        await context.sleep(delayMs);
      } else if (failure === 'missingGroup') {
        // A new service's group appears with its first task: keep looking, quietly.
        const delayMs = tuning.poll.maxMs;
        context.status({ state: 'waitingForGroup', logGroupName: target.logGroupName, delayMs });
        await context.sleep(delayMs);
      } else {
        const delayMs = backoff.next();
        context.status({ state: 'retrying', reason: error instanceof Error ? error.message : String(error), delayMs });
        await context.sleep(delayMs);
      }
    }
  }
}
