/**
 * The shared machinery of the explorer trees:
 * - children are loaded once per node and kept, so redrawing a node (a label that changed, a "Load
 *   more") costs no AWS call; `refresh(node)` is the only way to read a node again, and it reads
 *   only that node's subtree;
 * - every load is cancellable: a refresh aborts the loads it replaces, a root refresh aborts all;
 * - an error is a node that says so, never an empty tree; credential problems at the root show the
 *   view's welcome content with its buttons instead;
 * - redraw requests made in the same tick reach VS Code as one change event.
 * VS Code asks for children only of views that are visible and expanded, so a hidden or collapsed
 * view costs nothing; the auto-refresh checks `isVisible` for the same reason.
 */
import * as vscode from 'vscode';
import type { AwsAccess } from '../../app/ports';
import type { AwsSession } from '../connection/awsSession';
import type { Log } from '../log';
import type { ExplorerNode, MessageNode } from './nodes';
import { messageItem } from './treeItems';

const ROOT = Symbol('root');
/** How long a view must stay without loads before a deferred row redraw (see redrawWhenSettled). */
const SETTLE_MS = 1000;
type CacheKey = ExplorerNode | typeof ROOT;

interface CacheEntry {
  promise: Promise<ExplorerNode[]>;
  children?: ExplorerNode[];
  controller: AbortController;
}

export abstract class ExplorerProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | ExplorerNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private generation = new AbortController();
  private readonly cache = new Map<CacheKey, CacheEntry>();
  private pendingRedraw: Set<ExplorerNode> | 'all' | undefined;
  private loadsInFlight = 0;
  private treeView: vscode.TreeView<ExplorerNode> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    protected readonly session: AwsSession,
    protected readonly log: Log,
  ) {
    this.subscriptions.push(session.onDidChange(() => void this.refresh()));
  }

  /** What the view lists under a node (undefined: the root); thrown errors become an error node. */
  protected abstract load(node: ExplorerNode | undefined, access: AwsAccess, signal: AbortSignal): Promise<ExplorerNode[]>;
  protected abstract emptyMessage(node: ExplorerNode | undefined): string;
  /** Rows under the empty message that lead somewhere (no dead ends). */
  protected emptyActions(_node: ExplorerNode | undefined): MessageNode[] {
    return [];
  }
  protected abstract failureLabel(node: ExplorerNode | undefined): string;
  protected abstract treeItem(node: Exclude<ExplorerNode, MessageNode>): vscode.TreeItem;
  /** Drops what the view remembers below a node (pages read, knowledge), or everything for undefined. */
  protected forget(_node: ExplorerNode | undefined): void {}
  /** Reads a node's own data again before its subtree is reloaded (a service's counts, a repository's settings). */
  protected async reread(_node: ExplorerNode, _access: AwsAccess, _signal: AbortSignal): Promise<void> {}

  /** The TreeView that shows this provider (made at activation by the composition root, which owns it). */
  attachTreeView(view: vscode.TreeView<ExplorerNode>): void {
    this.treeView = view;
  }

  /** Aborted when the view is refreshed as a whole (or the connection changes): for work started by a command. */
  protected get viewSignal(): AbortSignal {
    return this.generation.signal;
  }

  get isVisible(): boolean {
    return this.treeView?.visible ?? false;
  }

  /** A load is running: an automatic refresh now would only abort it. */
  get isLoading(): boolean {
    return this.loadsInFlight > 0;
  }

  /**
   * Reads a node again from AWS (its own data and everything below it), or the whole view for
   * undefined. Other features call this after their own changes, with the node they acted on.
   */
  async refresh(node?: ExplorerNode): Promise<void> {
    if (!node) {
      this.generation.abort();
      this.generation = new AbortController();
      this.cache.clear();
      this.forget(undefined);
      this.scheduleRedraw(undefined);
      return;
    }
    this.invalidate(node);
    this.forget(node);
    if (this.session.connection.region && node.kind !== 'message') {
      const signal = this.generation.signal;
      try {
        this.loadsInFlight++;
        await this.reread(node, await this.session.access(), signal);
      } catch (error) {
        const described = this.session.describe(error);
        // The subtree reload that follows shows the failure as a node; the log keeps the details.
        if (!described.cancelled) this.log.warn(`Refreshing ${node.kind} failed: ${described.message}`);
      } finally {
        this.loadsInFlight--;
      }
    }
    this.scheduleRedraw(node);
  }

  /** Redraws every row from what the view holds: no AWS call (the children are kept). */
  redrawAll(): void {
    this.scheduleRedraw(undefined);
  }

  /** Redraws a node whose row changed; its children stay as they are. */
  protected redraw(node: ExplorerNode): void {
    this.scheduleRedraw(node);
  }

  /**
   * Redraws a row learned about while its children (or its siblings) were being delivered, once the
   * view is quiet. A change event that reaches VS Code while it is still taking in that node's
   * children makes it forget the children's handles without asking again: their rows stay on screen
   * but their commands receive no node. Waiting for the loads to end avoids that window.
   */
  protected redrawWhenSettled(node: ExplorerNode, attempts = 10): void {
    const timer = setTimeout(() => {
      if (this.isLoading && attempts > 1) this.redrawWhenSettled(node, attempts - 1);
      else this.scheduleRedraw(node);
    }, SETTLE_MS);
    timer.unref?.();
  }

  /** Rebuilds a node's children from what the view already holds (reading AWS only if it holds nothing). */
  protected redrawChildren(node: ExplorerNode | undefined): void {
    if (node) this.invalidate(node);
    else this.cache.delete(ROOT);
    this.scheduleRedraw(node);
  }

  private invalidate(node: CacheKey): void {
    const entry = this.cache.get(node);
    if (!entry) return;
    entry.controller.abort();
    this.cache.delete(node);
    for (const child of entry.children ?? []) this.invalidate(child);
  }

  private scheduleRedraw(node: ExplorerNode | undefined): void {
    const first = this.pendingRedraw === undefined;
    if (!node) this.pendingRedraw = 'all';
    else if (this.pendingRedraw !== 'all') {
      this.pendingRedraw ??= new Set();
      this.pendingRedraw.add(node);
    }
    if (!first) return;
    setImmediate(() => {
      const pending = this.pendingRedraw;
      this.pendingRedraw = undefined;
      this.changed.fire(pending === 'all' || pending === undefined ? undefined : [...pending]);
    });
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return node.kind === 'message' ? messageItem(node) : this.treeItem(node);
  }

  getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> | ExplorerNode[] {
    // No region: the view is empty so its welcome content ("Choose a region") shows.
    if (!this.session.connection.region) return [];
    const key: CacheKey = node ?? ROOT;
    const cached = this.cache.get(key);
    if (cached) return cached.promise;
    const controller = new AbortController();
    const entry: CacheEntry = { controller, promise: Promise.resolve([]) };
    entry.promise = this.loadChildren(node, AbortSignal.any([controller.signal, this.generation.signal])).then(({ children, keep }) => {
      if (keep) entry.children = children;
      else if (this.cache.get(key) === entry) this.cache.delete(key);
      return children;
    });
    this.cache.set(key, entry);
    return entry.promise;
  }

  private async loadChildren(node: ExplorerNode | undefined, signal: AbortSignal): Promise<{ children: ExplorerNode[]; keep: boolean }> {
    this.loadsInFlight++;
    try {
      const children = await this.load(node, await this.session.access(), signal);
      signal.throwIfAborted();
      this.session.noteSuccess();
      return { children: children.length ? children : [{ kind: 'message', label: this.emptyMessage(node) }, ...this.emptyActions(node)], keep: true };
    } catch (error) {
      const described = this.session.describe(error);
      // A failure is not kept: expanding again (or a refresh of the parent) tries again.
      if (described.cancelled || signal.aborted) return { children: [], keep: false };
      this.session.noteFailure(described);
      this.log.warn(`${this.failureLabel(node)}: ${described.message}`);
      if (!node && this.session.connectionState !== 'ok') return { children: [], keep: false };
      return { children: [{ kind: 'message', label: this.failureLabel(node), detail: described.message, error: described }], keep: false };
    } finally {
      this.loadsInFlight--;
    }
  }

  /** The children VS Code was last given for a node, if it was loaded. */
  protected loadedChildren(node: ExplorerNode | undefined): ExplorerNode[] | undefined {
    return this.cache.get(node ?? ROOT)?.children;
  }

  dispose(): void {
    this.generation.abort();
    for (const d of this.subscriptions) d.dispose();
    this.changed.dispose();
  }
}
