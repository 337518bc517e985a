/**
 * The overlap/dedupe logic of polling against a simulated FilterLogEvents: events become visible late
 * (up to the overlap, or up to the late window that sweeps cover) and in random order, the endpoint returns a query's events shuffled and cut into
 * random pages, and fetches fail half-way through. Whatever happens, every event is delivered exactly
 * once and every batch comes out in timestamp order.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { LogEvent } from '../../src/core/logs/events';
import { PollCursor, type PollCursorOptions } from '../../src/core/logs/pollCursor';
import { runPollQuery } from '../../src/core/logs/pollQuery';
import { seededRandom } from '../support/seededRandom';

interface SimEvent extends LogEvent {
  eventId: string;
  visibleAt: number;
}

interface Scenario {
  events: SimEvent[];
  overlapMs: number;
  maxStepMs: number;
  failureRate: number;
  seed: number;
  cursor: Omit<PollCursorOptions, 'startTime' | 'overlapMs'>;
}

interface Outcome {
  delivered: SimEvent[];
  batches: SimEvent[][];
}

async function simulate(scenario: Scenario): Promise<Outcome> {
  const rand = seededRandom(scenario.seed);
  const cursor = new PollCursor({ ...scenario.cursor, startTime: 0, overlapMs: scenario.overlapMs });
  const delivered: SimEvent[] = [];
  const batches: SimEvent[][] = [];
  // Done once a sweep period (and one step) has passed since the last event became visible.
  const settled = Math.max(0, ...scenario.events.map((e) => e.visibleAt)) + (scenario.cursor.sweepEveryMs ?? 0) + scenario.maxStepMs;
  let now = 0;
  let liveEdgePollsAfterEnd = 0;
  for (let iteration = 0; iteration < 200_000 && liveEdgePollsAfterEnd < 3; iteration++) {
    const query = cursor.plan(now)!;
    const queriedAt = now;
    // What the endpoint holds for this query at this moment, in an order of its own, cut into pages.
    const matching = scenario.events.filter((e) => e.timestamp >= query.startTime && e.timestamp <= query.endTime && e.visibleAt <= queriedAt);
    const shuffled = [...matching].sort(() => rand() - 0.5);
    const pages: SimEvent[][] = [];
    for (let i = 0; i < shuffled.length; ) {
      const size = 1 + Math.floor(rand() * 7);
      pages.push(shuffled.slice(i, i + size));
      i += size;
    }
    if (pages.length === 0) pages.push([]);
    try {
      const outcome = await runPollQuery(
        cursor,
        query,
        async (_q, token) => {
          if (rand() < scenario.failureRate) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
          const index = token === undefined ? 0 : Number(token);
          return { events: pages[index], nextToken: index + 1 < pages.length ? String(index + 1) : undefined };
        },
        (events) => {
          batches.push(events as SimEvent[]);
          delivered.push(...(events as SimEvent[]));
        },
      );
      if (outcome.kind === 'completed' && query.atLiveEdge) {
        if (now > settled) liveEdgePollsAfterEnd++;
        now += 1 + Math.floor(rand() * scenario.maxStepMs);
      }
    } catch {
      now += Math.floor(rand() * 3);
    }
  }
  return { delivered, batches };
}

const eventArbitrary = (maxLagMs: number) =>
  fc.record({
    timestamp: fc.integer({ min: 0, max: 400 }),
    stream: fc.constantFrom('ecs/app/a1', 'ecs/app/b2', 'ecs/app/c3'),
    // Identical messages on purpose: only the eventId tells these events apart.
    message: fc.constantFrom('GET /healthz 200', 'GET /healthz 200', 'boom\n  at line 1'),
    lag: fc.integer({ min: 0, max: maxLagMs }),
  });

function toSimEvents(raw: Array<{ timestamp: number; stream: string; message: string; lag: number }>): SimEvent[] {
  return raw.map((r, i) => ({ eventId: `id-${i}`, timestamp: r.timestamp, logStreamName: r.stream, message: r.message, visibleAt: r.timestamp + r.lag }));
}

function assertExactlyOnce(events: SimEvent[], outcome: Outcome): void {
  const counts = new Map<string, number>();
  for (const e of outcome.delivered) counts.set(e.eventId, (counts.get(e.eventId) ?? 0) + 1);
  const doubled = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  const lost = events.filter((e) => !counts.has(e.eventId)).map((e) => e.eventId);
  assert.deepEqual({ lost, doubled }, { lost: [], doubled: [] });
  for (const batch of outcome.batches) {
    for (let i = 1; i < batch.length; i++) assert.ok(batch[i - 1].timestamp <= batch[i].timestamp, 'a batch is in timestamp order');
  }
}

describe('poll overlap and eventId dedupe (property)', () => {
  it('never loses or doubles an event that becomes visible within the overlap, whatever the page boundaries, arrival order and failures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 5, max: 80 }).chain((overlapMs) =>
          fc.record({
            overlapMs: fc.constant(overlapMs),
            raw: fc.array(eventArbitrary(overlapMs), { maxLength: 150 }),
            maxStepMs: fc.integer({ min: 1, max: 120 }),
            failureRate: fc.constantFrom(0, 0.1, 0.3),
            seed: fc.integer(),
          }),
        ),
        async ({ overlapMs, raw, maxStepMs, failureRate, seed }) => {
          const events = toSimEvents(raw);
          const outcome = await simulate({
            events,
            overlapMs,
            maxStepMs,
            failureRate,
            seed,
            cursor: { maxRememberedIds: 100_000, maxBufferedEvents: 100_000, maxBufferedChars: 1e9 },
          });
          assertExactlyOnce(events, outcome);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never loses or doubles an event that becomes visible within the late window, found by the sweeps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ overlapMs: fc.integer({ min: 0, max: 30 }), lateWindowMs: fc.integer({ min: 31, max: 400 }), sweepEveryMs: fc.integer({ min: 1, max: 100 }) }).chain((windows) =>
          fc.record({
            windows: fc.constant(windows),
            raw: fc.array(eventArbitrary(windows.lateWindowMs), { maxLength: 150 }),
            maxStepMs: fc.integer({ min: 1, max: 60 }),
            failureRate: fc.constantFrom(0, 0.1, 0.3),
            seed: fc.integer(),
          }),
        ),
        async ({ windows, raw, maxStepMs, failureRate, seed }) => {
          const events = toSimEvents(raw);
          const outcome = await simulate({
            events,
            overlapMs: windows.overlapMs,
            maxStepMs,
            failureRate,
            seed,
            cursor: { lateWindowMs: windows.lateWindowMs, sweepEveryMs: windows.sweepEveryMs, maxRememberedIds: 100_000, maxBufferedEvents: 100_000, maxBufferedChars: 1e9 },
          });
          assertExactlyOnce(events, outcome);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stays exact with tiny memory caps (buffer overflow, one-millisecond slices, forgotten ids), delivering in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          raw: fc.array(eventArbitrary(0), { maxLength: 150 }),
          overlapMs: fc.integer({ min: 0, max: 60 }),
          maxStepMs: fc.integer({ min: 1, max: 120 }),
          failureRate: fc.constantFrom(0, 0.2),
          seed: fc.integer(),
          maxRememberedIds: fc.integer({ min: 1, max: 40 }),
          maxBufferedEvents: fc.integer({ min: 1, max: 25 }),
        }),
        async ({ raw, overlapMs, maxStepMs, failureRate, seed, maxRememberedIds, maxBufferedEvents }) => {
          const events = toSimEvents(raw);
          const outcome = await simulate({ events, overlapMs, maxStepMs, failureRate, seed, cursor: { maxRememberedIds, maxBufferedEvents, maxBufferedChars: 1e9 } });
          assertExactlyOnce(events, outcome);
          for (let i = 1; i < outcome.delivered.length; i++) {
            assert.ok(outcome.delivered[i - 1].timestamp <= outcome.delivered[i].timestamp, 'events that arrive on time come out in order');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
