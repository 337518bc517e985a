/**
 * Read-only Markdown reports shown rendered (VS Code's Markdown preview of a virtual document): image
 * details, lifecycle policy previews. A report is written whole before it is shown: VS Code closes a virtual
 * document no editor shows whenever it likes, and a preview of a closed one stops following its changes.
 */
import * as vscode from 'vscode';

export const REPORT_SCHEME = 'ecrdeploy-report';

export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? 'This report is no longer available: run its command again.';
  }

  uriOf(path: string): vscode.Uri {
    return vscode.Uri.from({ scheme: REPORT_SCHEME, path: path.endsWith('.md') ? path : `${path}.md` });
  }

  /** Writes the report and opens its rendered preview (reused when the same report is shown again). */
  async show(path: string, markdown: string, { beside = false }: { beside?: boolean } = {}): Promise<vscode.Uri> {
    const uri = this.update(path, markdown);
    await vscode.commands.executeCommand(beside ? 'markdown.showPreviewToSide' : 'markdown.showPreview', uri);
    return uri;
  }

  private update(path: string, markdown: string): vscode.Uri {
    const uri = this.uriOf(path);
    this.contents.delete(uri.toString()); // rewritten reports count as the newest
    this.contents.set(uri.toString(), markdown);
    this.changed.fire(uri);
    return uri;
  }

  /** The newest report whose path (without the leading `/`) matches (tests read it). */
  newest(path: RegExp): string | undefined {
    const found = [...this.contents].reverse().find(([uri]) => path.test(vscode.Uri.parse(uri).path.replace(/^\//, '')));
    return found?.[1];
  }

  /** The current text of a report (tests read it). */
  textOf(path: string): string | undefined {
    return this.contents.get(this.uriOf(path).toString());
  }

  dispose(): void {
    this.changed.dispose();
  }
}
