/**
 * Verify after deploy: the new revision's window of CloudWatch figures against a window of the same length
 * just before the deploy. Pure: the windows, the figures of each, and which of them regressed beyond the
 * thresholds, in words that carry the numbers.
 */
import type { MetricSeries } from './series';
import { formatMetricValue } from './series';

export interface VerifyThresholds {
  /** Percentage points the 5xx share of requests may rise by (1: 0.2% -> 1.2% is still fine). */
  errorRateIncreasePoints: number;
  /** Percent the average response time may rise by (and at least RESPONSE_TIME_FLOOR_SECONDS). */
  responseTimeIncreasePercent: number;
  /** Percent the average healthy host count may fall by. */
  healthyHostsDecreasePercent: number;
  /** Percentage points average CPU or memory utilisation may rise by. */
  utilizationIncreasePoints: number;
}

export const DEFAULT_VERIFY_THRESHOLDS: VerifyThresholds = {
  errorRateIncreasePoints: 1,
  responseTimeIncreasePercent: 50,
  healthyHostsDecreasePercent: 25,
  utilizationIncreasePoints: 20,
};

/** A slower response counts only when it is also this much slower: 2 ms -> 4 ms is +100% and no regression. */
export const RESPONSE_TIME_FLOOR_SECONDS = 0.05;

/** The longest verify window: CloudWatch's one-minute data, and a deploy someone is waiting on. */
export const MAX_VERIFY_MINUTES = 180;

export interface VerifyWindows {
  periodSeconds: number;
  /** Epoch ms, [start, end). */
  before: { start: number; end: number };
  after: { start: number; end: number };
}

/**
 * One minute per point for windows of three minutes or more; shorter windows (tests, high-resolution
 * metrics) take the longest high-resolution period that still gives three points.
 */
export function verifyPeriodSeconds(windowMs: number): number {
  for (const period of [60, 30, 10, 5]) if (windowMs / (period * 1000) >= 3) return period;
  return 1;
}

/**
 * The window before ends at the last whole period before the update; the window after starts at the first
 * whole period after the rollout succeeded (the rollout itself is in neither). Both are whole periods long.
 */
export function verifyWindows(updatedAt: number, succeededAt: number, windowMs: number): VerifyWindows {
  const periodSeconds = verifyPeriodSeconds(windowMs);
  const p = periodSeconds * 1000;
  const length = Math.max(1, Math.ceil(windowMs / p)) * p;
  const beforeEnd = Math.floor(updatedAt / p) * p;
  const afterStart = Math.ceil(succeededAt / p) * p;
  return { periodSeconds, before: { start: beforeEnd - length, end: beforeEnd }, after: { start: afterStart, end: afterStart + length } };
}

export interface WindowFigures {
  requests?: number;
  errors?: number;
  /** 5xx count / request count, 0..1. */
  errorRate?: number;
  /** Seconds, the mean of the periods' averages. */
  responseTime?: number;
  /** Summed over target groups, the mean of the periods' averages. */
  healthyHosts?: number;
  cpu?: number;
  memory?: number;
}

function pointsIn(series: MetricSeries, from: number, to: number): number[] {
  return series.points.filter((p) => {
    const t = Date.parse(p.timestamp);
    return t >= from && t < to;
  }).map((p) => p.value);
}

const mean = (values: readonly number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined);

/** The figures of [from, to) from the series of serviceMetricQueries (several target groups are added up). */
export function windowFigures(series: readonly MetricSeries[], from: number, to: number): WindowFigures {
  const named = (metricName: string, stat: string) => series.filter((s) => s.metricName === metricName && s.stat === stat);
  const sumOf = (metricName: string) => {
    const values = named(metricName, 'Sum').flatMap((s) => pointsIn(s, from, to));
    return values.length ? values.reduce((a, b) => a + b, 0) : undefined;
  };
  const meanOf = (metricName: string) => mean(named(metricName, 'Average').flatMap((s) => pointsIn(s, from, to)));
  const groupsSum = (metricName: string) => {
    const perGroup = named(metricName, 'Average').map((s) => mean(pointsIn(s, from, to))).filter((v): v is number => v !== undefined);
    return perGroup.length ? perGroup.reduce((a, b) => a + b, 0) : undefined;
  };
  const requests = sumOf('RequestCount');
  const errors = sumOf('HTTPCode_Target_5XX_Count');
  return {
    requests,
    errors,
    errorRate: requests ? (errors ?? 0) / requests : undefined,
    responseTime: meanOf('TargetResponseTime'),
    healthyHosts: groupsSum('HealthyHostCount'),
    cpu: meanOf('CPUUtilization'),
    memory: meanOf('MemoryUtilization'),
  };
}

export type ComparedFigure = 'errorRate' | 'responseTime' | 'healthyHosts' | 'cpu' | 'memory';

export interface Comparison {
  figure: ComparedFigure;
  before?: number;
  after?: number;
  regressed: boolean;
  /** `5xx rate 0.2% -> 18.4% (+18.2 points; limit +1)`, or why it was not compared. */
  text: string;
}

const LABELS: Record<ComparedFigure, string> = { errorRate: '5xx rate', responseTime: 'response time', healthyHosts: 'healthy hosts', cpu: 'CPU', memory: 'memory' };
const UNITS: Record<ComparedFigure, string> = { errorRate: 'Percent', responseTime: 'Seconds', healthyHosts: 'Count', cpu: 'Percent', memory: 'Percent' };

function shown(figure: ComparedFigure, value: number): string {
  return formatMetricValue(figure === 'errorRate' ? value * 100 : value, UNITS[figure]);
}

const signed = (n: number, digits = 1) => `${n >= 0 ? '+' : ''}${Number(n.toFixed(digits))}`;

function compareOne(figure: ComparedFigure, before: number | undefined, after: number | undefined, t: VerifyThresholds): Comparison {
  const label = LABELS[figure];
  if (before === undefined || after === undefined) {
    const missing = before === undefined && after === undefined ? 'no data in either window' : before === undefined ? 'no data before the deploy' : 'no data since the deploy';
    return { figure, before, after, regressed: false, text: `${label}: not compared (${missing})` };
  }
  const change = `${label} ${shown(figure, before)} -> ${shown(figure, after)}`;
  switch (figure) {
    case 'errorRate': {
      const points = (after - before) * 100;
      return { figure, before, after, regressed: points > t.errorRateIncreasePoints, text: `${change} (${signed(points)} points; limit +${t.errorRateIncreasePoints})` };
    }
    case 'responseTime': {
      const percent = before > 0 ? ((after - before) / before) * 100 : after > 0 ? Infinity : 0;
      const regressed = percent > t.responseTimeIncreasePercent && after - before >= RESPONSE_TIME_FLOOR_SECONDS;
      return { figure, before, after, regressed, text: `${change} (${Number.isFinite(percent) ? `${signed(percent, 0)}%` : 'from zero'}; limit +${t.responseTimeIncreasePercent}%)` };
    }
    case 'healthyHosts': {
      const percent = before > 0 ? ((before - after) / before) * 100 : 0;
      return { figure, before, after, regressed: percent > t.healthyHostsDecreasePercent, text: `${change} (${signed(-percent, 0)}%; limit -${t.healthyHostsDecreasePercent}%)` };
    }
    default: {
      const points = after - before;
      return { figure, before, after, regressed: points > t.utilizationIncreasePoints, text: `${change} (${signed(points)} points; limit +${t.utilizationIncreasePoints})` };
    }
  }
}

export interface WindowComparison {
  comparisons: Comparison[];
  regressions: Comparison[];
  /** Figures with data in both windows. */
  compared: number;
}

export function compareWindows(before: WindowFigures, after: WindowFigures, thresholds: VerifyThresholds = DEFAULT_VERIFY_THRESHOLDS): WindowComparison {
  const figures: ComparedFigure[] = ['errorRate', 'responseTime', 'healthyHosts', 'cpu', 'memory'];
  const comparisons = figures.map((f) => compareOne(f, before[f], after[f], thresholds));
  return { comparisons, regressions: comparisons.filter((c) => c.regressed), compared: comparisons.filter((c) => c.before !== undefined && c.after !== undefined).length };
}

/** Whether the thresholds are usable numbers (settings are typed by hand). */
export function thresholdsProblem(t: VerifyThresholds): string | undefined {
  for (const [name, value] of Object.entries(t)) if (!Number.isFinite(value) || value < 0) return `the verify threshold ${name} must be a number of 0 or more, not ${String(value)}.`;
  return undefined;
}
