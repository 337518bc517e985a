/**
 * Problems of an open repository policy while typing: where it leaves the IAM policy grammar, and statements
 * that let anyone in (`repository/public-policy`). The checks load with the first such document
 * (dist/repositoryPolicy.js), not at activation.
 */
import * as vscode from 'vscode';
import { REPOSITORY_POLICY_SCHEME, REPOSITORY_POLICY_SUFFIX } from './repositoryPolicyDocuments';

export function isRepositoryPolicyDocument(document: vscode.TextDocument): boolean {
  return document.uri.scheme === REPOSITORY_POLICY_SCHEME || document.uri.path.endsWith(REPOSITORY_POLICY_SUFFIX);
}

export class RepositoryPolicyDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('ecr-repository-policy');
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
    if (!isRepositoryPolicyDocument(document)) return;
    const version = document.version;
    const { repositoryPolicyDiagnostics } = await import('./policyChecks');
    // Typing went on while the checks loaded: the newer version's check sets the diagnostics.
    if (document.isClosed || document.version !== version) return;
    this.collection.set(document.uri, repositoryPolicyDiagnostics(document));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
