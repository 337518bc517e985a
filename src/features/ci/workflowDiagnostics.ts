/**
 * Workflow files (`.github/workflows/*.yml`) that call `ecr-deploy` with a command or flag it does not have get a
 * diagnostic on that word while they are open, instead of a failed job after the build. The checker and its YAML
 * parser are in the lazily loaded dist/ci.js: a file is only sent there when it names ecr-deploy.
 */
import * as vscode from 'vscode';

const WORKFLOW_FILE = /\/\.github\/workflows\/[^/]+\.ya?ml$/;
const loadChecker = () => import('../../app/ci/index');

export class WorkflowDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('ecr-deploy-workflows');
  private readonly subscriptions: vscode.Disposable[];
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => void this.check(d)),
      // While typing, once the typing pauses.
      vscode.workspace.onDidChangeTextDocument((e) => this.checkSoon(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
    ];
    for (const document of vscode.workspace.textDocuments) void this.check(document);
  }

  private checkSoon(document: vscode.TextDocument): void {
    if (!WORKFLOW_FILE.test(document.uri.path)) return;
    const key = document.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(key, setTimeout(() => void this.check(document), 300));
  }

  async check(document: vscode.TextDocument): Promise<void> {
    if (!WORKFLOW_FILE.test(document.uri.path)) return;
    const text = document.getText();
    if (!text.includes('ecr-deploy')) {
      this.collection.delete(document.uri);
      return;
    }
    const { workflowFlagProblems } = await loadChecker();
    if (document.isClosed || document.getText() !== text) return;
    this.collection.set(
      document.uri,
      workflowFlagProblems(text).map((p) => {
        const diagnostic = new vscode.Diagnostic(new vscode.Range(p.line, p.column, p.line, p.column + p.length), p.message, vscode.DiagnosticSeverity.Error);
        diagnostic.source = 'ecr-deploy';
        return diagnostic;
      }),
    );
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
