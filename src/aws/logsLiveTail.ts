/**
 * StartLiveTail sessions for a tail, with what live tail itself lacks for an exact tail: history before
 * the session and the gap across a reconnect are read with FilterLogEvents and joined by LiveMerge.
 * Sessions end after three hours, on network errors and on pause; each reconnect backfills from a
 * little before the previous session stopped delivering. When live tail cannot serve the tail (the
 * endpoint lacks it, the principal may not use it, or the session samples because the group writes
 * more than live tail delivers), the tail is handed to polling without a gap.
 */
import { StartLiveTailCommand, type LiveTailSessionLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { isErrorNamed } from '../core/errors/named';
import { sortByTimestamp, type LogEvent } from '../core/logs/events';
import { LiveMerge } from '../core/logs/liveMerge';
import { streamMatches, type LogGroupTarget } from '../core/logs/logConfiguration';
import { Backoff } from '../core/logs/pacing';
import { EventIdWindow } from '../core/logs/pollCursor';
import { classifyTailFailure, failureReason, liveTailUnavailable } from '../core/logs/tailErrors';
import { logGroupArn } from './logGroups';
import { readGroup, type DeliveredFilter, type TailContext } from './logsPolling';

export type LiveTailOutcome = { kind: 'done' } | { kind: 'poll'; reason: string; resumeFrom: number; dedupe?: DeliveredFilter };

const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

export async function runLiveTail(context: TailContext): Promise<LiveTailOutcome> {
  const { request, tuning, signal } = context;
  const mechanism = request.mechanism ?? 'auto';
  const merge = new LiveMerge(tuning.maxRememberedIds);
  const prune = () => {
    merge.forgetBelow(context.now() - tuning.overlapMs);
    merge.enforceCap();
  };
  const dedupeBackfill: DeliveredFilter = (events) => {
    const fresh = merge.filter('backfill', events);
    prune();
    return fresh;
  };
  const backfillWindows = new Map<LogGroupTarget, EventIdWindow>(request.targets.map((t) => [t, new EventIdWindow()]));

  const targetByArn = new Map<string, LogGroupTarget>();
  try {
    for (const target of request.targets) targetByArn.set(await logGroupArn(context.client, target.logGroupName, { signal }), target);
  } catch (error) {
    if (signal.aborted) return { kind: 'done' };
    if (mechanism === 'auto') return { kind: 'poll', reason: message(error), resumeFrom: request.startTime };
    throw error;
  }
  const single = request.targets.length === 1 ? request.targets[0] : undefined;
  const targetOf = (identifier: string | undefined) => targetByArn.get((identifier ?? '').replace(/:\*$/, '')) ?? single;
  const toEvent = (raw: LiveTailSessionLogEvent, target: LogGroupTarget): LogEvent => ({
    timestamp: raw.timestamp ?? 0,
    logStreamName: raw.logStreamName ?? '',
    message: raw.message ?? '',
    ingestionTime: raw.ingestionTime,
    logGroupName: target.logGroupName,
  });

  // Everything from here on has not been delivered by any source yet.
  let pendingFrom = request.startTime;
  let everStarted = false;
  const backoff = new Backoff(tuning.backoff);

  const backfill = async () => {
    const endTime = context.now();
    for (const target of request.targets) {
      const window = backfillWindows.get(target)!;
      await readGroup(context, target, { startTime: Math.max(pendingFrom, merge.floor), endTime, window }, dedupeBackfill);
    }
  };

  while (!signal.aborted) {
    if (context.gate.paused) {
      context.status({ state: 'paused' });
      await context.gate.wait(signal);
      continue;
    }
    const session = new AbortController();
    const endSession = () => session.abort();
    signal.addEventListener('abort', endSession, { once: true });
    const stopListening = context.gate.onPause(endSession);
    let delivering = false;
    let delayMs = 0;
    let reason = 'the session ended';
    try {
      const response = await context.client.send(
        new StartLiveTailCommand({
          logGroupIdentifiers: [...targetByArn.keys()],
          logStreamNamePrefixes: single?.streamPrefixes,
          logEventFilterPattern: request.filterPattern || undefined,
        }),
        { abortSignal: session.signal },
      );
      for await (const frame of response.responseStream ?? []) {
        if (frame.sessionStart) {
          everStarted = true;
          // Frames wait while the backfill runs: history comes out first, and a slow backfill
          // slows the session down instead of piling its frames up in memory.
          await backfill();
          prune();
          delivering = true;
          backoff.reset();
          context.status({ state: 'live' });
        } else if (frame.sessionUpdate) {
          if (frame.sessionUpdate.sessionMetadata?.sampled && mechanism === 'auto') {
            session.abort();
            return {
              kind: 'poll',
              reason: 'live tail is sampling this group (more events than it delivers), so polling takes over to keep every event',
              resumeFrom: Math.max(merge.floor, context.now() - tuning.overlapMs),
              dedupe: dedupeBackfill,
            };
          }
          const events: LogEvent[] = [];
          for (const raw of frame.sessionUpdate.sessionResults ?? []) {
            const target = targetOf(raw.logGroupIdentifier);
            if (target && streamMatches(target, raw.logStreamName ?? '')) events.push(toEvent(raw, target));
          }
          const fresh = merge.filter('live', sortByTimestamp(events));
          if (fresh.length) await context.emit(fresh);
          prune();
        } else if (frame.SessionTimeoutException) {
          reason = 'the session reached its maximum duration';
          break;
        } else if (frame.SessionStreamingException) {
          throw Object.assign(new Error(frame.SessionStreamingException.message ?? 'live tail stream error'), { name: 'SessionStreamingException' });
        }
      }
    } catch (error) {
      if (signal.aborted) return { kind: 'done' };
      if (!(session.signal.aborted && context.gate.paused) && !isErrorNamed(error, 'SessionTimeoutException')) {
        if (!everStarted && mechanism === 'auto' && liveTailUnavailable(error)) {
          return { kind: 'poll', reason: `live tail is not available here (${failureReason(error)})`, resumeFrom: pendingFrom };
        }
        const failure = isErrorNamed(error, 'SessionStreamingException') ? 'transient' : classifyTailFailure(error);
        if (failure === 'fatal') throw error;
        reason = message(error);
        delayMs = backoff.next();
      }
    } finally {
      signal.removeEventListener('abort', endSession);
      stopListening();
    }
    if (signal.aborted) break;
    // The next session's backfill starts a little before this one stopped delivering; a session that
    // never delivered leaves the earlier gap open.
    if (delivering) pendingFrom = Math.max(merge.floor, context.now() - tuning.overlapMs);
    if (!context.gate.paused) {
      context.status({ state: 'reconnecting', reason, delayMs });
      if (delayMs) await context.sleep(delayMs);
    }
  }
  return { kind: 'done' };
}
