/**
 * The time window of a metrics read: the ranges offered in the panel, the period chosen for each so a
 * chart keeps a few hundred points at most, and the window aligned to whole periods (CloudWatch buckets
 * from StartTime, so an unaligned start would split every period in two).
 */
import { parseDuration } from '../logs/since';

export const METRIC_RANGES = ['1h', '3h', '12h', '1d', '1w'] as const;
export type MetricRange = (typeof METRIC_RANGES)[number];

/** Periods CloudWatch accepts: high resolution 1, 5, 10, 30 s, else a multiple of 60. */
export function isValidPeriod(seconds: number): boolean {
  return Number.isInteger(seconds) && seconds > 0 && ([1, 5, 10, 30].includes(seconds) || seconds % 60 === 0);
}

/** One minute up to 3 hours (180 points), five minutes up to a day (288), an hour beyond (168 in a week). */
export function defaultPeriod(rangeMs: number): number {
  if (rangeMs <= 3 * 3_600_000) return 60;
  if (rangeMs <= 86_400_000) return 300;
  return 3600;
}

/** Most points one series may have: GetMetricData returns at most 100,800 per call, and a chart reads no more. */
export const MAX_POINTS_PER_SERIES = 1440;

export type ParsedWindow = { ok: true; rangeMs: number; periodSeconds: number } | { ok: false; message: string };

/** `--since 3h --period 60` as the CLI and the panel take them; the period defaults from the range. */
export function parseMetricWindow(since: string, period?: string): ParsedWindow {
  const rangeMs = parseDuration(since);
  if (rangeMs === undefined || rangeMs < 60_000) return { ok: false, message: `--since must be a duration of a minute or more such as 1h, 3h, 12h, 1d or 1w, not "${since}".` };
  if (rangeMs > 15 * 86_400_000) return { ok: false, message: `--since is at most 15d (CloudWatch keeps one-minute data 15 days), not "${since}".` };
  if (period === undefined) return { ok: true, rangeMs, periodSeconds: defaultPeriod(rangeMs) };
  const periodSeconds = /^\d+$/.test(period) ? Number(period) : NaN;
  if (!isValidPeriod(periodSeconds)) return { ok: false, message: `--period must be 1, 5, 10, 30 or a multiple of 60 seconds, not "${period}".` };
  if (rangeMs / (periodSeconds * 1000) > MAX_POINTS_PER_SERIES) return { ok: false, message: `--period ${periodSeconds} gives more than ${MAX_POINTS_PER_SERIES} points over ${since}: choose a longer period.` };
  return { ok: true, rangeMs, periodSeconds };
}

export interface MetricWindow {
  start: Date;
  end: Date;
  periodSeconds: number;
}

/** The last `rangeMs` up to the end of the current period, on period boundaries. */
export function alignedWindow(now: number, rangeMs: number, periodSeconds: number): MetricWindow {
  const periodMs = periodSeconds * 1000;
  const end = Math.ceil(now / periodMs) * periodMs;
  const start = end - Math.ceil(rangeMs / periodMs) * periodMs;
  return { start: new Date(start), end: new Date(end === start ? end + periodMs : end), periodSeconds };
}
