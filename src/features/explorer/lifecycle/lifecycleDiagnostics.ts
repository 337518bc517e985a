/**
 * Conflicts between rules in an open lifecycle policy (two rules with one priority, two rules for
 * untagged images, an "any" rule that is not last, the same prefixes twice), as diagnostics while
 * typing. The JSON schema covers the shape of each rule; these need the whole policy. The checks load
 * with the first such document (dist/lifecycle.js), not at activation.
 */
import * as vscode from 'vscode';
import { LIFECYCLE_SCHEME, LIFECYCLE_SUFFIX } from './lifecycleDocuments';

export function isLifecyclePolicyDocument(document: vscode.TextDocument): boolean {
  return document.uri.scheme === LIFECYCLE_SCHEME || document.uri.path.endsWith(LIFECYCLE_SUFFIX);
}

export class LifecycleDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('ecr-lifecycle-policy');
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => void this.check(d)),
      vscode.workspace.onDidChangeTextDocument((e) => void this.check(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
    ];
    for (const document of vscode.workspace.textDocuments) void this.check(document);
  }

  async check(document: vscode.TextDocument): Promise<void> {
    if (!isLifecyclePolicyDocument(document)) return;
    const version = document.version;
    const { ruleConflictDiagnostics } = await import('./policyChecks');
    // Typing went on while the checks loaded: the newer version's check sets the diagnostics.
    if (document.isClosed || document.version !== version) return;
    this.collection.set(document.uri, ruleConflictDiagnostics(document));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
