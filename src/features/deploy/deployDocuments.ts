/**
 * Read-only virtual documents of the deploy feature (scheme `ecr-deploy`): the two sides of the dry-run
 * diff and the service events. Nothing is written to disk: a task definition can name secrets' ARNs.
 */
import * as vscode from 'vscode';

export const DEPLOY_SCHEME = 'ecr-deploy';

/** Documents kept for reopening; older ones are dropped (VS Code asks again only if reopened). */
const KEPT_DOCUMENTS = 40;

export class DeployDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(DEPLOY_SCHEME, this);

  /** Stores `content` under a readable path (its extension picks the language) and returns its URI. */
  put(path: string, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: DEPLOY_SCHEME, path: `/${path}` });
    const key = uri.toString();
    this.contents.delete(key);
    this.contents.set(key, content);
    while (this.contents.size > KEPT_DOCUMENTS) this.contents.delete(this.contents.keys().next().value!);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? 'This document is no longer available: run the command again.\n';
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
