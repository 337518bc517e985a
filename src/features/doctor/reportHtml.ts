/**
 * The Diagnose Service report as a webview page: a summary, one section per check (problems first, their
 * evidence open), and buttons for the next steps. Everything from AWS is escaped; the only script is the
 * nonce'd one that turns a button press into a message, so the page can run commands with the service as
 * their argument (a Markdown preview cannot: it does not run command links of a virtual document).
 */
import type { CheckStatus, DoctorReport, FollowUp } from '../../app/doctor/report';

export const FOLLOW_UP_TITLES: Record<FollowUp, string> = {
  'tail-logs': 'Tail Logs',
  'show-events': 'Show Events',
  'validate-deployment': 'Validate Deployment',
  'show-metrics': 'Show Metrics',
  deploy: 'Deploy Image...',
};

/** What a button asks the extension to do: a follow-up command, run the diagnosis again, or copy the report. */
export type PanelAction = FollowUp | 'rerun' | 'copy';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const BADGE: Record<CheckStatus, { label: string; mark: string }> = {
  problem: { label: 'Problem', mark: '✕' },
  unknown: { label: 'Unknown', mark: '?' },
  ok: { label: 'OK', mark: '✓' },
};

const ORDER: Record<CheckStatus, number> = { problem: 0, unknown: 1, ok: 2 };

function button(action: PanelAction, title: string, primary = false): string {
  return `<button type="button" data-action="${action}"${primary ? '' : ' class="secondary"'}>${escapeHtml(title)}</button>`;
}

export function reportHtml(report: DoctorReport, options: { nonce: string; trusted: boolean; at: Date }): string {
  const allowed = (f: FollowUp) => options.trusted || f !== 'deploy';
  const counts = (['problem', 'unknown', 'ok'] as const).map((s) => [s, report.checks.filter((c) => c.status === s).length] as const);
  const summary = counts.filter(([, n]) => n).map(([s, n]) => `${n} ${s === 'problem' ? (n === 1 ? 'problem' : 'problems') : s}`).join(', ');
  const sections = [...report.checks]
    .sort((a, b) => ORDER[a.status] - ORDER[b.status])
    .map((check) => {
      const badge = BADGE[check.status];
      const followUps = (check.followUps ?? []).filter(allowed);
      return `<section class="check ${check.status}" aria-label="${escapeHtml(`${check.id}: ${badge.label}`)}">
  <h2><span class="badge ${check.status}" aria-hidden="true">${badge.mark}</span> <code>${escapeHtml(check.id)}</code> <span class="status">${badge.label}</span></h2>
  <p class="message">${escapeHtml(check.message)}</p>
  ${check.next ? `<p class="next"><strong>Next:</strong> ${escapeHtml(check.next)}</p>` : ''}
  ${followUps.length ? `<div class="actions">${followUps.map((f) => button(f, FOLLOW_UP_TITLES[f])).join('')}</div>` : ''}
  ${check.evidence.length ? `<details${check.status === 'ok' ? '' : ' open'}><summary>Evidence (${check.evidence.length})</summary><pre>${check.evidence.map(escapeHtml).join('\n')}</pre></details>` : ''}
</section>`;
    })
    .join('\n');
  const toolbar = [button('rerun', 'Run Again', true), button('tail-logs', 'Tail Logs'), button('show-events', 'Show Events'), button('validate-deployment', 'Validate Deployment'), button('show-metrics', 'Show Metrics'), button('copy', 'Copy Report')].join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${options.nonce}'; script-src 'nonce-${options.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Diagnosis: ${escapeHtml(report.service)}</title>
<style nonce="${options.nonce}">
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 20px 20px; max-width: 980px; }
  h1 { font-size: 1.4em; margin-bottom: 4px; }
  .meta { color: var(--vscode-descriptionForeground); margin-top: 0; }
  .summary { font-weight: 600; }
  .toolbar, .actions { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0; }
  button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: 1px solid var(--vscode-button-border, transparent); padding: 4px 12px; cursor: pointer; font: inherit; border-radius: 2px; }
  button:hover { background: var(--vscode-button-hoverBackground); }
  button.secondary { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
  button.secondary:hover { background: var(--vscode-button-secondaryHoverBackground); }
  button:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
  .check { border-left: 3px solid var(--vscode-panel-border); padding: 2px 12px; margin: 14px 0; }
  .check.problem { border-left-color: var(--vscode-errorForeground); }
  .check.unknown { border-left-color: var(--vscode-editorWarning-foreground); }
  .check.ok { border-left-color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
  h2 { font-size: 1.05em; margin: 8px 0 4px; display: flex; align-items: center; gap: 8px; }
  .badge { display: inline-block; width: 1.3em; text-align: center; font-weight: bold; }
  .badge.problem, .problem .status { color: var(--vscode-errorForeground); }
  .badge.unknown, .unknown .status { color: var(--vscode-editorWarning-foreground); }
  .badge.ok, .ok .status { color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
  .status { font-weight: normal; font-size: 0.9em; }
  .message { margin: 4px 0; }
  .next { margin: 4px 0; }
  pre { background: var(--vscode-textCodeBlock-background); padding: 8px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
  summary { cursor: pointer; color: var(--vscode-textLink-foreground); }
</style>
</head>
<body>
<h1>Diagnosis of ${escapeHtml(report.service)}</h1>
<p class="meta">Cluster ${escapeHtml(report.cluster)} · ${escapeHtml(report.taskDefinitionArn.split('/').pop() ?? '')} · read ${escapeHtml(options.at.toLocaleTimeString())}</p>
<p class="summary" role="status">${escapeHtml(summary)}</p>
<div class="toolbar">${toolbar}</div>
${sections}
<script nonce="${options.nonce}">
  const vscode = acquireVsCodeApi();
  for (const b of document.querySelectorAll('button[data-action]')) b.addEventListener('click', () => vscode.postMessage({ action: b.dataset.action }));
</script>
</body>
</html>`;
}
