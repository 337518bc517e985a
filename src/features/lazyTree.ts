/**
 * A tree view's data provider registered at activation without its code: the first time VS Code asks for
 * rows, the view itself (src/features/explorer, in the lazily required dist/services.js) is built and every
 * call is passed to it. Its change events are forwarded from the moment it exists, so a redraw requested
 * by a command before the tree first asked is not lost.
 */
import * as vscode from 'vscode';

type Target<T> = vscode.TreeDataProvider<T> & { attachTreeView(view: vscode.TreeView<T>): void };

export class LazyTreeDataProvider<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<T | T[] | undefined | null | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private target: Target<T> | undefined;
  private forwarding: vscode.Disposable | undefined;
  private treeView: vscode.TreeView<T> | undefined;

  /** `load` builds the services (which attach the real view here); it is called on the first row asked for. */
  constructor(private readonly load: () => void) {}

  setTreeView(view: vscode.TreeView<T>): void {
    this.treeView = view;
    this.target?.attachTreeView(view);
  }

  attach(target: Target<T>): void {
    this.target = target;
    this.forwarding = target.onDidChangeTreeData?.((change) => this.changed.fire(change));
    if (this.treeView) target.attachTreeView(this.treeView);
  }

  private get real(): Target<T> {
    if (!this.target) this.load();
    if (!this.target) throw new Error('The view was not attached when the services were built.');
    return this.target;
  }

  getTreeItem(element: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.real.getTreeItem(element);
  }

  getChildren(element?: T): vscode.ProviderResult<T[]> {
    return this.real.getChildren(element);
  }

  resolveTreeItem(item: vscode.TreeItem, element: T, token: vscode.CancellationToken): vscode.ProviderResult<vscode.TreeItem> {
    const real = this.real;
    return real.resolveTreeItem ? real.resolveTreeItem(item, element, token) : item;
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.changed.dispose();
  }
}
