/** Read-only Markdown documents holding lifecycle previews, one per repository, replaced on each run. */
import * as vscode from 'vscode';

export const PREVIEW_SCHEME = 'ecrdeploy-preview';

export class LifecyclePreviewDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? 'This preview is no longer available: run "Preview Lifecycle Policy" again.';
  }

  /** Shows a report beside the editor; the same repository reuses its document. */
  async show(repositoryName: string, region: string, report: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${region}/${repositoryName} lifecycle preview.md` });
    this.contents.set(uri.toString(), report);
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== 'markdown') await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    return vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
  }

  /** The last report of a repository (tests read it). */
  reportFor(repositoryName: string, region: string): string | undefined {
    return this.contents.get(vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${region}/${repositoryName} lifecycle preview.md` }).toString());
  }

  dispose(): void {
    this.changed.dispose();
  }
}
