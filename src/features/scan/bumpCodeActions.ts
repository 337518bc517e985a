/**
 * Quick fix on a finding in a manifest that pins the package (`requests==2.31.0`): bump it to the
 * fixed version. The edit is computed on the document as it is now, so it never rewrites stale text.
 * Registered at activation; the manifest parsers load (dist/scan.js) only where a finding is shown.
 */
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from './diagnosticSource';
import type { ScanDiagnostics } from './scanDiagnostics';

export class BumpVersionCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  /** `diagnostics` is undefined until the services are built: no scan has run, so there is nothing to fix. */
  constructor(private readonly diagnostics: () => ScanDiagnostics | undefined) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const diagnostics = this.diagnostics();
    if (!diagnostics || !context.diagnostics.some((d) => d.source === DIAGNOSTIC_SOURCE)) return [];
    const { bumpVersionActions } = await import('./lazy');
    return bumpVersionActions(diagnostics, document, context);
  }
}
