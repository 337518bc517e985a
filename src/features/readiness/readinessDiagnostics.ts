/**
 * Deploy readiness diagnostics on Dockerfiles and task-definition JSON files while they are open. Registered at
 * activation, but only this recognising code is in dist/extension.js: the rules (dockerfile-ast, jsonc-parser)
 * are in dist/readiness.js, required on the first document that is a Dockerfile or a JSON file with a
 * `containerDefinitions` key. Reads nothing from AWS, changes nothing: it runs in untrusted workspaces too.
 */
import * as vscode from 'vscode';
import { READINESS_SCHEME, READINESS_SOURCE, type ReadinessCandidate } from './names';


const DOCKERFILE_NAME = /(^|[./\\])(Dockerfile|Containerfile)([.-][^/\\]*)?$|\.(dockerfile|containerfile)$/i;
const loadChecks = () => import('./lazy');

/** What kind of document the rules apply to, judged cheaply (no parse): the lazy part parses. */
export function readinessCandidate(document: Pick<vscode.TextDocument, 'languageId' | 'uri' | 'getText'>): ReadinessCandidate | undefined {
  if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') return undefined;
  // By name only where VS Code did not know the language (`Dockerfile.prod` without a Docker extension), never for
  // a source file that happens to be called `dockerfile-utils.ts`.
  if (document.languageId === 'dockerfile' || (document.languageId === 'plaintext' && DOCKERFILE_NAME.test(document.uri.path))) return 'dockerfile';
  if ((document.languageId === 'json' || document.languageId === 'jsonc' || document.uri.path.endsWith('.json')) && document.getText().includes('"containerDefinitions"')) return 'taskDefinition';
  return undefined;
}

export class ReadinessDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('ecr-deploy-readiness');
  private readonly subscriptions: vscode.Disposable[];
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => void this.check(d)),
      // While typing, once it pauses.
      vscode.workspace.onDidChangeTextDocument((e) => this.checkSoon(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme !== READINESS_SCHEME) this.collection.delete(d.uri);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('ecrDeploy.readiness')) for (const d of vscode.workspace.textDocuments) void this.check(d);
      }),
    ];
    // The documents already open are checked once activation is over: their rules' bundle is not part of it.
    const initial = setImmediate(() => {
      for (const document of vscode.workspace.textDocuments) void this.check(document);
    });
    this.subscriptions.push({ dispose: () => clearImmediate(initial) });
  }

  private checkSoon(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(key, setTimeout(() => void this.check(document), 200));
  }

  async check(document: vscode.TextDocument): Promise<void> {
    const kind = readinessCandidate(document);
    if (!kind) {
      // A JSON file that stopped being a task definition loses its findings.
      if (document.uri.scheme !== READINESS_SCHEME && this.collection.has(document.uri)) this.collection.delete(document.uri);
      return;
    }
    const version = document.version;
    const { readinessDiagnosticsFor } = await loadChecks();
    // Typing went on while the rules loaded: the newer version's check sets the diagnostics.
    if (document.isClosed || document.version !== version) return;
    this.collection.set(document.uri, readinessDiagnosticsFor(document, kind));
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}

/** Quick fixes of readiness findings; the fixes load with the rules, only where a readiness diagnostic is. */
export class ReadinessCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const ours = context.diagnostics.filter((d) => d.source === READINESS_SOURCE);
    if (!ours.length || document.uri.scheme === READINESS_SCHEME) return [];
    const { readinessCodeActions } = await loadChecks();
    return readinessCodeActions(document, ours);
  }
}

/** Check Deploy Readiness's read-only documents (the deployed revision, the report), kept in memory only. */
export class ReadinessDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(READINESS_SCHEME, this);

  /** Stores `content` under a readable path (its extension picks the language) and returns its URI. */
  put(path: string, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: READINESS_SCHEME, path: `/${path}` });
    this.contents.set(uri.toString(), content);
    // A few dozen documents at most: one report and one revision per service checked.
    if (this.contents.size > 40) this.contents.delete(this.contents.keys().next().value!);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? 'This report is no longer available: run Check Deploy Readiness again.\n';
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
