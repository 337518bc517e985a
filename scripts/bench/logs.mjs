// Log tail figures on one moto, beside Debian's `aws logs tail` (awscli 2):
//  - throughput: 30,000 events over 3 streams read from a 1 h "since", as events per second printed by
//    `ecr-deploy logs` and by `aws logs tail`, and delivered into an output channel by the extension's
//    tail (formatter + channel buffer, in process);
//  - follow latency: events put at random moments while both follow the group, time until each
//    process prints them.
// Needs the build and the compiled tests (npm run bench does both) and /usr/bin/aws (apt: awscli).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportFigure } from '../lib/benchReport.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(ROOT, 'package.json'));
const AWS = '/usr/bin/aws';
const EVENTS_PER_STREAM = 10_000;
const STREAMS = ['ecs/app/aaaaaaaaaaaaaaaa', 'ecs/app/bbbbbbbbbbbbbbbb', 'ecs/app/cccccccccccccccc'];
const THROUGHPUT_RUNS = 3;
const FOLLOW_SAMPLES = 8;

if (!existsSync(AWS)) {
  console.error(`bench logs: ${AWS} is missing: apt-get install awscli (the peer to measure against).`);
  process.exit(1);
}

const { startMoto, TEST_AWS_ENV } = require(join(ROOT, 'out/test/support/moto.js'));
const { createAwsClients } = require(join(ROOT, 'out/src/aws/clients.js'));
const { resolveConnection } = require(join(ROOT, 'out/src/aws/connection.js'));
const { tailLogGroups } = require(join(ROOT, 'out/src/aws/logs.js'));
const { LogLineFormatter } = require(join(ROOT, 'out/src/core/logs/format.js'));
const { ChannelBuffer } = require(join(ROOT, 'out/src/features/logs/channelBuffer.js'));
const { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } = require('@aws-sdk/client-cloudwatch-logs');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const p90 = (values) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * 0.9) - 1)];
const rate = (events, ms) => Math.round(events / (ms / 1000));
const fmt = (n) => n.toLocaleString('en-US');

const moto = await startMoto();
Object.assign(process.env, TEST_AWS_ENV);
const env = { ...process.env, ...TEST_AWS_ENV, AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1' };
const clients = createAwsClients(resolveConnection({ endpointUrl: moto.endpoint, region: 'us-east-1', maxAttempts: 1 }));
const cliArgs = (group, extra) => [join(ROOT, 'dist/cli.js'), 'logs', '--group', group, '--endpoint-url', moto.endpoint, '--region', 'us-east-1', ...extra];
const awsArgs = (group, extra) => ['logs', 'tail', group, '--endpoint-url', moto.endpoint, '--region', 'us-east-1', '--format', 'short', ...extra];

/** Runs a command to its end, counting output lines; returns the wall time. */
function timeLines(command, args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { env, maxBuffer: 1 << 30, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.slice(0, 3).join(' ')} failed: ${result.stderr}`);
  return { ms, lines: result.stdout.split('\n').filter(Boolean).length };
}

/** The extension's path: the tail into a formatter and the channel buffer (the sink stands in for VS Code). */
async function timeChannel(group) {
  let appended = 0;
  const buffer = new ChannelBuffer({ append: (t) => (appended += t.length), replace: (t) => (appended += t.length), clear() {} }, { maxLines: 20_000, flushMs: 100, flushChars: 256 * 1024 });
  const formatter = new LogLineFormatter({ utc: false, maxLineLength: 4000 });
  let events = 0;
  const started = process.hrtime.bigint();
  await tailLogGroups(clients.logs, { targets: [{ logGroupName: group, containers: [] }], startTime: Date.now() - 3_600_000, follow: false }, {
    onEvents: (batch) => {
      events += batch.length;
      buffer.write(batch.map((e) => formatter.format(e)).join(''));
    },
  }, new AbortController().signal);
  buffer.flush();
  buffer.dispose();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, lines: events, appended };
}

/** A follower process whose stdout is watched for marker messages. */
function follower(command, args) {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const seen = new Map();
  let buffer = '';
  child.stdout.on('data', (chunk) => {
    const now = Date.now();
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop();
    for (const line of lines) {
      const m = /bench-marker-(\d+)/.exec(line);
      if (m && !seen.has(m[1])) seen.set(m[1], now);
    }
  });
  child.stderr.on('data', () => {});
  return { child, seen };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

try {
  // ---- throughput
  const group = '/bench/three-streams';
  await clients.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  const base = Date.now() - 30 * 60_000;
  for (const stream of STREAMS) {
    await clients.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    const events = Array.from({ length: EVENTS_PER_STREAM }, (_, i) => ({ timestamp: base + Math.floor(i / 3), message: `GET /healthz 200 ${i % 7}ms request ${i}` }));
    await clients.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events }));
  }
  const total = STREAMS.length * EVENTS_PER_STREAM;
  const ours = [];
  const channel = [];
  const theirs = [];
  for (let run = 0; run < THROUGHPUT_RUNS; run++) {
    const a = timeLines(process.execPath, cliArgs(group, ['--since', '1h']));
    const c = await timeChannel(group);
    const b = timeLines(AWS, awsArgs(group, ['--since', '1h']));
    if (a.lines !== total || c.lines !== total) throw new Error(`ecr-deploy delivered ${a.lines} (CLI) / ${c.lines} (channel) of ${total} events`);
    ours.push(a.ms);
    channel.push(c.ms);
    theirs.push(b.ms);
    if (run === 0) console.log(`aws logs tail printed ${fmt(b.lines)} of ${fmt(total)} events`);
  }
  console.log(`throughput, ${fmt(total)} events over ${STREAMS.length} streams (median of ${THROUGHPUT_RUNS}, process start included for the CLIs):`);
  console.log(`  ecr-deploy logs (CLI):              ${fmt(rate(total, median(ours)))} events/s (${(median(ours) / 1000).toFixed(2)} s)`);
  console.log(`  extension tail into a channel:      ${fmt(rate(total, median(channel)))} events/s (${(median(channel) / 1000).toFixed(2)} s)`);
  console.log(`  aws logs tail (awscli 2):           ${fmt(rate(total, median(theirs)))} events/s (${(median(theirs) / 1000).toFixed(2)} s)`);
  console.log(`  ratio ecr-deploy CLI / aws logs tail: ${(median(theirs) / median(ours)).toFixed(2)}x`);
  console.log(`  ratio extension channel / aws logs tail: ${(median(theirs) / median(channel)).toFixed(2)}x`);
  reportFigure({ figure: 'logs throughput, CLI (events/s)', project: `${fmt(rate(total, median(ours)))}/s`, peer: `${fmt(rate(total, median(theirs)))}/s (aws logs tail)`, ratio: median(theirs) / median(ours), goal: 'none stated (shown for the record)', met: null });

  // ---- follow latency
  const live = '/bench/follow';
  const stream = 'ecs/app/dddddddddddddddd';
  await clients.logs.send(new CreateLogGroupCommand({ logGroupName: live }));
  await clients.logs.send(new CreateLogStreamCommand({ logGroupName: live, logStreamName: stream }));
  const ourFollower = follower(process.execPath, cliArgs(live, ['--follow']));
  const awsFollower = follower(AWS, awsArgs(live, ['--follow']));
  await sleep(8000); // both started and polling
  const putAt = new Map();
  for (let i = 0; i < FOLLOW_SAMPLES; i++) {
    await sleep(2000 + Math.random() * 4000);
    const now = Date.now();
    putAt.set(String(i), now);
    await clients.logs.send(new PutLogEventsCommand({ logGroupName: live, logStreamName: stream, logEvents: [{ timestamp: now, message: `bench-marker-${i}` }] }));
  }
  await sleep(7000);
  ourFollower.child.kill('SIGINT');
  awsFollower.child.kill('SIGINT');
  const latencies = (seen) => [...putAt].map(([id, at]) => (seen.has(id) ? seen.get(id) - at : Infinity));
  const ourLatency = latencies(ourFollower.seen);
  const awsLatency = latencies(awsFollower.seen);
  const show = (values) => `median ${fmt(Math.round(median(values)))} ms, p90 ${fmt(Math.round(p90(values)))} ms, max ${fmt(Math.round(Math.max(...values)))} ms`;
  console.log(`follow latency, ${FOLLOW_SAMPLES} events put 2-6 s apart (time from PutLogEvents to the line printed):`);
  console.log(`  ecr-deploy logs --follow: ${show(ourLatency)}`);
  console.log(`  aws logs tail --follow:   ${show(awsLatency)}`);
  console.log(`  ratio aws / ecr-deploy (median latency): ${(median(awsLatency) / median(ourLatency)).toFixed(2)}x`);
  reportFigure({ figure: 'logs --follow latency (median)', project: `${fmt(Math.round(median(ourLatency)))} ms`, peer: `${fmt(Math.round(median(awsLatency)))} ms (aws logs tail --follow)`, ratio: median(ourLatency) / median(awsLatency), goal: 'none stated (shown for the record)', met: null });
  if (ourLatency.some((v) => !Number.isFinite(v))) {
    console.error('bench logs: ecr-deploy missed an event while following');
    process.exitCode = 1;
  }
} finally {
  clients.destroy();
  await moto.stop();
}
