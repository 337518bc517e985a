/**
 * Quick fix on a finding in a manifest that pins the package (`requests==2.31.0`): bump it to the
 * fixed version. The edit is computed on the document as it is now, so it never rewrites stale text.
 * Registered at activation; the manifest parsers load (dist/scan.js) only where a finding is shown.
 */
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, type ScanDiagnostics } from './scanDiagnostics';

export class BumpVersionCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly diagnostics: ScanDiagnostics) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    if (!context.diagnostics.some((d) => d.source === DIAGNOSTIC_SOURCE)) return [];
    const { bumpVersionActions } = await import('./lazy');
    return bumpVersionActions(this.diagnostics, document, context);
  }
}
