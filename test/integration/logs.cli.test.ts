/** `ecr-deploy logs` as users run it (a separate process, real argv) against a real moto_server. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, type InputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { CLI_PATH, runCliProcess } from '../support/cliProcess';
import { TEST_AWS_ENV } from '../support/moto';
import { useReferenceMoto } from '../support/referenceMoto';
import { REFERENCE } from '../support/referenceWorld';

interface JsonEvent {
  timestamp: number;
  logStreamName: string;
  eventId: string;
  message: string;
}

const parseLines = (stdout: string): JsonEvent[] => stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as JsonEvent);

/** The built CLI as a separate process, with the test credentials, stdout and stderr piped. */
function spawnCli(args: string[]): ChildProcess & { stdout: NonNullable<ChildProcess['stdout']>; stderr: NonNullable<ChildProcess['stderr']> } {
  return spawn(process.execPath, [CLI_PATH, ...args], { env: { ...process.env, ...TEST_AWS_ENV, AWS_MAX_ATTEMPTS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The CLI with all of its output, however large (execFile's buffer stops at 1 MB). */
function runCliCollecting(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(args);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() })));
}

/** A long-running CLI (`--follow`) whose output lines the test reads as they come. */
function followCli(args: string[]): { child: ChildProcess; lines: string[]; stderr: () => string; nextLine: (match: RegExp, timeoutMs: number) => Promise<string> } {
  const child = spawnCli(args);
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let partial = '';
  let errors = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const nextLine = async (match: RegExp, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.find((l) => match.test(l));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no line matching ${match} within ${timeoutMs} ms; stderr: ${errors}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
  return { child, lines, stderr: () => errors, nextLine };
}

describe('ecr-deploy logs against moto', () => {
  const suite = useReferenceMoto();
  const endpointArgs = () => ['--endpoint-url', suite.moto.endpoint, '--region', 'us-east-1'];

  async function putEvents(group: string, stream: string, events: InputLogEvent[]): Promise<void> {
    // PutLogEvents takes at most 10,000 events per call, in timestamp order.
    for (let i = 0; i < events.length; i += 10_000) {
      await suite.clients.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events.slice(i, i + 10_000) }));
    }
  }

  it('delivers 30,000 events of 3 streams exactly once and in order, with equal timestamps across streams and equal messages', async () => {
    const group = '/load/three-streams';
    const streams = ['ecs/app/aaaaaaaaaaaaaaaa', 'ecs/app/bbbbbbbbbbbbbbbb', 'ecs/app/cccccccccccccccc'];
    await suite.clients.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    const base = Date.now() - 30 * 60_000;
    for (const stream of streams) {
      await suite.clients.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
      // Every timestamp is shared by the three streams, and by three events within a stream; most
      // messages are identical, so only eventId tells events apart.
      await putEvents(group, stream, Array.from({ length: 10_000 }, (_, i) => ({ timestamp: base + Math.floor(i / 3), message: i % 100 === 0 ? `tick ${i}` : 'GET /healthz 200' })));
    }

    const result = await runCliCollecting(['logs', '--group', group, '--since', '1h', '--output', 'json', ...endpointArgs()]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const events = parseLines(result.stdout);
    assert.equal(events.length, 30_000);
    assert.equal(new Set(events.map((e) => e.eventId)).size, 30_000, 'every eventId once');
    for (let i = 1; i < events.length; i++) assert.ok(events[i - 1].timestamp <= events[i].timestamp, `timestamp order at line ${i}`);
    for (const stream of streams) {
      const ofStream = events.filter((e) => e.logStreamName === stream);
      assert.equal(ofStream.length, 10_000);
      // Within a stream, events keep the order they were written in (moto numbers ids in that order).
      for (let i = 1; i < ofStream.length; i++) assert.ok(Number(ofStream[i - 1].eventId) < Number(ofStream[i].eventId), `${stream} keeps write order`);
      assert.deepEqual(ofStream.filter((e) => e.message.startsWith('tick')).map((e) => e.message).slice(0, 3), ['tick 0', 'tick 100', 'tick 200']);
    }
    assert.deepEqual(Object.keys(events[0]), ['timestamp', 'logStreamName', 'eventId', 'message']);
  });

  it('--follow picks up events put later within one poll interval, each once', async () => {
    const follow = followCli(['logs', '--group', REFERENCE.logGroup, '--follow', '--output', 'json', ...endpointArgs()]);
    try {
      await follow.nextLine(/GET \/healthz 200 1ms/, 20_000);
      const stream = 'ecs/mcp-server/fedcba9876543210';
      await suite.clients.logs.send(new CreateLogStreamCommand({ logGroupName: REFERENCE.logGroup, logStreamName: stream }));
      const latencies: number[] = [];
      for (const n of [1, 2, 3]) {
        // Quiet first: the interval must not grow while the group is quiet (it used to reach 5 s).
        await new Promise((r) => setTimeout(r, n === 1 ? 9000 : 500));
        const putAt = Date.now();
        await putEvents(REFERENCE.logGroup, stream, [{ timestamp: putAt, message: `later ${n}` }]);
        await follow.nextLine(new RegExp(`"later ${n}"`), 10_000);
        latencies.push(Date.now() - putAt);
      }
      console.log(`      follow latencies: ${latencies.join(', ')} ms`);
      // One poll a second; the rest is slack for a loaded machine (the bench measures the latency itself).
      for (const latency of latencies) assert.ok(latency <= 1000 + 2000, `picked up within one poll interval: ${latency} ms`);
      const events = follow.lines.map((l) => JSON.parse(l) as JsonEvent);
      assert.equal(new Set(events.map((e) => e.eventId)).size, events.length, 'no event twice across overlapping polls');
      assert.deepEqual(events.map((e) => e.message).slice(-3), ['later 1', 'later 2', 'later 3']);
    } finally {
      follow.child.kill('SIGINT');
      await new Promise((r) => follow.child.once('exit', r));
    }
    assert.equal(follow.child.exitCode, 0, 'Ctrl-C ends a follow cleanly');
  });

  it('tails a service from its task definition: awslogs group and stream prefix, other streams left out', async () => {
    await suite.clients.logs.send(new CreateLogStreamCommand({ logGroupName: REFERENCE.logGroup, logStreamName: 'someone-else/stream' }));
    await putEvents(REFERENCE.logGroup, 'someone-else/stream', [{ timestamp: Date.now() - 1000, message: 'not from the service' }]);
    const result = await runCliProcess(['logs', '--cluster', REFERENCE.cluster, '--service', REFERENCE.service, '--utc', ...endpointArgs()]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3, result.stdout);
    assert.match(lines[0], /^\d\d:\d\d:\d\d\.\d{3} mcp-server\/01234567 INFO Starting quilt-mcp-server v1\.0\.0$/);
    assert.match(lines[2], /mcp-server\/01234567 INFO GET \/healthz 200 1ms$/);
  });

  it('passes the filter pattern to the API', async () => {
    const result = await runCliProcess(['logs', '--group', REFERENCE.logGroup, '--filter', 'Listening', '--output', 'json', ...endpointArgs()]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(parseLines(result.stdout).map((e) => e.message), ['INFO Listening on 0.0.0.0:8000']);
  });

  it('neutralises control sequences in text output and keeps multi-line events together', async () => {
    const stream = 'ecs/mcp-server/aaaabbbbccccdddd';
    await suite.clients.logs.send(new CreateLogStreamCommand({ logGroupName: REFERENCE.logGroup, logStreamName: stream }));
    await putEvents(REFERENCE.logGroup, stream, [{ timestamp: Date.now() - 500, message: '\x1b[31mERROR\x1b[0m boom\x1b]0;owned\x07\nTraceback:\n  line 1' }]);
    const result = await runCliProcess(['logs', '--group', REFERENCE.logGroup, '--since', '5s', ...endpointArgs()]);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!result.stdout.includes('\x1b'), 'no escape character reaches the terminal');
    assert.match(result.stdout, /mcp-server\/aaaabbbb ERROR boom\n {33}Traceback:\n {33} {2}line 1\n$/);
  });

  it('says which container cannot be tailed and why, for a service whose containers use another log driver', async () => {
    const td = await suite.clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'splunk-only',
        containerDefinitions: [{ name: 'web', image: 'nginx', memory: 512, logConfiguration: { logDriver: 'splunk', options: { 'splunk-url': 'https://splunk.example' } } }],
      }),
    );
    await suite.clients.ecs.send(new UpdateServiceCommand({ cluster: REFERENCE.cluster, service: REFERENCE.service, taskDefinition: td.taskDefinition!.taskDefinitionArn }));
    const result = await runCliProcess(['logs', '--cluster', REFERENCE.cluster, '--service', REFERENCE.service, ...endpointArgs()]);
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.match(result.stderr, /^ecr-deploy logs: Container "web" sends its logs through the "splunk" log driver, not to CloudWatch Logs/);
  });

  it('fails with one clear line for a missing service, a missing group and bad usage', async () => {
    const service = await runCliProcess(['logs', '--cluster', REFERENCE.cluster, '--service', 'nope', ...endpointArgs()]);
    assert.equal(service.code, 1);
    assert.equal(service.stderr, `ecr-deploy logs: Service "nope" was not found in cluster "${REFERENCE.cluster}".\n`);
    const group = await runCliProcess(['logs', '--group', '/does/not/exist', ...endpointArgs()]);
    assert.equal(group.code, 1);
    assert.match(group.stderr, /^ecr-deploy logs: FilterLogEvents failed \(ResourceNotFoundException\): .*\n$/);
    for (const args of [['logs'], ['logs', '--group', 'g', '--service', 's'], ['logs', '--group', 'g', '--since', 'yesterday']]) {
      const usage = await runCliProcess([...args, ...endpointArgs()]);
      assert.equal(usage.code, 2, args.join(' '));
      assert.equal(usage.stderr.trim().split('\n').length, 1);
    }
  });
});
