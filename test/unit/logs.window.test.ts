import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { LogEvent } from '../../src/core/logs/events';
import { LiveMerge } from '../../src/core/logs/liveMerge';
import { PollCursor } from '../../src/core/logs/pollCursor';
import { runPollQuery } from '../../src/core/logs/pollQuery';
import { TimeIndexedMap } from '../../src/core/logs/timeIndex';

const event = (timestamp: number, eventId?: string, message = 'm', logStreamName = 's'): LogEvent => ({ timestamp, eventId, message, logStreamName });
const options = { overlapMs: 10_000, maxRememberedIds: 1000, maxBufferedEvents: 1000, maxBufferedChars: 1e9 };

describe('poll cursor', () => {
  it('reaches back by the overlap at the live edge, but not for ranges long past', () => {
    const cursor = new PollCursor({ ...options, startTime: 0 });
    const first = cursor.plan(1_000_000)!;
    assert.deepEqual([first.startTime, first.endTime, first.atLiveEdge], [0, 1_000_000, true]);
    cursor.completed(first, 0);
    const second = cursor.plan(1_002_000)!;
    assert.deepEqual([second.startTime, second.endTime], [990_000, 1_002_000]);

    const oneShot = new PollCursor({ ...options, startTime: 0, endTime: 5000 });
    const only = oneShot.plan(1_000_000)!;
    assert.deepEqual([only.startTime, only.endTime, only.atLiveEdge], [0, 5000, false]);
    oneShot.completed(only, 0);
    assert.equal(oneShot.plan(1_000_001), undefined);
    assert.ok(oneShot.done);
  });

  it('sweeps the late window every sweepEveryMs, reaching back from the previous sweep, and keeps the ids that far back', async () => {
    const late = { ...options, lateWindowMs: 300_000, sweepEveryMs: 10_000 };
    const cursor = new PollCursor({ ...late, startTime: 0 });
    const t0 = 1_000_000;
    const first = cursor.plan(t0)!;
    assert.deepEqual([first.startTime, first.endTime, first.sweep], [0, t0, false]);
    await runPollQuery(cursor, first, async () => ({ events: [event(t0 - 200_000, 'old')] }), () => undefined);
    const edge = cursor.plan(t0 + 1000)!;
    assert.deepEqual([edge.startTime, edge.sweep], [t0 - 10_000, false]);
    cursor.completed(edge, 0);
    // Ten seconds on: the sweep reaches back 5 minutes from when the tail started.
    const sweep = cursor.plan(t0 + 10_000)!;
    assert.deepEqual([sweep.startTime, sweep.endTime, sweep.sweep], [t0 - 300_000, t0 + 10_000, true]);
    const emitted: LogEvent[] = [];
    // The sweep returns the event read before (its id is remembered) and one that became visible late.
    await runPollQuery(cursor, sweep, async () => ({ events: [event(t0 - 200_000, 'old'), event(t0 - 250_000, 'late')] }), (e) => void emitted.push(...e));
    assert.deepEqual(emitted.map((e) => e.eventId), ['late']);
    assert.ok(cursor.window.floor <= t0 + 10_000 - 300_000, 'ids are kept as far back as the next sweep reaches');
    const next = cursor.plan(t0 + 15_000)!;
    assert.equal(next.sweep, false);
    cursor.completed(next, 0);
    // A sweep held up (throttling) still starts where the previous one reached: no gap.
    const delayed = cursor.plan(t0 + 60_000)!;
    assert.deepEqual([delayed.startTime, delayed.sweep], [t0 + 10_000 - 300_000, true]);
  });

  it('does not sweep in a one-shot read, and reads a start in 1970 in a dozen slices, not 1,470', async () => {
    const cursor = new PollCursor({ ...options, lateWindowMs: 300_000, sweepEveryMs: 10_000, startTime: 5000, endTime: Date.UTC(2026, 11, 2) });
    let queries = 0;
    for (let query = cursor.plan(Date.UTC(2026, 11, 2)); query; query = cursor.plan(Date.UTC(2026, 11, 2))) {
      assert.equal(query.sweep, false);
      await runPollQuery(cursor, query, async () => ({ events: [] }), () => undefined);
      queries++;
    }
    assert.ok(queries <= 12, `${queries} queries`);
  });

  it('catches up in slices after an overflow, down to one-millisecond streamed pages', () => {
    const cursor = new PollCursor({ ...options, startTime: 0, endTime: 4000, maxBufferedEvents: 3 });
    const whole = cursor.plan(10_000)!;
    cursor.overflowed(whole);
    const quarter = cursor.plan(10_000)!;
    assert.deepEqual([quarter.startTime, quarter.endTime], [0, 999]);
    for (let i = 0; i < 20; i++) cursor.overflowed(cursor.plan(10_000)!);
    const single = cursor.plan(10_000)!;
    assert.equal(single.startTime, single.endTime);
    assert.ok(single.streamPages);
  });

  it('keeps at most maxRememberedIds ids, forgetting whole oldest timestamps, and never queries below what it forgot', async () => {
    const cursor = new PollCursor({ ...options, startTime: 0, maxRememberedIds: 10 });
    const query = cursor.plan(100)!;
    const events = Array.from({ length: 50 }, (_, i) => event(i * 2, `id${i}`));
    await runPollQuery(cursor, query, async () => ({ events }), () => undefined);
    assert.ok(cursor.window.ids.size <= 10, `remembered ${cursor.window.ids.size}`);
    assert.ok(cursor.plan(101)!.startTime >= cursor.window.floor);
    assert.ok(cursor.window.floor > 0);
  });

  it('emits a failed query\'s events only once, when its retry completes', async () => {
    const cursor = new PollCursor({ ...options, startTime: 0 });
    const emitted: LogEvent[][] = [];
    const pages = [{ events: [event(5, 'b'), event(1, 'a')], nextToken: 'p2' }, { events: [event(3, 'c')] }];
    let failOnce = true;
    const fetch = async (_q: unknown, token?: string) => {
      if (token === 'p2' && failOnce) {
        failOnce = false;
        throw new Error('socket hang up');
      }
      return token ? pages[1] : pages[0];
    };
    await assert.rejects(runPollQuery(cursor, cursor.plan(10)!, fetch, (e: LogEvent[]) => void emitted.push(e)));
    assert.equal(emitted.length, 0);
    const outcome = await runPollQuery(cursor, cursor.plan(11)!, fetch, (e: LogEvent[]) => void emitted.push(e));
    assert.deepEqual(outcome, { kind: 'completed', fetched: 3, emitted: 3 });
    assert.deepEqual(emitted.flat().map((e) => e.eventId), ['a', 'c', 'b']);
  });

  it('stops paging when the endpoint repeats a token', async () => {
    const cursor = new PollCursor({ ...options, startTime: 0 });
    let calls = 0;
    await runPollQuery(cursor, cursor.plan(10)!, async () => ({ events: [event(1, `x${++calls}`)], nextToken: 'same' }), () => undefined);
    assert.equal(calls, 2);
  });
});

describe('time-indexed map', () => {
  it('prunes by time and by size, whole timestamps at a time', () => {
    const map = new TimeIndexedMap<number>();
    for (const [key, ts] of [['a', 5], ['b', 1], ['c', 3], ['d', 3], ['e', 9]] as const) map.set(key, ts, ts);
    map.pruneBelow(3);
    assert.deepEqual(['a', 'b', 'c', 'd', 'e'].filter((k) => map.has(k)), ['a', 'c', 'd', 'e']);
    assert.equal(map.pruneToSize(2), 4);
    assert.deepEqual(['a', 'c', 'd', 'e'].filter((k) => map.has(k)), ['a', 'e']);
    assert.equal(map.pruneToSize(1), 6);
    assert.deepEqual(['a', 'e'].filter((k) => map.has(k)), ['e']);
    assert.equal(map.pruneToSize(5), undefined);
  });
});

describe('live merge', () => {
  it('delivers each event once whichever source sees it first', () => {
    const merge = new LiveMerge(1000);
    const a = event(10, undefined, 'hello');
    assert.deepEqual(merge.filter('backfill', [{ ...a, eventId: '1' }]).length, 1);
    assert.deepEqual(merge.filter('live', [a]), []);
    const b = event(11, undefined, 'later');
    assert.equal(merge.filter('live', [b]).length, 1);
    assert.equal(merge.filter('backfill', [{ ...b, eventId: '2' }]).length, 0);
  });

  it('counts identical events: two identical lines are two events, from either source', () => {
    const merge = new LiveMerge(1000);
    const same = event(10, undefined, 'GET /healthz 200');
    assert.equal(merge.filter('live', [same]).length, 1);
    // The backfill saw both identical events (the live session only one): the second is new.
    assert.equal(merge.filter('backfill', [{ ...same, eventId: '1' }, { ...same, eventId: '2' }]).length, 1);
    assert.equal(merge.filter('live', [same]).length, 0);
    assert.equal(merge.filter('live', [same]).length, 1);
  });

  it('tells events apart by group, stream, timestamp and message', () => {
    const merge = new LiveMerge(1000);
    const base = event(10, undefined, 'x');
    const variants = [base, { ...base, logStreamName: 't' }, { ...base, timestamp: 11 }, { ...base, message: 'y' }, { ...base, logGroupName: 'other' }];
    assert.equal(merge.filter('live', variants).length, 5);
  });

  it('stays bounded: forgets old keys and caps the rest, raising its floor', () => {
    const merge = new LiveMerge(100);
    for (let i = 0; i < 500; i++) merge.offer('live', event(i, undefined, `m${i}`));
    merge.forgetBelow(200);
    assert.equal(merge.size, 300);
    merge.enforceCap();
    assert.ok(merge.size <= 100);
    assert.ok(merge.floor >= 400);
  });
});
