/** A metric's points as both shells show them: JSON, one text line with min/avg/max and a sparkline, a chart. */
import type { MetricQuerySpec } from './catalog';

export interface MetricPoint {
  /** ISO 8601, the start of the period. */
  timestamp: string;
  value: number;
}

export interface MetricSeries {
  namespace: string;
  metricName: string;
  stat: string;
  dimensions: Record<string, string>;
  unit: string;
  points: MetricPoint[];
  /** Where the points come from when not CloudWatch (the service's running count, read now). */
  source?: 'DescribeServices';
}

/** The answer of one query, oldest point first (CloudWatch answers newest first by default). */
export function seriesOf(spec: MetricQuerySpec, timestamps: readonly Date[], values: readonly number[]): MetricSeries {
  const points = timestamps.map((t, i) => ({ timestamp: t.toISOString(), value: values[i] })).filter((p) => Number.isFinite(p.value));
  points.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  return { namespace: spec.namespace, metricName: spec.metricName, stat: spec.stat, dimensions: spec.dimensions, unit: spec.unit, points };
}

export interface SeriesSummary {
  min: number;
  avg: number;
  max: number;
  last: number;
}

export function summarise(points: readonly MetricPoint[]): SeriesSummary | undefined {
  if (!points.length) return undefined;
  const values = points.map((p) => p.value);
  return { min: Math.min(...values), avg: values.reduce((a, b) => a + b, 0) / values.length, max: Math.max(...values), last: values[values.length - 1] };
}

const BARS = '▁▂▃▄▅▆▇█';

/** Eight levels between the series' min and max, averaged down to `width` characters. */
export function sparkline(values: readonly number[], width = 40): string {
  if (!values.length) return '';
  const buckets = Math.min(width, values.length);
  const averaged = Array.from({ length: buckets }, (_, b) => {
    const from = Math.floor((b * values.length) / buckets);
    const to = Math.max(from + 1, Math.floor(((b + 1) * values.length) / buckets));
    const slice = values.slice(from, to);
    return slice.reduce((x, y) => x + y, 0) / slice.length;
  });
  const min = Math.min(...averaged);
  const span = Math.max(...averaged) - min;
  return averaged.map((v) => BARS[span === 0 ? 0 : Math.min(BARS.length - 1, Math.floor(((v - min) / span) * BARS.length))]).join('');
}

/** A value with its unit as a person reads it: `42.5%`, `120 ms`, `3`. */
export function formatMetricValue(value: number, unit: string): string {
  // Three significant figures at most, without trailing zeros: 20%, 34.5%, 0.12.
  const round = (n: number) => String(Number(n.toFixed(Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2)));
  if (unit === 'Percent') return `${round(value)}%`;
  if (unit === 'Seconds') return value < 1 ? `${round(value * 1000)} ms` : `${round(value)} s`;
  return round(value);
}

/** `CPUUtilization Average` or `TargetResponseTime p90 (targetgroup/web/...)`. */
export function seriesLabel(series: Pick<MetricSeries, 'metricName' | 'stat' | 'dimensions'>, withTargetGroup = false): string {
  const group = withTargetGroup && series.dimensions.TargetGroup ? ` (${series.dimensions.TargetGroup.split('/')[1] ?? series.dimensions.TargetGroup})` : '';
  return `${series.metricName} ${series.stat}${group}`;
}
