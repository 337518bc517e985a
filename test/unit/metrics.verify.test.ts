/** The verify-after-deploy comparison: windows, figures from series, each figure's threshold both ways, a cancel. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { compareWindows, DEFAULT_VERIFY_THRESHOLDS, verifyPeriodSeconds, verifyWindows, windowFigures, thresholdsProblem } from '../../src/core/metrics/verify';
import type { MetricSeries } from '../../src/core/metrics/series';
import { verifyDeploy, type VerifyAccess } from '../../src/app/deploy/verifyDeploy';

const series = (metricName: string, stat: string, points: Array<[number, number]>, TargetGroup = 'targetgroup/web/1'): MetricSeries => ({
  namespace: metricName.startsWith('HTTP') || ['RequestCount', 'TargetResponseTime', 'HealthyHostCount'].includes(metricName) ? 'AWS/ApplicationELB' : 'AWS/ECS',
  metricName,
  stat,
  dimensions: { TargetGroup },
  unit: 'Count',
  points: points.map(([t, value]) => ({ timestamp: new Date(t).toISOString(), value })),
});

describe('verify windows', () => {
  it('a minute a point from three minutes on; shorter windows the longest high-resolution period with three points', () => {
    assert.equal(verifyPeriodSeconds(10 * 60_000), 60);
    assert.equal(verifyPeriodSeconds(3 * 60_000), 60);
    assert.equal(verifyPeriodSeconds(60_000), 10);
    assert.equal(verifyPeriodSeconds(15_000), 5);
    assert.equal(verifyPeriodSeconds(2_000), 1);
  });

  it('before ends at the last whole period before the update, after starts at the first whole period after success', () => {
    const w = verifyWindows(Date.UTC(2026, 0, 1, 10, 0, 30), Date.UTC(2026, 0, 1, 10, 3, 10), 5 * 60_000);
    assert.equal(w.periodSeconds, 60);
    assert.deepEqual([new Date(w.before.start).toISOString(), new Date(w.before.end).toISOString()], ['2026-01-01T09:55:00.000Z', '2026-01-01T10:00:00.000Z']);
    assert.deepEqual([new Date(w.after.start).toISOString(), new Date(w.after.end).toISOString()], ['2026-01-01T10:04:00.000Z', '2026-01-01T10:09:00.000Z']);
  });
});

describe('window figures', () => {
  it('sums counts over the window and target groups, averages the rest; points outside [from, to) are left out', () => {
    const all = [
      series('RequestCount', 'Sum', [[0, 100], [60_000, 100], [120_000, 999]]),
      series('RequestCount', 'Sum', [[0, 50]], 'targetgroup/green/2'),
      series('HTTPCode_Target_5XX_Count', 'Sum', [[0, 5], [60_000, 10]]),
      series('TargetResponseTime', 'Average', [[0, 0.1], [60_000, 0.3]]),
      series('HealthyHostCount', 'Average', [[0, 2], [60_000, 1]]),
      series('HealthyHostCount', 'Average', [[0, 2]], 'targetgroup/green/2'),
      series('CPUUtilization', 'Average', [[0, 30], [60_000, 50]]),
    ];
    const f = windowFigures(all, 0, 120_000);
    assert.equal(f.requests, 250);
    assert.equal(f.errors, 15);
    assert.equal(f.errorRate, 15 / 250);
    assert.ok(Math.abs(f.responseTime! - 0.2) < 1e-9);
    assert.equal(f.healthyHosts, 1.5 + 2);
    assert.equal(f.cpu, 40);
    assert.equal(f.memory, undefined);
  });

  it('no requests: no 5xx rate (not 0%)', () => {
    assert.equal(windowFigures([series('HTTPCode_Target_5XX_Count', 'Sum', [[0, 3]])], 0, 60_000).errorRate, undefined);
  });
});

describe('compareWindows', () => {
  const t = DEFAULT_VERIFY_THRESHOLDS;
  const one = (before: object, after: object, figure: string) => compareWindows(before, after, t).comparisons.find((c) => c.figure === figure)!;

  it('5xx rate: over +1 point regresses, at +1 it does not', () => {
    assert.equal(one({ errorRate: 0.002 }, { errorRate: 0.0121 }, 'errorRate').regressed, true);
    assert.equal(one({ errorRate: 0.002 }, { errorRate: 0.012 }, 'errorRate').regressed, false);
    assert.equal(one({ errorRate: 0.002 }, { errorRate: 0.184 }, 'errorRate').text, '5xx rate 0.2% -> 18.4% (+18.2 points; limit +1)');
  });

  it('response time: +50% and 50 ms both needed', () => {
    assert.equal(one({ responseTime: 0.1 }, { responseTime: 0.2 }, 'responseTime').regressed, true);
    assert.equal(one({ responseTime: 0.1 }, { responseTime: 0.14 }, 'responseTime').regressed, false, '+40%');
    assert.equal(one({ responseTime: 0.002 }, { responseTime: 0.02 }, 'responseTime').regressed, false, '+900% but only 18 ms');
    assert.equal(one({ responseTime: 0.08 }, { responseTime: 0.45 }, 'responseTime').text, 'response time 80 ms -> 450 ms (+463%; limit +50%)');
  });

  it('healthy hosts: a fall of more than 25% regresses; more hosts never do', () => {
    assert.equal(one({ healthyHosts: 2 }, { healthyHosts: 1 }, 'healthyHosts').regressed, true);
    assert.equal(one({ healthyHosts: 4 }, { healthyHosts: 3 }, 'healthyHosts').regressed, false);
    assert.equal(one({ healthyHosts: 2 }, { healthyHosts: 4 }, 'healthyHosts').regressed, false);
  });

  it('CPU and memory: over +20 points regresses', () => {
    assert.equal(one({ cpu: 30 }, { cpu: 51 }, 'cpu').regressed, true);
    assert.equal(one({ memory: 40 }, { memory: 60 }, 'memory').regressed, false);
  });

  it('a figure missing from a window is not compared, and says which window lacks it', () => {
    const c = compareWindows({ cpu: 30 }, {}, t);
    assert.equal(c.compared, 0);
    assert.deepEqual(c.regressions, []);
    assert.equal(c.comparisons.find((x) => x.figure === 'cpu')!.text, 'CPU: not compared (no data since the deploy)');
    assert.equal(c.comparisons.find((x) => x.figure === 'memory')!.text, 'memory: not compared (no data in either window)');
  });

  it('custom thresholds apply, and unusable ones are named', () => {
    assert.equal(compareWindows({ cpu: 30 }, { cpu: 40 }, { ...t, utilizationIncreasePoints: 5 }).regressions.length, 1);
    assert.match(thresholdsProblem({ ...t, responseTimeIncreasePercent: -1 }) ?? '', /responseTimeIncreasePercent must be a number of 0 or more/);
    assert.equal(thresholdsProblem(t), undefined);
  });
});

describe('verifyDeploy', () => {
  // A client fake: the cancel path is about time, not AWS; the integration test covers the wire.
  const fakeAccess = (calls: string[]): VerifyAccess => ({
    edge: {
      ecs: { requireService: async () => ({ serviceName: 'web', loadBalancers: [] }) as never },
      elbv2: { describeTargetGroups: async () => [] },
      metrics: {
        getMetricData: async () => {
          calls.push('GetMetricData');
          return { results: new Map(), unanswered: [], requests: 1 };
        },
      },
    },
    clients: {} as VerifyAccess['clients'],
  });

  it('cancelled while watching: not verified, and the reason says nothing was rolled back', async () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const started = Date.now();
    const progress: number[] = [];
    const result = await verifyDeploy(fakeAccess(calls), { ref: { cluster: 'c', service: 'web' }, updatedAt: started - 1000, succeededAt: started - 5000 }, { windowMs: 60_000, thresholds: DEFAULT_VERIFY_THRESHOLDS }, {
      signal: controller.signal,
      intervalMs: 10,
      onVerify: (p) => {
        progress.push(p.remainingMs);
        if (progress.length === 3) controller.abort();
      },
    });
    assert.equal(result.verdict, 'not-verified');
    assert.match(result.reason, /^Not verified: the watch was cancelled after \d+ s of 1 min; the rollout succeeded and nothing was rolled back\.$/);
    assert.ok(progress[0] >= progress[2], 'the window counts down');
  });

  it('no figures in either window: not verified (no success claimed), after one read per poll', async () => {
    const calls: string[] = [];
    const now = Date.now();
    const result = await verifyDeploy(fakeAccess(calls), { ref: { cluster: 'c', service: 'web' }, updatedAt: now - 60_000, succeededAt: now - 61_000 }, { windowMs: 2000, thresholds: DEFAULT_VERIFY_THRESHOLDS }, { intervalMs: 500 });
    assert.equal(result.verdict, 'not-verified');
    assert.match(result.reason, /^Not verified: CloudWatch had no figures to compare/);
    assert.equal(result.requests, calls.length);
    assert.ok(calls.length >= 1);
  });
});

describe('verifyDeploy when CloudWatch fails for a moment', () => {
  // A client fake again: a throttled answer on demand is what no real part here produces on cue.
  it('a throttled final read is told and tried again with backoff: the verdict still comes', async () => {
    const now = Date.now();
    let calls = 0;
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    const access: VerifyAccess = {
      edge: {
        ecs: { requireService: async () => ({ serviceName: 'web', loadBalancers: [] }) as never },
        elbv2: { describeTargetGroups: async () => [] },
        metrics: {
          getMetricData: async (_client, specs) => {
            calls++;
            if (calls <= 2) throw throttled;
            const cpu = specs.find((s) => s.metricName === 'CPUUtilization')!;
            // One point in each window: 30% before, 35% after.
            const w = verifyWindows(now - 2000, now - 1500, 1000);
            return { results: new Map([[cpu.id, { timestamps: [new Date(w.before.start), new Date(w.after.start)], values: [30, 35] }]]), unanswered: [], requests: 1 };
          },
        },
      },
      clients: {} as VerifyAccess['clients'],
    };
    const told: string[] = [];
    const result = await verifyDeploy(access, { ref: { cluster: 'c', service: 'web' }, updatedAt: now - 2000, succeededAt: now - 1500 }, { windowMs: 1000, thresholds: DEFAULT_VERIFY_THRESHOLDS }, { intervalMs: 50, now: () => now + 5000, onVerify: (p) => p.retrying && told.push(p.retrying) });
    assert.equal(result.verdict, 'verified', result.reason);
    assert.match(result.reason, /CPU 30% -> 35%/);
    assert.ok(told.length >= 1 && /ThrottlingException/.test(told[0]), told.join(' | '));
  });
});
