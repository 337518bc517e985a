/**
 * Show Metrics: one webview panel per service with its CloudWatch series as charts and a table, deploy and
 * rollback markers from ECS's record and this workspace's history. It reads while visible (at once, then every
 * `ecrDeploy.metrics.refreshSeconds`) and nothing while hidden; each read cancels the one before.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { readServiceMetrics } from '../../app/metrics/serviceMetrics';
import type { FromWebview, PanelData, ToWebview } from '../../core/metrics/panel';
import { METRIC_RANGES, defaultPeriod, type MetricRange } from '../../core/metrics/window';
import { parseDuration } from '../../core/logs/since';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import type { DeploymentRecord } from '../../core/deploy/history';
import type { AwsSession } from '../connection/awsSession';
import type { Log } from '../log';

export interface MetricsHistory {
  all(): DeploymentRecord[];
}

const DEFAULT_RANGE: MetricRange = '3h';

function refreshSeconds(): number {
  const value = vscode.workspace.getConfiguration('ecrDeploy').get<number>('metrics.refreshSeconds', 60);
  return Math.max(10, Number.isFinite(value) ? value : 60);
}

export class MetricsPanels implements vscode.Disposable {
  private readonly panels = new Map<string, MetricsPanel>();

  constructor(
    private readonly session: AwsSession,
    private readonly log: Log,
    private readonly history: MetricsHistory,
    private readonly extensionUri: vscode.Uri,
  ) {}

  show(ref: ServiceRef): void {
    const key = `${ref.cluster}/${ref.service}`;
    const open = this.panels.get(key);
    if (open) return open.reveal();
    const panel = new MetricsPanel(ref, this.session, this.log, this.history, this.extensionUri, () => this.panels.delete(key));
    this.panels.set(key, panel);
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
  }
}

class MetricsPanel {
  private readonly panel: vscode.WebviewPanel;
  private readonly subscriptions: vscode.Disposable[] = [];
  private range: MetricRange = DEFAULT_RANGE;
  private timer: ReturnType<typeof setInterval> | undefined;
  private reading: AbortController | undefined;
  private disposed = false;

  constructor(
    private readonly ref: ServiceRef,
    private readonly session: AwsSession,
    private readonly log: Log,
    private readonly history: MetricsHistory,
    extensionUri: vscode.Uri,
    private readonly onDisposed: () => void,
  ) {
    const webviewRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    this.panel = vscode.window.createWebviewPanel('ecrDeploy.metrics', `Metrics: ${ref.service}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [webviewRoot],
    });
    this.panel.webview.html = this.html(webviewRoot);
    this.subscriptions.push(
      this.panel.onDidDispose(() => this.dispose()),
      this.panel.onDidChangeViewState(() => this.followVisibility()),
      this.panel.webview.onDidReceiveMessage((message: FromWebview) => this.receive(message)),
      this.session.onDidChange(() => void this.read()),
    );
  }

  reveal(): void {
    this.panel.reveal();
  }

  private receive(message: FromWebview): void {
    if (message.type === 'ready' || message.type === 'refresh') void this.read();
    else if (message.type === 'range' && (METRIC_RANGES as readonly string[]).includes(message.range)) {
      this.range = message.range;
      void this.read();
    }
  }

  /** Reads on a timer only while the panel is visible: a hidden panel costs no calls. */
  private followVisibility(): void {
    if (this.panel.visible && !this.timer) {
      this.timer = setInterval(() => void this.read(), refreshSeconds() * 1000);
    } else if (!this.panel.visible) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.reading?.abort();
    }
  }

  private post(message: ToWebview): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private async read(): Promise<void> {
    if (this.disposed || !this.panel.visible) return;
    this.followVisibility();
    this.reading?.abort();
    const reading = new AbortController();
    this.reading = reading;
    const range = this.range;
    this.post({ type: 'loading', range });
    try {
      const access = await this.session.access();
      const rangeMs = parseDuration(range)!;
      const known = this.history
        .all()
        .filter((r) => (r.service === this.ref.service || r.serviceArn === this.ref.service) && (r.cluster === this.ref.cluster || r.serviceArn.includes(`/${this.ref.cluster}/`)))
        .map((r) => ({ at: r.at, kind: r.kind === 'deploy' ? ('deploy' as const) : ('rollback' as const), taskDefinitionArn: r.toTaskDefinitionArn, image: r.image, status: r.result }));
      const read = await readServiceMetrics(access, { ref: this.ref, rangeMs, periodSeconds: defaultPeriod(rangeMs), known }, { signal: reading.signal });
      if (reading.signal.aborted) return;
      const data: PanelData = {
        service: this.ref.service,
        cluster: this.ref.cluster,
        range,
        window: { start: read.window.start.toISOString(), end: read.window.end.toISOString(), periodSeconds: read.window.periodSeconds },
        series: read.series,
        deployments: read.deployments,
        unanswered: read.unanswered,
        readAt: new Date().toISOString(),
      };
      this.post({ type: 'metrics', data });
    } catch (error) {
      if (reading.signal.aborted) return;
      const described = this.session.describe(error);
      this.log.warn(`Metrics of ${this.ref.cluster}/${this.ref.service}: ${described.message}`);
      this.post({ type: 'error', message: `Could not read metrics: ${described.message}`, range });
    }
  }

  private html(root: vscode.Uri): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'metrics.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'metrics.css'));
    // Nothing remote: scripts only with the nonce, styles and fonts only from the extension.
    const csp = [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${webview.cspSource} 'nonce-${nonce}'`, `img-src ${webview.cspSource} data:`, `font-src ${webview.cspSource}`].join('; ');
    const title = `${this.ref.service} in ${this.ref.cluster}`.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<style nonce="${nonce}">
  body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 12px 12px; }
  header { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; position: sticky; top: 0; background: var(--vscode-editor-background); padding: 8px 0; z-index: 2; }
  h1 { font-size: 1.1em; margin: 0 12px 0 0; font-weight: 600; }
  button { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); border: 1px solid var(--vscode-button-border, transparent); padding: 3px 10px; cursor: pointer; font: inherit; }
  button:hover { background: var(--vscode-button-secondaryHoverBackground); }
  button[aria-pressed="true"] { color: var(--vscode-button-foreground); background: var(--vscode-button-background); }
  button:focus-visible, .plot:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
  #status, #deployments, .note, .empty { color: var(--vscode-descriptionForeground); }
  #deployments { margin: 4px 0 8px; }
  figure.chart { margin: 0 0 16px; }
  figcaption { font-weight: 600; margin-bottom: 4px; }
  .uplot, .u-legend { color: var(--vscode-foreground); font-family: var(--vscode-font-family); }
  table.numbers { border-collapse: collapse; font-variant-numeric: tabular-nums; }
  table.numbers caption { text-align: left; padding: 4px 0; color: var(--vscode-descriptionForeground); }
  table.numbers th, table.numbers td { border: 1px solid var(--vscode-editorWidget-border, rgba(128,128,128,0.3)); padding: 2px 8px; text-align: right; }
  table.numbers th[scope="row"] { text-align: left; font-weight: normal; white-space: nowrap; }
  table.numbers thead th { position: sticky; top: 44px; background: var(--vscode-editor-background); }
</style>
<title>Metrics</title>
</head>
<body>
<header>
  <h1>${title}</h1>
  <div id="ranges" role="group" aria-label="Range"></div>
  <button id="refresh" title="Read the metrics again">Refresh</button>
  <button id="toggle-view">Show Table</button>
  <span id="status" role="status" aria-live="polite">Reading metrics…</span>
</header>
<div id="deployments"></div>
<main>
  <section id="charts" aria-label="Charts"></section>
  <section id="table" aria-label="Table" hidden></section>
</main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearInterval(this.timer);
    this.reading?.abort();
    for (const s of this.subscriptions) s.dispose();
    this.panel.dispose();
    this.onDisposed();
  }
}
