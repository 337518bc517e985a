/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The Show Metrics webview: one uPlot chart per kind of figure with deploy and rollback markers, a legend
 * that shows the values under the cursor (mouse or arrow keys), and a table of the same numbers. Colours
 * come from the editor's theme (CSS variables); everything is drawn from the data the extension posts.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { chartGroups, type ChartGroup, type FromWebview, type PanelData, type ToWebview } from '../../core/metrics/panel';
import { formatMetricValue, seriesLabel } from '../../core/metrics/series';
import { METRIC_RANGES, type MetricRange } from '../../core/metrics/window';

declare function acquireVsCodeApi(): { postMessage(message: FromWebview): void; getState(): unknown; setState(state: unknown): void };

const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T;
const state = (vscode.getState() as { view?: 'charts' | 'table' } | undefined) ?? {};
let view: 'charts' | 'table' = state.view ?? 'charts';
let current: PanelData | undefined;
let plots: uPlot[] = [];

function themeColour(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

/** The theme's chart colours, in the order series are drawn. */
function palette(): string[] {
  return ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-red', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-yellow'].map((v, i) => themeColour(v, ['#3794ff', '#d18616', '#f14c4c', '#89d185', '#b180d7', '#cca700'][i]));
}

function seriesColour(metricName: string, stat: string, index: number): string {
  const colours = palette();
  if (/5XX|UnHealthy/.test(metricName)) return colours[2];
  if (/2XX|^HealthyHost/.test(metricName)) return colours[3];
  if (stat === 'Maximum' || stat === 'p90') return colours[4];
  return colours[index % 2];
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function timeText(seconds: number): string {
  return new Date(seconds * 1000).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** Every timestamp of the group's series (seconds), and each series' values on them (null where it has none). */
function aligned(group: ChartGroup): uPlot.AlignedData {
  const xs = [...new Set(group.series.flatMap((s) => s.points.map((p) => Date.parse(p.timestamp) / 1000)))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = group.series.map((s) => {
    const values: Array<number | null> = xs.map(() => null);
    for (const p of s.points) values[index.get(Date.parse(p.timestamp) / 1000)!] = p.value;
    return values;
  });
  return [xs, ...ys];
}

/** Draws each deploy and rollback as a dashed line with its tag, inside the plotting area. */
function markersPlugin(data: PanelData): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u: uPlot) => {
          const ctx = u.ctx;
          const { top, height } = u.bbox;
          const ratio = uPlot.pxRatio;
          ctx.save();
          ctx.font = `${11 * ratio}px ${themeColour('--vscode-font-family', 'sans-serif')}`;
          for (const d of data.deployments) {
            const x = u.valToPos(Date.parse(d.at) / 1000, 'x', true);
            if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
            const colour = d.kind === 'rollback' ? palette()[2] : themeColour('--vscode-editor-foreground', '#ccc');
            ctx.strokeStyle = colour;
            ctx.fillStyle = colour;
            ctx.setLineDash([4 * ratio, 3 * ratio]);
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            ctx.fillText(`${d.kind === 'rollback' ? '↩ ' : ''}${d.tag ?? '?'}`, x + 3 * ratio, top + 12 * ratio);
          }
          ctx.restore();
        },
      ],
    },
  };
}

function chartWidth(): number {
  return Math.max(320, ($('#charts').clientWidth || window.innerWidth) - 24);
}

function drawCharts(data: PanelData): void {
  for (const p of plots) p.destroy();
  plots = [];
  const container = $('#charts');
  container.replaceChildren();
  const foreground = themeColour('--vscode-editor-foreground', '#ccc');
  const grid = themeColour('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
  for (const group of chartGroups(data.series)) {
    const figure = el('figure', { class: 'chart', 'data-chart': group.id });
    const caption = el('figcaption', {}, group.title);
    const host = el('div', { class: 'plot', tabindex: '0', role: 'img', 'aria-label': `${group.title}: ${group.series.map((s) => seriesLabel(s)).join(', ')}. Arrow keys move through the points.` });
    figure.append(caption, host);
    container.append(figure);
    const chartData = aligned(group);
    const options: uPlot.Options = {
      width: chartWidth(),
      height: 200,
      scales: { x: { time: true, range: [Date.parse(data.window.start) / 1000, Date.parse(data.window.end) / 1000] } },
      axes: [
        { stroke: foreground, grid: { stroke: grid }, ticks: { stroke: grid } },
        { stroke: foreground, grid: { stroke: grid }, ticks: { stroke: grid }, size: 60, values: (_u, ticks) => ticks.map((t) => formatMetricValue(t, group.unit)) },
      ],
      series: [
        { label: 'Time', value: (_u, v) => (v == null ? '-' : timeText(v)) },
        ...group.series.map((s, i) => ({
          label: seriesLabel(s),
          stroke: seriesColour(s.metricName, s.stat, i),
          width: 1.5,
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => (v == null ? '-' : formatMetricValue(v, s.unit)),
        })),
      ],
      plugins: [markersPlugin(data)],
    };
    const plot = new uPlot(options, chartData, host);
    plots.push(plot);
    keyboardCursor(host, plot, chartData[0].length);
    if (!chartData[0].length) host.append(el('p', { class: 'empty' }, 'No data points in this range.'));
  }
  const tasks = data.series.find((s) => s.source === 'DescribeServices');
  if (tasks) container.append(el('p', { class: 'note' }, `Running tasks now: ${tasks.points[0]?.value ?? '?'} (Container Insights is off on this cluster, so CloudWatch has no task count over time).`));
}

/** Left and right arrows move the cursor (and so the legend's values) point by point; Home and End jump. */
function keyboardCursor(host: HTMLElement, plot: uPlot, count: number): void {
  let index = count - 1;
  host.addEventListener('keydown', (event) => {
    if (!count) return;
    const moves: Record<string, number> = { ArrowLeft: index - 1, ArrowRight: index + 1, Home: 0, End: count - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    index = Math.max(0, Math.min(count - 1, moves[event.key]));
    const x = plot.data[0][index];
    plot.setCursor({ left: plot.valToPos(x, 'x'), top: plot.bbox.height / uPlot.pxRatio / 2 });
  });
}

function drawTable(data: PanelData): void {
  const container = $('#table');
  container.replaceChildren();
  const series = data.series.filter((s) => !s.source);
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p.timestamp)))].sort();
  const table = el('table', { class: 'numbers' });
  table.append(el('caption', {}, `${data.service}: ${series.length} series, ${times.length} periods of ${data.window.periodSeconds} s`));
  const head = el('tr');
  head.append(el('th', { scope: 'col' }, 'Time'), ...series.map((s) => el('th', { scope: 'col', 'data-metric': s.metricName, 'data-stat': s.stat }, seriesLabel(s, true))));
  const thead = el('thead');
  thead.append(head);
  table.append(thead);
  const body = el('tbody');
  const byTime = series.map((s) => new Map(s.points.map((p) => [p.timestamp, p.value])));
  for (const t of [...times].reverse()) {
    const row = el('tr', { 'data-time': t });
    const marker = data.deployments.find((d) => Math.abs(Date.parse(d.at) - Date.parse(t)) < data.window.periodSeconds * 1000 && Date.parse(d.at) >= Date.parse(t));
    row.append(el('th', { scope: 'row' }, `${timeText(Date.parse(t) / 1000)}${marker ? ` — ${marker.kind} ${marker.tag ?? ''}` : ''}`));
    byTime.forEach((values, i) => {
      const v = values.get(t);
      row.append(el('td', v === undefined ? {} : { 'data-value': String(v) }, v === undefined ? '' : formatMetricValue(v, series[i].unit)));
    });
    body.append(row);
  }
  table.append(body);
  container.append(table);
}

function render(): void {
  $('#charts').hidden = view !== 'charts';
  $('#table').hidden = view !== 'table';
  const toggle = $('#toggle-view');
  toggle.textContent = view === 'charts' ? 'Show Table' : 'Show Charts';
  if (!current) return;
  $('#status').textContent = `Updated ${new Date(current.readAt).toLocaleTimeString()} · ${current.window.periodSeconds} s per point${current.unanswered.length ? ` · not answered here: ${current.unanswered.join(', ')}` : ''}`;
  const deployments = current.deployments.map((d) => `${d.kind === 'rollback' ? 'Rollback' : 'Deploy'} ${d.tag ?? '?'} at ${new Date(d.at).toLocaleTimeString()}${d.status ? ` (${d.status})` : ''}`);
  $('#deployments').textContent = deployments.length ? deployments.join(' · ') : 'No deployments in this range.';
  if (view === 'charts') drawCharts(current);
  else drawTable(current);
}

function setRange(range: MetricRange): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-range]')) b.setAttribute('aria-pressed', String(b.dataset.range === range));
}

function start(): void {
  const ranges = $('#ranges');
  for (const range of METRIC_RANGES) {
    const button = el('button', { 'data-range': range, 'aria-pressed': 'false', title: `The last ${range}` }, range);
    button.addEventListener('click', () => {
      setRange(range);
      vscode.postMessage({ type: 'range', range });
    });
    ranges.append(button);
  }
  $('#refresh').addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
  $('#toggle-view').addEventListener('click', () => {
    view = view === 'charts' ? 'table' : 'charts';
    vscode.setState({ view });
    render();
  });
  window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
    const message = event.data;
    if (message.type === 'loading') {
      setRange(message.range);
      $('#status').textContent = 'Reading metrics…';
    } else if (message.type === 'error') {
      setRange(message.range);
      $('#status').textContent = message.message;
    } else {
      current = message.data;
      setRange(current.range);
      render();
    }
  });
  let resizing: number | undefined;
  window.addEventListener('resize', () => {
    clearTimeout(resizing);
    resizing = window.setTimeout(() => plots.forEach((p) => p.setSize({ width: chartWidth(), height: 200 })), 100);
  });
  render();
  vscode.postMessage({ type: 'ready' });
}

start();
