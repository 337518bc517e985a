/**
 * What the Show Metrics panel and its webview say to each other, and how the series are grouped into charts.
 * Pure: the extension side (features/metrics) and the webview bundle (src/webview/metrics) both import it.
 */
import type { MetricSeries } from './series';
import type { MetricRange } from './window';

export interface PanelDeployment {
  at: string;
  tag?: string;
  taskDefinitionArn: string;
  kind: 'deploy' | 'rollback';
  status?: string;
}

export interface PanelData {
  service: string;
  cluster: string;
  range: MetricRange;
  window: { start: string; end: string; periodSeconds: number };
  series: MetricSeries[];
  deployments: PanelDeployment[];
  unanswered: string[];
  /** ISO time of the read. */
  readAt: string;
}

/** Extension -> webview. */
export type ToWebview = { type: 'metrics'; data: PanelData } | { type: 'loading'; range: MetricRange } | { type: 'error'; message: string; range: MetricRange };

/** Webview -> extension: ready after (re)load, a range chosen, a refresh asked for. */
export type FromWebview = { type: 'ready' } | { type: 'range'; range: MetricRange } | { type: 'refresh' };

export interface ChartGroup {
  id: string;
  title: string;
  unit: string;
  series: MetricSeries[];
}

const GROUPS: Array<{ id: string; title: string; unit: string; metrics: string[] }> = [
  { id: 'utilisation', title: 'CPU and memory', unit: 'Percent', metrics: ['CPUUtilization', 'MemoryUtilization'] },
  { id: 'tasks', title: 'Running tasks', unit: 'Count', metrics: ['RunningTaskCount'] },
  { id: 'requests', title: 'Requests and responses', unit: 'Count', metrics: ['RequestCount', 'HTTPCode_Target_2XX_Count', 'HTTPCode_Target_5XX_Count'] },
  { id: 'latency', title: 'Target response time', unit: 'Seconds', metrics: ['TargetResponseTime'] },
  { id: 'hosts', title: 'Healthy and unhealthy hosts', unit: 'Count', metrics: ['HealthyHostCount', 'UnHealthyHostCount'] },
];

/** One chart per kind of figure (and per target group for the load balancer's), in a fixed order; empty kinds left out. */
export function chartGroups(series: readonly MetricSeries[]): ChartGroup[] {
  const charts: ChartGroup[] = [];
  for (const group of GROUPS) {
    const members = series.filter((s) => group.metrics.includes(s.metricName) && !s.source);
    const byTargetGroup = new Map<string, MetricSeries[]>();
    for (const s of members) byTargetGroup.set(s.dimensions.TargetGroup ?? '', [...(byTargetGroup.get(s.dimensions.TargetGroup ?? '') ?? []), s]);
    const several = byTargetGroup.size > 1;
    for (const [targetGroup, list] of byTargetGroup) {
      const name = targetGroup.split('/')[1];
      charts.push({ id: several ? `${group.id}-${name}` : group.id, title: several && name ? `${group.title} (${name})` : group.title, unit: group.unit, series: list });
    }
  }
  return charts;
}
