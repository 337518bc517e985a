/**
 * The polling half of a tail: overlapping FilterLogEvents queries per group, each event once, one poll
 * a second, with backoff on throttling and errors; a one-shot read stops at its budget and says so.
 * Live tail (logsLiveTail.ts) uses it for its backfills; logs.ts chooses between the two.
 *
 * API budget per followed group: 60 polls a minute, one in ten of them a sweep of the late window (a
 * wider start, not an extra call), so 60 FilterLogEvents calls a minute when idle; busy, each poll takes
 * one call per page (1 MB or 10,000 events): 54 x pages(15 s of events) + 6 x pages(5 min of events).
 */
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LogEvent } from '../core/logs/events';
import { streamMatches, type LogGroupTarget } from '../core/logs/logConfiguration';
import { Backoff, DEFAULT_BACKOFF, DEFAULT_POLL_INTERVAL, PollInterval, type BackoffOptions, type PollIntervalOptions } from '../core/logs/pacing';
import type { PauseGate } from '../core/logs/pauseGate';
import { PollCursor, type EventIdWindow, type PollQuery } from '../core/logs/pollCursor';
import { runPollQuery, type FilterPage } from '../core/logs/pollQuery';
import { DEFAULT_READ_BUDGET, type ReadBudget, type ReadBudgetOptions } from '../core/logs/readBudget';
import { classifyTailFailure } from '../core/logs/tailErrors';
import { failedCallText } from '../core/errors/awsErrors';
import type { TailStatus } from '../core/logs/tailStatus';

export type TailMechanism = 'auto' | 'liveTail' | 'polling';

export interface TailTuning {
  /** How far each poll reaches back for events that became visible a little late. */
  overlapMs: number;
  /** How late an event may become visible and still be shown by a follow (see PollCursor). */
  lateWindowMs: number;
  sweepEveryMs: number;
  maxRememberedIds: number;
  maxBufferedEvents: number;
  maxBufferedChars: number;
  poll: PollIntervalOptions;
  backoff: BackoffOptions;
  /** Failed attempts in a row a one-shot read tolerates before giving up (a follow never gives up). */
  maxReadRetries: number;
  /** What a one-shot read may spend before it stops with a note. */
  readBudget: ReadBudgetOptions;
}

export const DEFAULT_TAIL_TUNING: TailTuning = {
  overlapMs: 15_000,
  lateWindowMs: 300_000,
  sweepEveryMs: 10_000,
  maxRememberedIds: 50_000,
  maxBufferedEvents: 50_000,
  maxBufferedChars: 64 * 1024 * 1024,
  poll: DEFAULT_POLL_INTERVAL,
  backoff: DEFAULT_BACKOFF,
  maxReadRetries: 5,
  readBudget: DEFAULT_READ_BUDGET,
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
  sleep?(ms: number, signal: AbortSignal): Promise<unknown>;
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
  sleep(ms: number): Promise<unknown>;
  /** Per group, the earliest timestamp it can hold, when later than the request's start (logs.ts). */
  earliest?: ReadonlyMap<LogGroupTarget, number>;
  /** A one-shot read's spending limit; undefined in a follow. */
  budget?: ReadBudget;
}

/** Thrown by a page fetch when the one-shot read's budget is spent: the read ends with a note. */
class BudgetSpent extends Error {
  override name = 'BudgetSpent';
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
    for (const [index, target] of request.targets.entries()) {
      const stopped = await readGroup(context, target, { startTime, endTime }, dedupe);
      if (stopped) {
        context.status({ ...stopped, unreadGroups: request.targets.length - index - 1 });
        return;
      }
    }
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
    const spent = context.budget?.spend();
    if (spent) throw new BudgetSpent(spent);
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

/** A group that does not exist yet is looked for less often than the live edge is polled. */
const MISSING_GROUP_RETRY_MS = 5000;

type StoppedEarly = Omit<Extract<TailStatus, { state: 'stoppedEarly' }>, 'unreadGroups'>;

/**
 * Reads one group: catches up slice by slice, then (follow) polls the live edge once a second, the
 * wait measured from the start of the previous poll. A failed query emitted nothing and is retried as
 * it was; see PollCursor for the overlap and the late window. Returns how far it got when a one-shot
 * read's budget ran out.
 */
export async function readGroup(
  context: TailContext,
  target: LogGroupTarget,
  range: { startTime: number; endTime?: number; window?: EventIdWindow },
  dedupe?: DeliveredFilter,
): Promise<StoppedEarly | undefined> {
  const { tuning } = context;
  const follow = range.endTime === undefined;
  const startTime = Math.max(range.startTime, context.earliest?.get(target) ?? Number.NEGATIVE_INFINITY);
  const cursor = new PollCursor({ ...tuning, startTime, endTime: range.endTime, window: range.window });
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
    if (!query) return undefined;
    try {
      const outcome = await runPollQuery(cursor, query, fetchPage, emit, { accept });
      backoff.reset();
      if (outcome.kind === 'overflowed' || !query.atLiveEdge) {
        context.status({ state: 'reading' });
        continue;
      }
      const intervalMs = interval.afterPoll(outcome.emitted);
      context.status({ state: 'polling', intervalMs });
      // A steady cadence: the time the poll took is part of the interval, not added to it.
      await context.sleep(Math.max(0, intervalMs - (context.now() - query.plannedAt)));
    } catch (error) {
      if (error instanceof BudgetSpent) return { state: 'stoppedEarly', reason: error.message, logGroupName: target.logGroupName, shownFrom: startTime, shownUntil: cursor.readUntil };
      const failure = classifyTailFailure(error);
      if (failure === 'aborted' || context.signal.aborted) return undefined;
      if (failure === 'fatal' || (!follow && (failure === 'missingGroup' || backoff.consecutiveFailures >= tuning.maxReadRetries))) throw error;
      if (failure === 'throttled') {
        const delayMs = interval.afterThrottle();
        backoff.next();
        context.status({ state: 'throttled', delayMs });
        await context.sleep(delayMs);
      } else if (failure === 'missingGroup') {
        // A new service's group appears with its first task: keep looking, quietly.
        const delayMs = MISSING_GROUP_RETRY_MS;
        context.status({ state: 'waitingForGroup', logGroupName: target.logGroupName, delayMs });
        await context.sleep(delayMs);
      } else {
        const delayMs = backoff.next();
        // One line, the operation named: never the SDK's "inspect the hidden field" paragraph about an HTML page.
        context.status({ state: 'retrying', reason: failedCallText(error), delayMs });
        await context.sleep(delayMs);
      }
    }
  }
  return undefined;
}
