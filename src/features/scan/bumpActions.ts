/**
 * The bump quick fixes themselves, in the scan bundle (dist/scan.js) with the manifest parsers they
 * need: bumpCodeActions.ts loads this only for a document that shows a scan finding.
 */
import * as vscode from 'vscode';
import { bumpEdit, lockFileAdvice } from '../../core/scan/bump';
import { manifestKind } from '../../core/scan/manifests';
import { DIAGNOSTIC_SOURCE } from './diagnosticSource';
import { LOCK_FILE_ADVICE_COMMAND, type ScanDiagnostics } from './scanDiagnostics';

function codeValue(code: vscode.Diagnostic['code']): string | undefined {
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

async function siblingNames(uri: vscode.Uri): Promise<string[]> {
  try {
    return (await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(uri, '..'))).map(([name]) => name);
  } catch {
    return [];
  }
}

export async function bumpVersionActions(diagnostics: ScanDiagnostics, document: vscode.TextDocument, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
  // The folder counts too: `requirements/base.txt` is a requirements file.
  const kind = manifestKind(document.uri.path.split('/').slice(-2).join('/'));
  if (!kind) return [];
  const shown = diagnostics.shownOn(document.uri);
  const actions: vscode.CodeAction[] = [];
  for (const diagnostic of context.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    // The diagnostics VS Code hands back are copies: find ours by line and vulnerability id.
    const entry = shown.find((s) => s.diagnostic.range.start.line === diagnostic.range.start.line && codeValue(s.diagnostic.code) === codeValue(diagnostic.code));
    const finding = entry?.placed.finding;
    if (!finding?.fixedVersion) continue;
    const edit = bumpEdit(kind, document.getText(), diagnostic.range.start.line, finding.packageName, finding.fixedVersion);
    if (!edit) continue;
    const action = new vscode.CodeAction(`Bump ${finding.packageName} to ${edit.to} (fixes ${finding.id})`, vscode.CodeActionKind.QuickFix);
    action.edit = new vscode.WorkspaceEdit();
    action.edit.replace(document.uri, new vscode.Range(edit.line, edit.start, edit.line, edit.end), edit.to);
    action.diagnostics = [diagnostic];
    action.isPreferred = true;
    // The lock file beside the manifest still holds the old version; it is regenerated, never edited here.
    const advice = lockFileAdvice(kind, finding.packageName, await siblingNames(document.uri));
    if (advice) {
      action.title += `, then update ${advice.lockFile}`;
      action.command = { title: 'Update the lock file', command: LOCK_FILE_ADVICE_COMMAND, arguments: [document.uri.path.split('/').pop(), advice.lockFile, advice.command, vscode.Uri.joinPath(document.uri, '..')] };
    }
    actions.push(action);
  }
  return actions;
}
