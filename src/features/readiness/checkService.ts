/**
 * "Check Deploy Readiness" on a service: its deployed revision, its images' platforms and its ECR repositories,
 * through the same use case as `ecr-deploy check`. What a user gets: a report that lists every finding with its
 * next step (repository findings have no file to sit in), and the revision's findings in the Problems panel on
 * a read-only copy of the deployed revision, where they have lines. Reads only: allowed in untrusted workspaces.
 */
import * as vscode from 'vscode';
import { checkReadiness, revisionFile, type ReadinessReport } from '../../app/readiness/checkReadiness';
import { readinessMarkdown } from '../../core/readiness/report';
import type { Services } from '../context';
import { serviceRefOf, type ServiceArg } from '../deploy/deployContext';
import { pickService } from '../deploy/pickers';
import { withCancellableProgress } from '../progress';
import { settings } from '../settings';
import { toDiagnostic } from './editorChecks';

export type ReadinessServices = Pick<Services, 'session' | 'readinessDocuments' | 'readinessDiagnostics'>;

export async function checkServiceReadiness(services: ReadinessServices, arg?: ServiceArg): Promise<{ report: ReadinessReport; reportUri: vscode.Uri; revisionUri?: vscode.Uri } | undefined> {
  const access = await services.session.access();
  const ref = serviceRefOf(arg) ?? (await pickService(access, 'Check Deploy Readiness'));
  if (!ref) return undefined;
  const report = await withCancellableProgress(`Checking the deploy readiness of ${ref.service}`, (signal, progress) =>
    checkReadiness(access, { service: ref, ignore: settings.readinessIgnore(), protectedServices: settings.deploy().protectedServices }, { signal, progress }),
  );
  const folder = `${ref.cluster.split('/').pop()}/${report.revision?.serviceName ?? ref.service}`;
  let revisionUri: vscode.Uri | undefined;
  if (report.revision) {
    revisionUri = services.readinessDocuments.put(`${folder}/${report.revision.label.replace(':', '-')}.json`, report.revision.text);
    const onRevision = report.findings.filter((f) => f.file === revisionFile(report.revision!.label));
    services.readinessDiagnostics.collection.set(revisionUri, onRevision.map(toDiagnostic));
  }
  const markdown = readinessMarkdown(report.findings, { service: `${ref.cluster.split('/').pop()}/${report.revision?.serviceName ?? ref.service}`, revision: report.revision?.label, repositories: report.repositories, notes: report.notes });
  const reportUri = services.readinessDocuments.put(`${folder}/deploy-readiness.md`, markdown);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(reportUri), { preview: true });
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  const summary = errors || warnings ? `${ref.service}: ${errors} readiness error(s), ${warnings} warning(s).` : `${ref.service} is ready to deploy: no readiness error or warning.`;
  void (errors || warnings ? vscode.window.showWarningMessage(summary, 'Show Problems') : vscode.window.showInformationMessage(summary)).then((choice) => {
    if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
  return { report, reportUri, revisionUri };
}

/** Pins the final base image of a Dockerfile by the digest its registry reports (the quick fix's command). */
export async function pinBaseImageDigest(uri: vscode.Uri, line: number, image: string): Promise<boolean> {
  const { manifestDigest } = await import('../../docker/manifestDigest');
  const digest = await withCancellableProgress(`Reading the digest of ${image}`, (signal) => manifestDigest(image, signal));
  const document = await vscode.workspace.openTextDocument(uri);
  const text = document.lineAt(line).text;
  const at = text.indexOf(image);
  if (at < 0) {
    void vscode.window.showWarningMessage(`Line ${line + 1} no longer names ${image}: run the quick fix again.`);
    return false;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(line, at, line, at + image.length), `${image.split('@')[0]}@${digest}`);
  return vscode.workspace.applyEdit(edit);
}

/** Adds a rule to `ecrDeploy.readiness.ignore` of the workspace (the quick fix for JSON files, which have no comments). */
export async function ignoreReadinessRule(rule: string): Promise<void> {
  const configuration = vscode.workspace.getConfiguration('ecrDeploy');
  const current = settings.readinessIgnore();
  if (current.includes(rule)) return;
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await configuration.update('readiness.ignore', [...current, rule], target);
  void vscode.window.showInformationMessage(`${rule} is now ignored (ecrDeploy.readiness.ignore).`, 'Open Setting').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'ecrDeploy.readiness.ignore');
  });
}
