/**
 * Diagnose Service: runs the doctor's checks under a cancellable progress notification, then shows the report
 * in a webview panel, one per service (diagnosing it again reuses the panel). The panel's buttons run the next
 * steps with the service as their argument. Read-only, so it works in untrusted workspaces; only "Deploy
 * Image..." is left out there.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { diagnoseService } from '../../app/doctor/diagnose';
import { hasProblem, reportText, type DoctorReport, type FollowUp } from '../../app/doctor/report';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import { withCancellableProgress } from '../progress';
import type { Services } from '../context';
import { reportHtml, type PanelAction } from './reportHtml';

const COMMAND_OF: Record<FollowUp, string> = {
  'tail-logs': 'ecrDeploy.tailLogs',
  'show-events': 'ecrDeploy.showServiceEvents',
  'validate-deployment': 'ecrDeploy.validateDeployment',
  'show-metrics': 'ecrDeploy.showMetrics',
  deploy: 'ecrDeploy.deployImage',
};

export class DiagnosisPanels {
  /** The open panels by service, each with the report it shows (Copy Report copies that one). */
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; report?: DoctorReport }>();

  constructor(private readonly services: Pick<Services, 'session' | 'log'>) {}

  /** Diagnoses the service and shows the report; undefined when cancelled. */
  async diagnose(ref: ServiceRef): Promise<DoctorReport | undefined> {
    const access = await this.services.session.access();
    let report: DoctorReport;
    try {
      report = await withCancellableProgress(`Diagnosing ${ref.service}`, (signal, progress) => diagnoseService(access, ref, { signal, progress }));
    } catch (error) {
      if (this.services.session.describe(error).cancelled) return undefined;
      throw error;
    }
    const problems = report.checks.filter((c) => c.status === 'problem').map((c) => c.id);
    this.services.log.info(`Diagnose ${ref.cluster}/${ref.service}: ${report.checks.map((c) => `${c.id} ${c.status}`).join(', ')}`);
    this.show(ref, report);
    if (hasProblem(report)) void vscode.window.setStatusBarMessage(`$(error) ${ref.service}: ${problems.join(', ')}`, 10_000);
    return report;
  }

  private show(ref: ServiceRef, report: DoctorReport): void {
    const key = `${ref.cluster}/${ref.service}`;
    let open = this.panels.get(key);
    if (open) open.panel.reveal(undefined, false);
    else {
      const panel = vscode.window.createWebviewPanel('ecrDeploy.diagnosis', `Diagnosis: ${ref.service}`, vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [] });
      const opened: { panel: vscode.WebviewPanel; report?: DoctorReport } = { panel };
      this.panels.set(key, opened);
      const subscription = panel.webview.onDidReceiveMessage((message: { action?: PanelAction }) => void this.act(ref, opened, message.action));
      panel.onDidDispose(() => {
        subscription.dispose();
        this.panels.delete(key);
      });
      open = opened;
    }
    open.report = report;
    open.panel.title = `Diagnosis: ${ref.service}${hasProblem(report) ? ' (problems)' : ''}`;
    open.panel.webview.html = reportHtml(report, { nonce: randomBytes(16).toString('base64'), trusted: vscode.workspace.isTrusted, at: new Date() });
  }

  private async act(ref: ServiceRef, open: { report?: DoctorReport }, action: PanelAction | undefined): Promise<void> {
    try {
      if (action === 'rerun') await this.diagnose(ref);
      else if (action === 'copy') {
        if (open.report) {
          await vscode.env.clipboard.writeText(reportText(open.report));
          void vscode.window.setStatusBarMessage('Diagnosis copied to the clipboard.', 3000);
        }
      } else if (action && action in COMMAND_OF) await vscode.commands.executeCommand(COMMAND_OF[action], ref);
    } catch (error) {
      const described = this.services.session.describe(error);
      this.services.log.error(`Diagnosis panel action ${action}: ${described.message}`);
      void vscode.window.showErrorMessage(described.message);
    }
  }
}
