/**
 * The tail's reactions to what moto cannot produce, with aws-sdk-client-mock scripting the client:
 * moto 5.2.1 answers HTTP 500 to StartLiveTail (so live-tail frames, session ends and reconnects exist
 * only here), never throttles, and never drops a connection in the middle of a page. FilterLogEvents is
 * answered by a small in-memory group that pages by two events, so backfills and polls are real reads.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  StartLiveTailCommand,
  type FilterLogEventsCommandInput,
  type StartLiveTailResponseStream,
} from '@aws-sdk/client-cloudwatch-logs';
import { tailLogGroups, type TailRequest, type TailStatus } from '../../src/aws/logs';
import type { LogEvent } from '../../src/core/logs/events';
import { PauseGate } from '../../src/core/logs/pauseGate';

const GROUP = '/ecs/mcp-server-production';
const ARN = `arn:aws:logs:us-east-1:123456789012:log-group:${GROUP}`;
const STREAM = 'ecs/mcp-server/0123456789abcdef';

interface StoredEvent {
  eventId: string;
  timestamp: number;
  logStreamName: string;
  message: string;
}

/** A log group as FilterLogEvents shows it: inclusive time range, prefix, two events per page. */
class FakeGroup {
  events: StoredEvent[] = [];
  calls: FilterLogEventsCommandInput[] = [];
  /** Thrown (once each) by the next FilterLogEvents calls that ask for a later page / any page. */
  failOnNextPage: Error[] = [];
  failOnAnyCall: Error[] = [];

  put(timestamp: number, message: string, logStreamName = STREAM): StoredEvent {
    const event = { eventId: `e${this.events.length}`, timestamp, logStreamName, message };
    this.events.push(event);
    return event;
  }

  answer(input: FilterLogEventsCommandInput) {
    this.calls.push(input);
    if (this.failOnAnyCall.length) throw this.failOnAnyCall.shift();
    if (input.nextToken && this.failOnNextPage.length) throw this.failOnNextPage.shift();
    const matching = this.events
      .filter((e) => e.timestamp >= (input.startTime ?? 0) && e.timestamp <= (input.endTime ?? Infinity))
      .filter((e) => !input.logStreamNamePrefix || e.logStreamName.startsWith(input.logStreamNamePrefix))
      .sort((a, b) => a.timestamp - b.timestamp);
    const offset = Number(input.nextToken ?? 0);
    const page = matching.slice(offset, offset + 2);
    return { events: page, nextToken: offset + 2 < matching.length ? String(offset + 2) : undefined };
  }
}

/** One live-tail session whose frames the test pushes. */
class FakeSession {
  private queue: Array<StartLiveTailResponseStream | Error | 'end'> = [];
  private wake: (() => void) | undefined;

  push(...frames: Array<StartLiveTailResponseStream | Error | 'end'>): void {
    this.queue.push(...frames);
    this.wake?.();
  }

  /** Ends like the SDK's stream does when the request's abortSignal fires (on pause or stop). */
  async *stream(signalOf: () => AbortSignal | undefined): AsyncGenerator<StartLiveTailResponseStream> {
    const signal = signalOf();
    for (;;) {
      while (this.queue.length === 0) {
        if (signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          signal?.addEventListener('abort', () => resolve(), { once: true });
        });
      }
      const next = this.queue.shift()!;
      if (next === 'end') return;
      if (next instanceof Error) throw next;
      yield next;
    }
  }
}

const start = (): StartLiveTailResponseStream => ({ sessionStart: { sessionId: 's' } });
const update = (events: Array<{ timestamp: number; message: string; logStreamName?: string }>, sampled = false): StartLiveTailResponseStream => ({
  sessionUpdate: {
    sessionMetadata: { sampled },
    sessionResults: events.map((e) => ({ logGroupIdentifier: ARN, logStreamName: e.logStreamName ?? STREAM, timestamp: e.timestamp, message: e.message, ingestionTime: e.timestamp + 1 })),
  },
});
const timeout = (): StartLiveTailResponseStream => ({ SessionTimeoutException: Object.assign(new Error('3 hours'), { name: 'SessionTimeoutException' }) } as unknown as StartLiveTailResponseStream);

/** Resolves when `predicate` holds, checking after every turn of the event loop. */
async function until(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 5000; i++) {
    if (predicate()) return;
    await new Promise((r) => setImmediate(r));
  }
  assert.fail(`timed out waiting for: ${what}`);
}

describe('log tail with a scripted CloudWatch Logs client', () => {
  const client = new CloudWatchLogsClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const mock = mockClient(client);
  let group: FakeGroup;
  let sessions: FakeSession[];
  let liveTailCalls: number;
  let clock: number;
  let delivered: LogEvent[];
  let statuses: TailStatus[];
  let abort: AbortController;

  beforeEach(() => {
    mock.reset();
    group = new FakeGroup();
    sessions = [];
    liveTailCalls = 0;
    clock = 1_000_000;
    delivered = [];
    statuses = [];
    abort = new AbortController();
    mock.on(FilterLogEventsCommand).callsFake((input: FilterLogEventsCommandInput) => group.answer(input));
    mock.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: GROUP, logGroupArn: ARN, arn: `${ARN}:*` }] });
    mock.on(StartLiveTailCommand).callsFake(() => {
      const index = liveTailCalls++;
      const session = sessions[index];
      if (!session) throw Object.assign(new Error('no more sessions scripted'), { name: 'AccessDeniedException' });
      // The stream is read after send() returned, when the call (with its abortSignal) is recorded.
      const signalOf = () => ((mock.commandCalls(StartLiveTailCommand)[index].args as unknown[])[1] as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
      return { responseStream: session.stream(signalOf) };
    });
  });
  afterEach(() => abort.abort());

  function run(request: Partial<TailRequest>, gate?: PauseGate): Promise<void> {
    return tailLogGroups(
      client,
      { targets: [{ logGroupName: GROUP, streamPrefixes: ['ecs/mcp-server/'], containers: ['mcp-server'] }], startTime: 0, follow: true, ...request },
      {
        onEvents: (events) => void delivered.push(...events),
        onStatus: (status) => void statuses.push(status),
        now: () => clock,
        // Waiting moves the clock instead of taking time.
        sleep: async (ms) => {
          clock += ms;
          await new Promise((r) => setImmediate(r));
        },
      },
      abort.signal,
      gate,
    );
  }

  const messages = () => delivered.map((e) => e.message);

  /** The next `count` StartLiveTail calls get these sessions, in order. */
  function scriptSessions(count: number): FakeSession[] {
    const scripted = Array.from({ length: count }, () => new FakeSession());
    sessions.push(...scripted);
    return scripted;
  }

  it('delivers history first, then live-tail frames, each event once, dropping streams of other containers', async () => {
    group.put(clock - 5000, 'history 1');
    group.put(clock - 4000, 'history 2');
    group.put(clock - 3000, 'history 3');
    const [session] = scriptSessions(1);
    const tail = run({});
    session.push(start());
    await until(() => delivered.length === 3, 'history');
    // The live session also reports an event the backfill already read (it arrived in between).
    session.push(update([{ timestamp: clock - 3000, message: 'history 3' }, { timestamp: clock + 10, message: 'live 1' }, { timestamp: clock + 11, message: 'sidecar', logStreamName: 'ecs/sidecar/1' }]));
    session.push(update([{ timestamp: clock + 20, message: 'live 2\n  multi-line' }]));
    await until(() => delivered.length === 5, 'live events');
    assert.deepEqual(messages(), ['history 1', 'history 2', 'history 3', 'live 1', 'live 2\n  multi-line']);
    assert.ok(statuses.some((s) => s.state === 'live'));
    const request = mock.commandCalls(StartLiveTailCommand)[0].args[0].input;
    assert.deepEqual(request, { logGroupIdentifiers: [ARN], logStreamNamePrefixes: ['ecs/mcp-server/'], logEventFilterPattern: undefined });
    abort.abort();
    await tail;
  });

  it('reconnects when a session ends and backfills the gap, so nothing is lost or doubled across the reconnect', async () => {
    const [first, second] = scriptSessions(2);
    const tail = run({ startTime: clock });
    first.push(start());
    group.put(clock + 100, 'before end');
    first.push(update([{ timestamp: clock + 100, message: 'before end' }]));
    await until(() => delivered.length === 1, 'first session event');
    clock += 1000;
    // The session reaches its three hours; events written before the next session are only in the group.
    first.push(timeout());
    await until(() => liveTailCalls === 2, 'reconnect');
    group.put(clock + 10, 'in the gap 1');
    group.put(clock + 20, 'in the gap 2');
    clock += 100;
    second.push(start());
    await until(() => delivered.length === 3, 'gap backfill');
    group.put(clock + 10, 'after reconnect');
    second.push(update([{ timestamp: clock - 80, message: 'in the gap 2' }, { timestamp: clock + 10, message: 'after reconnect' }]));
    await until(() => delivered.length === 4, 'second session event');
    assert.deepEqual(messages(), ['before end', 'in the gap 1', 'in the gap 2', 'after reconnect']);
    assert.ok(statuses.some((s) => s.state === 'reconnecting' && /maximum duration/.test(s.reason)));
    abort.abort();
    await tail;
  });

  it('reconnects with backoff after a network error in the middle of a session', async () => {
    const [first, second] = scriptSessions(2);
    const tail = run({ startTime: clock });
    first.push(start(), update([{ timestamp: clock + 1, message: 'one' }]));
    group.put(clock + 1, 'one');
    await until(() => delivered.length === 1, 'first event');
    group.put(clock + 2, 'lost with the connection');
    first.push(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    await until(() => liveTailCalls === 2, 'reconnect');
    second.push(start());
    await until(() => delivered.length === 2, 'backfilled event');
    assert.deepEqual(messages(), ['one', 'lost with the connection']);
    const reconnect = statuses.find((s) => s.state === 'reconnecting');
    assert.ok(reconnect && reconnect.state === 'reconnecting' && reconnect.delayMs > 0 && /ECONNRESET/.test(reconnect.reason));
    abort.abort();
    await tail;
  });

  it('hands over to polling without a gap when the session starts sampling', async () => {
    const [session] = scriptSessions(1);
    const tail = run({ startTime: clock });
    session.push(start());
    group.put(clock + 1, 'a');
    session.push(update([{ timestamp: clock + 1, message: 'a' }]));
    await until(() => delivered.length === 1, 'first event');
    group.put(clock + 2, 'b');
    group.put(clock + 3, 'c');
    session.push(update([{ timestamp: clock + 2, message: 'b' }], true));
    await until(() => delivered.length === 3, 'polling takes over');
    assert.deepEqual(messages(), ['a', 'b', 'c']);
    assert.ok(statuses.some((s) => s.state === 'fallback' && /sampling/.test(s.reason)));
    abort.abort();
    await tail;
  });

  it('polls instead when the endpoint has no live tail (as moto answers: HTTP 500)', async () => {
    mock.on(StartLiveTailCommand).rejects(Object.assign(new SyntaxError('Unexpected token <'), { $metadata: { httpStatusCode: 500 } }));
    group.put(clock - 10, 'polled');
    const tail = run({ startTime: clock - 1000 });
    await until(() => delivered.length === 1, 'polled event');
    assert.ok(statuses.some((s) => s.state === 'fallback' && s.reason === 'live tail is not available here (HTTP 500)'));
    abort.abort();
    await tail;
  });

  it('ends the session on pause and backfills what was written while paused on resume', async () => {
    const [first, second] = scriptSessions(2);
    const gate = new PauseGate();
    const tail = run({ startTime: clock }, gate);
    first.push(start(), update([{ timestamp: clock + 1, message: 'before pause' }]));
    group.put(clock + 1, 'before pause');
    await until(() => delivered.length === 1, 'first event');
    gate.pause();
    await until(() => statuses.at(-1)?.state === 'paused', 'paused');
    group.put(clock + 500, 'while paused');
    clock += 1000;
    gate.resume();
    await until(() => liveTailCalls === 2, 'new session');
    second.push(start());
    await until(() => delivered.length === 2, 'paused events');
    assert.deepEqual(messages(), ['before pause', 'while paused']);
    abort.abort();
    await tail;
  });

  describe('polling', () => {
    it('survives a network drop in the middle of a page: the query is retried, nothing lost or doubled, in order', async () => {
      for (let i = 0; i < 7; i++) group.put(clock - 1000 + i, `event ${i}`);
      group.failOnNextPage.push(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      await run({ follow: false, startTime: clock - 2000, endTime: clock, mechanism: 'polling' });
      assert.deepEqual(messages(), Array.from({ length: 7 }, (_, i) => `event ${i}`));
      assert.ok(statuses.some((s) => s.state === 'retrying'));
      // The first attempt read one page, then failed; the retry read all four pages from the start.
      assert.equal(group.calls.length, 2 + 4);
    });

    it('slows down while throttled and delivers every event once it may read again', async () => {
      group.put(clock - 10, 'x');
      const throttle = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
      group.failOnAnyCall.push(throttle(), throttle(), throttle());
      const tail = run({ mechanism: 'polling', startTime: clock - 100 });
      await until(() => delivered.length === 1, 'event after throttling');
      const delays = statuses.filter((s): s is Extract<TailStatus, { state: 'throttled' }> => s.state === 'throttled').map((s) => s.delayMs);
      assert.deepEqual(delays, [2000, 4000, 8000]);
      // Once calls succeed again the pace comes back, halving per poll, to one poll a second.
      const pollIntervals = () => statuses.filter((s): s is Extract<TailStatus, { state: 'polling' }> => s.state === 'polling').map((s) => s.intervalMs);
      await until(() => pollIntervals().length >= 4, 'recovered polls');
      assert.deepEqual(pollIntervals().slice(0, 4), [4000, 2000, 1000, 1000]);
      abort.abort();
      await tail;
    });

    it('follows new events at the live edge, reaching back by the overlap for late ones', async () => {
      const tail = run({ mechanism: 'polling', startTime: clock - 60_000, tuning: { overlapMs: 5000 } });
      await until(() => statuses.some((s) => s.state === 'polling'), 'first poll');
      group.put(clock, 'on time');
      await until(() => delivered.length === 1, 'on-time event');
      const coveredBefore = group.calls.at(-1)!.endTime!;
      // Stamped before the last poll's end but made visible only now (ingestion lag).
      group.put(coveredBefore - 2000, 'late');
      await until(() => delivered.length === 2, 'late event');
      assert.deepEqual(messages(), ['on time', 'late']);
      const last = group.calls.at(-1)!;
      assert.ok(last.endTime! - last.startTime! >= 5000, 'each live-edge poll overlaps the previous one');
      abort.abort();
      await tail;
    });

    it('stops with the error when access is denied, and gives a one-shot read up after repeated failures', async () => {
      group.failOnAnyCall.push(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));
      await assert.rejects(run({ mechanism: 'polling' }), { name: 'AccessDeniedException' });
      group.failOnAnyCall.push(...Array.from({ length: 10 }, () => Object.assign(new Error('down'), { code: 'ECONNREFUSED' })));
      await assert.rejects(run({ follow: false, endTime: clock }), /down/);
    });

    it('waits for a log group that does not exist yet when following', async () => {
      group.failOnAnyCall.push(Object.assign(new Error('The specified log group does not exist.'), { name: 'ResourceNotFoundException' }));
      group.put(clock - 1, 'first line of a new service');
      const tail = run({ mechanism: 'polling', startTime: clock - 10 });
      await until(() => delivered.length === 1, 'event once the group exists');
      assert.ok(statuses.some((s) => s.state === 'waitingForGroup' && s.logGroupName === GROUP));
      abort.abort();
      await tail;
    });
  });
});
