// Log tail figures on one local AWS (moto), beside the AWS CLI v2's `aws logs tail` where one is installed:
//  - throughput: 30,000 events over 3 streams read from a 1 h "since", as events per second printed by
//    `ecr-deploy logs` (and the peer), and delivered into an output channel by the extension's tail
//    (formatter + channel buffer, in process);
//  - follow latency, from just before PutLogEvents to the line printed, per event, at four rate patterns
//    (sparse, steady, quiet then busy, bursty) and while FilterLogEvents is throttled for 6 s (the proxy
//    answers ThrottlingException) and after, with every event checked to come out exactly once;
//  - late events: 19 each stamped 30 s, 90 s and 290 s before they are written, and how many the follow kept;
//  - the follow's API budget: FilterLogEvents calls per minute, idle and busy, counted by a proxy in
//    front of moto; and which path ran (StartLiveTail, or polling when the endpoint refuses it).
// Needs the build and the compiled tests (npm run bench does both). The peer is optional: `aws` on PATH
// may be the AWS CLI v1, which has no `aws logs tail`; then the peer's figures say "not available".
// With BENCH_RESULTS=<file>, the figures are also appended to that file as one JSON line ({ bench: 'logs', ... }).
import { reportFigure } from '../lib/benchReport.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(ROOT, 'package.json'));
const EVENTS_PER_STREAM = 10_000;
const STREAMS = ['ecs/app/aaaaaaaaaaaaaaaa', 'ecs/app/bbbbbbbbbbbbbbbb', 'ecs/app/cccccccccccccccc'];
const THROUGHPUT_RUNS = 3;
const GOAL = { maxMs: 1500, medianMs: 1000 };

const { startMoto, TEST_AWS_ENV } = require(join(ROOT, 'out/test/support/moto.js'));
const { startCountingProxy } = require(join(ROOT, 'out/test/support/countingProxy.js'));
const { createAwsClients } = require(join(ROOT, 'out/src/aws/clients.js'));
const { resolveConnection } = require(join(ROOT, 'out/src/aws/connection.js'));
const { tailLogGroups } = require(join(ROOT, 'out/src/aws/logs.js'));
const { LogLineFormatter } = require(join(ROOT, 'out/src/core/logs/format.js'));
const { ChannelBuffer } = require(join(ROOT, 'out/src/features/logs/channelBuffer.js'));
const { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } = require('@aws-sdk/client-cloudwatch-logs');

const sorted = (values) => [...values].sort((a, b) => a - b);
const median = (values) => sorted(values)[Math.floor(values.length / 2)];
const p90 = (values) => sorted(values)[Math.min(values.length - 1, Math.ceil(values.length * 0.9) - 1)];
const rate = (events, ms) => Math.round(events / (ms / 1000));
const fmt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'lost');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The AWS CLI to measure against: the first of /usr/bin/aws (Debian's awscli, v2) and `aws` on PATH that
 * is version 2 (v1 has no `aws logs tail`). Never throws: a missing or older CLI is reported, not fatal.
 */
function findPeer() {
  let older;
  for (const command of ['/usr/bin/aws', 'aws']) {
    const result = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, AWS_PAGER: '' } });
    if (result.error || result.status !== 0) continue;
    const version = `${result.stdout}${result.stderr}`.trim().split(/\s+/)[0];
    const major = Number(/^aws-cli\/(\d+)/.exec(version)?.[1] ?? 0);
    if (major >= 2) return { available: true, command, version };
    older ??= { available: false, command, version, reason: `${version} (${command}) has no "aws logs tail"` };
  }
  return older ?? { available: false, version: null, reason: 'no aws CLI installed (apt-get install awscli gives v2)' };
}

const peer = findPeer();
console.log(`peer: ${peer.available ? `${peer.version} (${peer.command})` : `not available: ${peer.reason}`}`);

const moto = await startMoto();
const proxy = await startCountingProxy(moto.endpoint);
Object.assign(process.env, TEST_AWS_ENV);
const env = { ...process.env, ...TEST_AWS_ENV, AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1' };
const clients = createAwsClients(resolveConnection({ endpointUrl: moto.endpoint, region: 'us-east-1', maxAttempts: 1 }));
const cliArgs = (endpoint, group, extra) => [join(ROOT, 'dist/cli.js'), 'logs', '--group', group, '--endpoint-url', endpoint, '--region', 'us-east-1', ...extra];
const awsArgs = (group, extra) => ['logs', 'tail', group, '--endpoint-url', moto.endpoint, '--region', 'us-east-1', '--format', 'short', ...extra];
const put = (group, stream, logEvents) => clients.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents }));

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

/** A follower process whose stdout is watched for marker messages: when each was first seen, and how often. */
function follower(command, args) {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const firstSeen = new Map();
  const times = new Map();
  let buffer = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    const now = Date.now();
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop();
    for (const line of lines) {
      const m = /bench-marker-([\w-]+)/.exec(line);
      if (!m) continue;
      if (!firstSeen.has(m[1])) firstSeen.set(m[1], now);
      times.set(m[1], (times.get(m[1]) ?? 0) + 1);
    }
  });
  child.stderr.on('data', (chunk) => (stderr += chunk.toString()));
  return { child, firstSeen, times, stderr: () => stderr };
}

/** Latency figures of one pattern for one follower; `putAt` maps each marker to when it was put. */
function figures(pattern, putAt, watcher) {
  const latencies = [...putAt].map(([id, at]) => (watcher.firstSeen.has(id) ? watcher.firstSeen.get(id) - at : Infinity));
  const lost = latencies.filter((v) => !Number.isFinite(v)).length;
  const doubled = [...putAt.keys()].filter((id) => (watcher.times.get(id) ?? 0) > 1).length;
  const found = latencies.filter(Number.isFinite);
  return {
    pattern,
    events: putAt.size,
    medianMs: found.length ? Math.round(median(found)) : null,
    p90Ms: found.length ? Math.round(p90(found)) : null,
    maxMs: found.length ? Math.round(Math.max(...found)) : null,
    lost,
    doubled,
  };
}

const results = { bench: 'logs', peer: { available: peer.available, version: peer.version, reason: peer.reason ?? null }, throughput: [], follow: [], late: [], calls: {} };

try {
  // ---- throughput
  const group = '/bench/three-streams';
  await clients.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  const base = Date.now() - 30 * 60_000;
  for (const stream of STREAMS) {
    await clients.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    await put(group, stream, Array.from({ length: EVENTS_PER_STREAM }, (_, i) => ({ timestamp: base + Math.floor(i / 3), message: `GET /healthz 200 ${i % 7}ms request ${i}` })));
  }
  const total = STREAMS.length * EVENTS_PER_STREAM;
  const ours = [];
  const channel = [];
  const theirs = [];
  for (let run = 0; run < THROUGHPUT_RUNS; run++) {
    const a = timeLines(process.execPath, cliArgs(moto.endpoint, group, ['--since', '1h']));
    const c = await timeChannel(group);
    if (a.lines !== total || c.lines !== total) throw new Error(`ecr-deploy delivered ${a.lines} (CLI) / ${c.lines} (channel) of ${total} events`);
    ours.push(a.ms);
    channel.push(c.ms);
    if (peer.available) {
      const b = timeLines(peer.command, awsArgs(group, ['--since', '1h']));
      theirs.push(b.ms);
      if (run === 0) console.log(`aws logs tail printed ${fmt(b.lines)} of ${fmt(total)} events`);
    }
  }
  results.throughput.push({ reader: 'ecr-deploy logs (CLI)', eventsPerSecond: rate(total, median(ours)), seconds: +(median(ours) / 1000).toFixed(2) });
  results.throughput.push({ reader: 'extension tail into a channel', eventsPerSecond: rate(total, median(channel)), seconds: +(median(channel) / 1000).toFixed(2) });
  results.throughput.push(peer.available ? { reader: `aws logs tail (${peer.version})`, eventsPerSecond: rate(total, median(theirs)), seconds: +(median(theirs) / 1000).toFixed(2) } : { reader: 'aws logs tail', eventsPerSecond: null, seconds: null, note: 'not available' });
  console.log(`throughput, ${fmt(total)} events over ${STREAMS.length} streams (median of ${THROUGHPUT_RUNS}, process start included for the CLIs):`);
  for (const row of results.throughput) console.log(`  ${row.reader.padEnd(40)} ${row.eventsPerSecond === null ? 'not available' : `${fmt(row.eventsPerSecond)} events/s (${row.seconds.toFixed(2)} s)`}`);

  // ---- follow: latency per rate pattern, exactly once, calls per minute, late events
  const live = '/bench/follow';
  const stream = 'ecs/app/dddddddddddddddd';
  await clients.logs.send(new CreateLogGroupCommand({ logGroupName: live }));
  await clients.logs.send(new CreateLogStreamCommand({ logGroupName: live, logStreamName: stream }));
  proxy.reset();
  // Text output and the default mechanism: StartLiveTail first, polling when the endpoint refuses it.
  const ours2 = follower(process.execPath, cliArgs(proxy.endpoint, live, ['--follow']));
  const theirs2 = peer.available ? follower(peer.command, awsArgs(live, ['--follow'])) : undefined;
  await sleep(5000); // both started and at the live edge
  const fallback = /live tail is not available here \(([^)]*)\); polling FilterLogEvents instead/.exec(ours2.stderr());
  results.path = fallback ? `polling FilterLogEvents (StartLiveTail refused: ${fallback[1]})` : proxy.count('StartLiveTail') ? 'StartLiveTail' : 'polling FilterLogEvents';
  console.log(`follow path: ${results.path}; StartLiveTail calls: ${proxy.count('StartLiveTail')}`);

  /** Counts the follower's FilterLogEvents calls over `run()` and returns them per minute. */
  const callsPerMinute = async (run) => {
    const before = proxy.count('FilterLogEvents');
    const started = Date.now();
    await run();
    return Math.round(((proxy.count('FilterLogEvents') - before) * 60_000) / (Date.now() - started));
  };

  results.calls.idlePerMinute = await callsPerMinute(() => sleep(15_000));

  const patterns = [
    {
      // The former bench's only pattern: single events at random moments 2-6 s apart.
      name: 'sparse (1 event every 2-6 s)',
      async run(putAt, tag) {
        for (let i = 0; i < 6; i++) {
          await sleep(2000 + Math.random() * 4000);
          const now = Date.now();
          putAt.set(`${tag}-${i}`, now);
          await put(live, stream, [{ timestamp: now, message: `bench-marker-${tag}-${i}` }]);
        }
      },
    },
    {
      name: 'steady (2 events/s for 15 s)',
      async run(putAt, tag) {
        for (let i = 0; i < 30; i++) {
          const now = Date.now();
          putAt.set(`${tag}-${i}`, now);
          await put(live, stream, [{ timestamp: now, message: `bench-marker-${tag}-${i}` }]);
          await sleep(Math.max(0, now + 500 - Date.now()));
        }
      },
    },
    {
      name: 'quiet 10 s, then 10 events/s for 8 s',
      async run(putAt, tag) {
        await sleep(10_000);
        for (let i = 0; i < 80; i++) {
          const now = Date.now();
          putAt.set(`${tag}-${i}`, now);
          await put(live, stream, [{ timestamp: now, message: `bench-marker-${tag}-${i}` }]);
          await sleep(Math.max(0, now + 100 - Date.now()));
        }
      },
    },
    {
      name: 'bursty (6 bursts of 30 events, 1.5-4 s apart)',
      async run(putAt, tag) {
        for (let burst = 0; burst < 6; burst++) {
          await sleep(1500 + Math.random() * 2500);
          const now = Date.now();
          const events = Array.from({ length: 30 }, (_, i) => ({ timestamp: now, message: `bench-marker-${tag}-${burst}-${i}` }));
          for (let i = 0; i < 30; i++) putAt.set(`${tag}-${burst}-${i}`, now);
          await put(live, stream, events);
        }
      },
    },
    {
      // CloudWatch throttling FilterLogEvents (the proxy answers ThrottlingException; moto never does):
      // the follow backs off, then must come back to its pace. No latency goal while throttled.
      name: 'throttled 6 s, 2 events/s for 16 s',
      throttled: true,
      async run(putAt, tag) {
        proxy.throttle('FilterLogEvents', 6000);
        for (let i = 0; i < 32; i++) {
          const now = Date.now();
          putAt.set(`${tag}-${i}`, now);
          await put(live, stream, [{ timestamp: now, message: `bench-marker-${tag}-${i}` }]);
          await sleep(Math.max(0, now + 500 - Date.now()));
        }
      },
    },
  ];
  const busyCalls = [];
  for (const [index, pattern] of patterns.entries()) {
    const putAt = new Map();
    const perMinute = await callsPerMinute(() => pattern.run(putAt, `p${index}`));
    if (index > 0 && !pattern.throttled) busyCalls.push(perMinute);
    await sleep(3000); // the last events have time to arrive
    results.follow.push({ follower: 'ecr-deploy logs --follow', ...figures(pattern.name, putAt, ours2), ...(pattern.throttled ? { throttled: true } : {}) });
    if (pattern.throttled) {
      // Recovered: the events put from 10 s after throttling ended on.
      const recovered = new Map([...putAt].filter(([id]) => Number(id.split('-').pop()) >= 32 - 12));
      results.follow.push({ follower: 'ecr-deploy logs --follow', ...figures('  ... its last 6 s (10 s after throttling ended)', recovered, ours2) });
    }
    if (theirs2) results.follow.push({ follower: `aws logs tail --follow (${peer.version})`, ...figures(pattern.name, putAt, theirs2) });
  }
  results.calls.busyPerMinute = Math.max(...busyCalls);

  // Late events, as in the issue: written now, stamped in the past.
  for (const ageSeconds of [30, 90, 290]) {
    const putAt = new Map();
    const now = Date.now();
    const events = Array.from({ length: 19 }, (_, i) => ({ timestamp: now - ageSeconds * 1000 + i, message: `bench-marker-late${ageSeconds}-${i}` }));
    for (let i = 0; i < 19; i++) putAt.set(`late${ageSeconds}-${i}`, now);
    await put(live, stream, events);
    results.late.push({ ageSeconds, putAt });
  }
  await sleep(13_000); // one sweep period (10 s) and some
  ours2.child.kill('SIGINT');
  theirs2?.child.kill('SIGINT');
  await sleep(500);
  results.late = results.late.flatMap(({ ageSeconds, putAt }) => {
    const row = (follower, watcher) => ({ follower, ageSeconds, written: putAt.size, kept: [...putAt.keys()].filter((id) => watcher.firstSeen.has(id)).length, doubled: [...putAt.keys()].filter((id) => (watcher.times.get(id) ?? 0) > 1).length });
    return theirs2 ? [row('ecr-deploy logs --follow', ours2), row(`aws logs tail --follow (${peer.version})`, theirs2)] : [row('ecr-deploy logs --follow', ours2)];
  });

  console.log(`follow latency, from PutLogEvents to the line printed (goal: every event <= ${GOAL.maxMs} ms, median <= ${GOAL.medianMs} ms), path: ${results.path}:`);
  const width = Math.max(...results.follow.map((row) => row.follower.length));
  for (const row of results.follow) {
    const met = row.lost === 0 && row.doubled === 0 && row.maxMs !== null && row.maxMs <= GOAL.maxMs && row.medianMs <= GOAL.medianMs;
    const verdict = !row.follower.startsWith('ecr-deploy') ? '' : row.throttled ? '  (throttled: no latency goal)' : met ? '  (goal met)' : '  (GOAL MISSED)';
    console.log(`  ${row.follower.padEnd(width)} ${row.pattern.padEnd(48)} ${String(row.events).padStart(3)} events: median ${fmt(row.medianMs)} ms, p90 ${fmt(row.p90Ms)} ms, max ${fmt(row.maxMs)} ms, lost ${row.lost}, doubled ${row.doubled}${verdict}`);
  }
  if (!theirs2) console.log(`  aws logs tail --follow: not available (${peer.reason})`);
  console.log('late events (written now, stamped in the past):');
  for (const row of results.late) console.log(`  ${row.follower.padEnd(width)} stamped ${row.ageSeconds} s back: ${row.kept} of ${row.written} kept, ${row.doubled} doubled`);
  console.log(`FilterLogEvents calls per minute, one followed group: idle ${results.calls.idlePerMinute}, busy (the busiest pattern) ${results.calls.busyPerMinute}`);
  // The summary table (npm run bench): the follow goal over every unthrottled pattern, against the peer's median.
  const ourRows = results.follow.filter((r) => r.follower.startsWith('ecr-deploy') && !r.throttled && r.medianMs !== null);
  const peerRows = results.follow.filter((r) => !r.follower.startsWith('ecr-deploy') && !r.throttled && r.medianMs !== null);
  const worstMax = Math.max(...ourRows.map((r) => r.maxMs ?? Infinity));
  const worstMedian = Math.max(...ourRows.map((r) => r.medianMs));
  const peerMedian = peerRows.length ? Math.max(...peerRows.map((r) => r.medianMs)) : undefined;
  reportFigure({
    figure: 'logs --follow latency (worst pattern)',
    project: `median ${fmt(worstMedian)} ms, max ${fmt(worstMax)} ms`,
    peer: peerMedian === undefined ? 'aws logs tail: not available' : `median ${fmt(peerMedian)} ms (aws logs tail --follow)`,
    ratio: peerMedian === undefined ? null : worstMedian / peerMedian,
    goal: `every event <= ${GOAL.maxMs} ms, median <= ${GOAL.medianMs} ms`,
    met: worstMax <= GOAL.maxMs && worstMedian <= GOAL.medianMs,
  });

  if (results.follow.some((r) => r.follower.startsWith('ecr-deploy') && (r.lost || r.doubled)) || results.late.some((r) => r.follower.startsWith('ecr-deploy') && (r.kept < r.written || r.doubled))) {
    console.error('bench logs: ecr-deploy lost or doubled an event while following');
    process.exitCode = 1;
  }
  if (process.env.BENCH_RESULTS) appendFileSync(process.env.BENCH_RESULTS, `${JSON.stringify(results)}\n`);
} finally {
  clients.destroy();
  await proxy.stop();
  await moto.stop();
}
