/**
 * How much a tail reads, counted over the wire: `ecr-deploy logs` and the logs edge against the local
 * AWS, through a proxy that counts FilterLogEvents calls. A "since" far in the past is clamped to what
 * the group can hold, an absurd one is refused before anything is sent, a one-shot read stops at its
 * budget with a note, and a follow keeps events that become visible minutes after their timestamp.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, PutRetentionPolicyCommand, type InputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { tailLogGroups, type TailStatus } from '../../src/aws/logs';
import type { LogEvent } from '../../src/core/logs/events';
import { CLI_PATH } from '../support/cliProcess';
import { startCountingProxy, type CountingProxy } from '../support/countingProxy';
import { TEST_AWS_ENV } from '../support/moto';
import { useReferenceMoto } from '../support/referenceMoto';
import { REFERENCE } from '../support/referenceWorld';

interface JsonEvent {
  timestamp: number;
  eventId: string;
  message: string;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  killed: boolean;
}

/**
 * The built CLI as users run it; killed after `limitMs` (a read that does not end is a failure here,
 * and today's main read `--since 5` for longer than any test should wait).
 */
function runCli(args: string[], limitMs = 20_000): Promise<Run> {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { env: { ...process.env, ...TEST_AWS_ENV, AWS_MAX_ATTEMPTS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let killed = false;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, limitMs);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, killed });
    }),
  );
}

const parseLines = (stdout: string): JsonEvent[] => stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as JsonEvent);

describe('how much a tail reads, counted at the wire', () => {
  const suite = useReferenceMoto();
  let proxy: CountingProxy;
  before(async () => {
    proxy = await startCountingProxy(suite.moto.endpoint);
  });
  after(() => proxy.stop());
  const viaProxy = () => ['--endpoint-url', proxy.endpoint, '--region', 'us-east-1'];

  const historyOfTheReferenceService = ['INFO Starting quilt-mcp-server v1.0.0', 'INFO Listening on 0.0.0.0:8000', 'INFO GET /healthz 200 1ms'];

  it('reads --since 5 (1970) and --since 1000w from the group\'s creation, in a few FilterLogEvents calls', async () => {
    for (const since of ['5', '1000w']) {
      proxy.reset();
      const result = await runCli(['logs', '--group', REFERENCE.logGroup, '--since', since, '--output', 'json', ...viaProxy()]);
      console.log(`      --since ${since}: ${JSON.stringify(proxy.counts())}`);
      assert.equal(result.killed, false, `--since ${since} ended on its own (it made ${proxy.count('FilterLogEvents')} FilterLogEvents calls)`);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(parseLines(result.stdout).map((e) => e.message), historyOfTheReferenceService);
      // One DescribeLogGroups for the creation time; the 28 days a new group can hold in two slices.
      assert.ok(proxy.count('FilterLogEvents') <= 3, `--since ${since}: ${JSON.stringify(proxy.counts())}`);
      assert.equal(proxy.count('DescribeLogGroups'), 1);
    }
  });

  it('refuses a duration that reaches back before 1970 with exit 2, one line, and nothing sent', async () => {
    for (const since of ['99999999999999999999d', '100000w']) {
      proxy.reset();
      const result = await runCli(['logs', '--group', REFERENCE.logGroup, '--since', since, ...viaProxy()], 10_000);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, new RegExp(`^ecr-deploy logs: "${since}" reaches back before 1970-01-01: a duration can be at most \\d+d .*\\n$`));
      assert.deepEqual(proxy.counts(), {}, 'no request reached the endpoint');
    }
  });

  it('clamps to the group\'s retention: a 1-day group is read in one call, without the events it no longer keeps', async () => {
    const group = '/range/one-day';
    await suite.clients.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await suite.clients.logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 1 }));
    await suite.clients.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'app' }));
    const now = Date.now();
    // moto stores an event older than the retention (CloudWatch refuses it, or deletes it once expired).
    const events: InputLogEvent[] = [{ timestamp: now - 3 * 86_400_000, message: 'expired' }, { timestamp: now - 60_000, message: 'kept' }];
    await suite.clients.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'app', logEvents: events }));
    proxy.reset();
    const result = await runCli(['logs', '--group', group, '--since', '5', '--output', 'json', ...viaProxy()]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(parseLines(result.stdout).map((e) => e.message), ['kept']);
    assert.equal(proxy.count('FilterLogEvents'), 1);
  });

  it('stops a one-shot read at its budget of calls, having shown an ordered prefix, and says how far it got', async () => {
    const group = '/range/budget';
    await suite.clients.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await suite.clients.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'app' }));
    const base = Date.now() - 50 * 60_000;
    const events = Array.from({ length: 100 }, (_, i) => ({ timestamp: base + i * 30_000, message: `event ${i}` }));
    await suite.clients.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'app', logEvents: events }));
    const { createAwsClients } = await import('../../src/aws/clients');
    const { resolveConnection } = await import('../../src/aws/connection');
    const clients = createAwsClients(resolveConnection({ endpointUrl: proxy.endpoint, region: 'us-east-1', maxAttempts: 1 }));
    const delivered: LogEvent[] = [];
    const statuses: TailStatus[] = [];
    proxy.reset();
    try {
      await tailLogGroups(
        clients.logs,
        // A buffer of 10 events makes the read go in small slices, so the budget ends it half-way.
        { targets: [{ logGroupName: group, containers: [] }], startTime: base - 1000, follow: false, tuning: { maxBufferedEvents: 10, readBudget: { maxCalls: 12, maxMs: 60_000 } } },
        { onEvents: (batch) => void delivered.push(...batch), onStatus: (status) => void statuses.push(status) },
        new AbortController().signal,
      );
    } finally {
      clients.destroy();
    }
    assert.equal(proxy.count('FilterLogEvents'), 12, JSON.stringify(proxy.counts()));
    assert.ok(delivered.length > 0 && delivered.length < 100, `${delivered.length} of 100 shown`);
    assert.deepEqual(delivered.map((e) => e.message), events.slice(0, delivered.length).map((e) => e.message), 'an ordered prefix, each once');
    const stopped = statuses.find((s): s is Extract<TailStatus, { state: 'stoppedEarly' }> => s.state === 'stoppedEarly');
    assert.ok(stopped, JSON.stringify(statuses));
    assert.equal(stopped.reason, 'after 12 FilterLogEvents calls');
    assert.ok(stopped.shownUntil >= delivered.at(-1)!.timestamp && stopped.shownUntil < events[delivered.length].timestamp, 'the note says up to where every event was shown');
  });

  /** `ecr-deploy logs --follow --output json` through the proxy, its lines read as they come. */
  function followViaProxy() {
    const child = spawn(process.execPath, [CLI_PATH, 'logs', '--group', REFERENCE.logGroup, '--follow', '--output', 'json', ...viaProxy()], {
      env: { ...process.env, ...TEST_AWS_ENV, AWS_MAX_ATTEMPTS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const seenAt = new Map<string, number>();
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      for (const event of parseLines(stdout.slice(0, stdout.lastIndexOf('\n') + 1))) if (!seenAt.has(event.message)) seenAt.set(event.message, Date.now());
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = () => parseLines(stdout.slice(0, stdout.lastIndexOf('\n') + 1));
    const waitFor = async (predicate: () => boolean, what: string, ms: number) => {
      const deadline = Date.now() + ms;
      while (!predicate()) {
        if (Date.now() > deadline) assert.fail(`${what} within ${ms} ms; got ${lines().length} lines; stderr: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const stop = async () => {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    };
    return { lines, seenAt, waitFor, stop, stderr: () => stderr };
  }

  it('a follow throttled for 6 s backs off, loses and doubles nothing, and is back to its pace once throttling ends', async () => {
    const follow = followViaProxy();
    const stream = `${REFERENCE.logStreamPrefix}/${REFERENCE.container}/1a1b1c1d1e1f1a1b`;
    const putAt = new Map<string, number>();
    const putOne = async (message: string) => {
      putAt.set(message, Date.now());
      await suite.clients.logs.send(new PutLogEventsCommand({ logGroupName: REFERENCE.logGroup, logStreamName: stream, logEvents: [{ timestamp: Date.now(), message }] }));
    };
    try {
      await follow.waitFor(() => follow.lines().length === 3, 'the history', 15_000);
      await suite.clients.logs.send(new CreateLogStreamCommand({ logGroupName: REFERENCE.logGroup, logStreamName: stream }));
      proxy.reset();
      proxy.throttle('FilterLogEvents', 6000);
      for (let i = 0; i < 12; i++) {
        await putOne(`during ${i}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      for (let i = 0; i < 30; i++) {
        await putOne(`after ${i}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      await follow.waitFor(() => [...putAt.keys()].every((m) => follow.seenAt.has(m)), 'every event', 15_000);
    } finally {
      await follow.stop();
    }
    const messages = follow.lines().map((e) => e.message);
    assert.equal(messages.length, 3 + 42, 'each event once');
    assert.equal(new Set(follow.lines().map((e) => e.eventId)).size, messages.length);
    // At its pace the follow would have asked 6 times; backing off (2 s, then 4 s) it asks 3 or 4 times.
    assert.ok(proxy.throttled('FilterLogEvents') <= 4, `throttled calls: ${proxy.throttled('FilterLogEvents')}`);
    // Throttling ended 6 s in; 15 s in (waits of 8, 4, 2 s behind it), the pace is one poll a second again.
    const recovered = [...putAt].filter(([m]) => m.startsWith('after ') && Number(m.slice(6)) >= 18).map(([m, at]) => follow.seenAt.get(m)! - at);
    console.log(`      throttled calls ${proxy.throttled('FilterLogEvents')}; latencies once recovered: ${recovered.join(', ')} ms`);
    for (const latency of recovered) assert.ok(latency <= 1000 + 1500, `back to one poll a second: ${latency} ms`);
  });

  it('--follow keeps events stamped 30 s, 90 s and 290 s before they were written, each once', async () => {
    const follow = followViaProxy();
    const late: string[] = [];
    try {
      await follow.waitFor(() => follow.lines().length === 3, 'the history', 15_000);
      const stream = `${REFERENCE.logStreamPrefix}/${REFERENCE.container}/0a0b0c0d0e0f0a0b`;
      await suite.clients.logs.send(new CreateLogStreamCommand({ logGroupName: REFERENCE.logGroup, logStreamName: stream }));
      for (const ageSeconds of [30, 90, 290]) {
        // As in the issue: 19 events at a time, stamped that long before they reach CloudWatch.
        const now = Date.now();
        const batch = Array.from({ length: 19 }, (_, i) => ({ timestamp: now - ageSeconds * 1000 + i, message: `late ${ageSeconds}s #${i}` }));
        await suite.clients.logs.send(new PutLogEventsCommand({ logGroupName: REFERENCE.logGroup, logStreamName: stream, logEvents: batch }));
        late.push(...batch.map((e) => e.message));
        await new Promise((r) => setTimeout(r, 1500));
      }
      await suite.clients.logs.send(new PutLogEventsCommand({ logGroupName: REFERENCE.logGroup, logStreamName: stream, logEvents: [{ timestamp: Date.now(), message: 'on time' }] }));
      // A sweep every 10 s: every late event is in by then (a little slack for a loaded machine).
      await follow.waitFor(() => late.every((m) => follow.seenAt.has(m)), 'all 57 late events', 25_000);
      await new Promise((r) => setTimeout(r, 11_000)); // one more sweep: nothing may come twice
    } finally {
      await follow.stop();
    }
    const events = follow.lines();
    assert.equal(new Set(events.map((e) => e.eventId)).size, events.length, 'no event twice');
    assert.equal(events.length, 3 + 57 + 1);
    assert.ok(events.some((e) => e.message === 'on time'));
  });
});
