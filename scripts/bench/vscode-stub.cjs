// A minimal stand-in for the `vscode` module, enough for activate() to run outside a workbench so the
// activation benchmark measures the extension's own code. Not used by any test.
const disposable = () => ({ dispose() {} });
class EventEmitter {
  constructor() { this.listeners = []; this.event = (l) => { this.listeners.push(l); return disposable(); }; }
  fire(v) { for (const l of this.listeners) l(v); }
  dispose() { this.listeners = []; }
}
const channel = { info() {}, warn() {}, error() {}, debug() {}, show() {}, dispose() {} };
const statusItem = { show() {}, hide() {}, dispose() {} };
module.exports = {
  EventEmitter,
  ThemeIcon: class { constructor(id) { this.id = id; } },
  ThemeColor: class { constructor(id) { this.id = id; } },
  TreeItem: class { constructor(label, state) { this.label = label; this.collapsibleState = state; } },
  MarkdownString: class { constructor(v) { this.value = v; } },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  CodeActionKind: { QuickFix: { value: 'quickfix' } },
  Uri: { file: (p) => ({ fsPath: p, path: p, scheme: 'file' }), parse: (s) => ({ toString: () => s }) },
  window: {
    createOutputChannel: () => ({ ...channel, append() {}, appendLine() {}, clear() {}, replace() {} }),
    createStatusBarItem: () => ({ ...statusItem }),
    registerTreeDataProvider: disposable,
    createTreeView: () => ({ ...disposable(), onDidChangeVisibility: () => disposable(), onDidExpandElement: () => disposable(), onDidCollapseElement: () => disposable(), visible: false }),
    registerFileDecorationProvider: disposable,
    onDidChangeActiveTextEditor: disposable,
    showErrorMessage: async () => undefined,
    createTerminal: () => ({ show() {}, sendText() {}, dispose() {} }),
  },
  commands: { registerCommand: disposable, executeCommand: async () => undefined },
  workspace: {
    getConfiguration: () => ({ get: (_k, d) => d, inspect: () => undefined, update: async () => undefined }),
    onDidChangeConfiguration: disposable,
    onDidGrantWorkspaceTrust: disposable,
    onDidChangeWorkspaceFolders: disposable,
    registerTextDocumentContentProvider: disposable,
    registerFileSystemProvider: disposable,
    onDidSaveTextDocument: disposable,
    onDidOpenTextDocument: disposable,
    onDidCloseTextDocument: disposable,
    onDidChangeTextDocument: disposable,
    textDocuments: [],
    isTrusted: true,
    workspaceFolders: [],
  },
  languages: { createDiagnosticCollection: () => ({ set() {}, delete() {}, clear() {}, dispose() {} }), registerHoverProvider: disposable, registerCodeActionsProvider: disposable },
  tasks: { registerTaskProvider: disposable, onDidEndTaskProcess: disposable },
  extensions: { getExtension: () => undefined },
  env: { clipboard: { writeText: async () => undefined } },
  context: { subscriptions: [], workspaceState: { get: (_k, d) => d, update: async () => undefined }, globalState: { get: (_k, d) => d, update: async () => undefined }, extensionPath: '', extensionUri: { fsPath: '' } },
};
