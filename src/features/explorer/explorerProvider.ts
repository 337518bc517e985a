/**
 * The shared machinery of the explorer trees: loading children with cancellation (a refresh aborts
 * the calls it replaces), error nodes instead of empty trees, and the connection's welcome states.
 */
import * as vscode from 'vscode';
import type { AwsAccess, AwsSession } from '../connection/awsSession';
import { treeItemFor, type ExplorerNode } from './nodes';

export abstract class ExplorerProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private inFlight = new AbortController();
  private readonly subscription: vscode.Disposable;

  constructor(protected readonly session: AwsSession) {
    this.subscription = session.onDidChange(() => this.refresh());
  }

  /** What the view lists at a level; thrown errors become an error node. */
  protected abstract load(node: ExplorerNode | undefined, access: AwsAccess, signal: AbortSignal): Promise<ExplorerNode[]>;
  protected abstract emptyMessage(node: ExplorerNode | undefined): string;
  protected abstract failureLabel(node: ExplorerNode | undefined): string;

  refresh(node?: ExplorerNode): void {
    if (!node) {
      this.inFlight.abort();
      this.inFlight = new AbortController();
    }
    this.changed.fire(node);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return treeItemFor(node);
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    // No region: the view is empty so its welcome content ("Choose a region") shows.
    if (!this.session.connection.region) return [];
    const signal = this.inFlight.signal;
    try {
      const children = await this.load(node, await this.session.access(), signal);
      this.session.noteSuccess();
      return children.length ? children : [{ kind: 'message', label: this.emptyMessage(node) }];
    } catch (error) {
      const described = this.session.describe(error);
      if (described.cancelled || signal.aborted) return [];
      this.session.noteFailure(described);
      // At the root, credential problems show the welcome content with its buttons instead.
      if (!node && this.session.connectionState !== 'ok') return [];
      return [{ kind: 'message', label: this.failureLabel(node), detail: described.message, error: described }];
    }
  }

  dispose(): void {
    this.inFlight.abort();
    this.subscription.dispose();
    this.changed.dispose();
  }
}
