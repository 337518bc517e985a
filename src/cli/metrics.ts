/**
 * `ecr-deploy metrics`: a service's CloudWatch series and its deployments over a window, as JSON with
 * every point, or one text line per series (min/avg/max and a sparkline). Read-only.
 */
import * as edge from '../aws/index';
import { readServiceMetrics, type ServiceMetrics } from '../app/metrics/serviceMetrics';
import { formatMetricValue, seriesLabel, sparkline, summarise } from '../core/metrics/series';
import { parseMetricWindow } from '../core/metrics/window';
import { UsageError, requiredServiceRef, table, toJson, withAwsClients, type CommandDefinition } from './framework';

export const metricsCommand: CommandDefinition = {
  name: 'metrics',
  summary: "A service's CloudWatch metrics (CPU, memory, tasks, its load balancers' requests, errors, latency, healthy hosts) with its deployments.",
  usage: 'metrics --cluster C --service S [--since 3h] [--period SECONDS] [--maximum] [--output json|text]',
  options: { cluster: { type: 'string', short: 'c' }, service: { type: 'string', short: 's' }, since: { type: 'string' }, period: { type: 'string' }, maximum: { type: 'boolean' } },
  optionHelp: [
    ['-c, --cluster NAME', 'ECS cluster (name or ARN, required)'],
    ['-s, --service NAME', 'ECS service (name or ARN, required)'],
    ['--since DURATION', 'How far back: 1h, 3h (default), 12h, 1d, 1w, or any duration up to 15d'],
    ['--period SECONDS', 'Seconds per point: 1, 5, 10, 30 or a multiple of 60 (default: 60 up to 3h, 300 up to 1d, 3600 beyond)'],
    ['--maximum', 'Also the Maximum of CPU and memory (the default statistic is Average, Sum for counts)'],
  ],
  async run(context) {
    const ref = requiredServiceRef(context);
    const since = typeof context.values.since === 'string' ? context.values.since : '3h';
    const period = typeof context.values.period === 'string' ? context.values.period : undefined;
    const window = parseMetricWindow(since, period);
    if (!window.ok) throw new UsageError(window.message);
    const read: ServiceMetrics = await withAwsClients(context, edge, (access) =>
      readServiceMetrics(access, { ref, rangeMs: window.rangeMs, periodSeconds: window.periodSeconds, maximum: context.values.maximum === true }, { signal: context.signal }),
    );
    if (context.output === 'json') {
      context.stdout(
        toJson({
          window: { start: read.window.start, end: read.window.end, periodSeconds: read.window.periodSeconds },
          series: read.series.map(({ namespace, metricName, stat, dimensions, unit, points, source }) => ({ namespace, metricName, stat, dimensions, unit, ...(source ? { source } : {}), points })),
          deployments: read.deployments.map(({ at, tag, taskDefinitionArn, kind, status }) => ({ at, tag, taskDefinitionArn, kind, status })),
          ...(read.unanswered.length ? { unanswered: read.unanswered } : {}),
        }),
      );
      return;
    }
    const several = read.targetGroups.length > 1;
    const rows = read.series.map((s) => {
      const summary = summarise(s.points);
      const label = seriesLabel(s, several) + (s.source ? ' (now)' : '');
      if (!summary) return [label, '-', '-', '-', 'no data'];
      const f = (v: number) => formatMetricValue(v, s.unit);
      return [label, f(summary.min), f(summary.avg), f(summary.max), sparkline(s.points.map((p) => p.value))];
    });
    context.stdout(`${ref.service} in ${ref.cluster}, ${read.window.start.toISOString()} to ${read.window.end.toISOString()}, ${read.window.periodSeconds} s per point\n`);
    context.stdout(table(['SERIES', 'MIN', 'AVG', 'MAX', 'TREND'], rows));
    if (!read.targetGroups.length) context.stdout('No load balancer: the service has no target groups, so no request or host metrics.\n');
    if (read.unanswered.length) context.stdout(`Not answered by this endpoint: ${read.unanswered.join(', ')} (extended statistics).\n`);
    for (const d of read.deployments) context.stdout(`${d.kind === 'rollback' ? 'Rollback' : 'Deploy'}: ${d.at} ${d.tag ?? '?'} (${d.taskDefinitionArn.split('/').pop()})${d.status ? ` ${d.status}` : ''}\n`);
  },
};
