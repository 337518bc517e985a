/**
 * The optional interval refresh (`ecrDeploy.explorer.refreshIntervalSeconds`): only views that are
 * visible, and never while one of their loads runs, so a slow account does not pile up refreshes.
 * Apart from it, every minute the visible views redraw their rows from what they hold (no AWS call), so
 * "3 min ago" does not stay "just now".
 */
import * as vscode from 'vscode';
import { settings } from '../settings';
import type { ExplorerProvider } from './explorerProvider';

const AGE_REDRAW_MS = 60_000;

export class AutoRefresh implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private readonly ages = setInterval(() => this.redrawAges(), AGE_REDRAW_MS);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly views: readonly ExplorerProvider[]) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('ecrDeploy.explorer.refreshIntervalSeconds')) this.start();
      // A new page size applies to lists read from now on.
      if (event.affectsConfiguration('ecrDeploy.explorer.pageSize')) for (const view of this.views) void view.refresh();
    });
    this.start();
  }

  private start(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    const seconds = settings.explorerRefreshIntervalSeconds();
    if (!seconds) return;
    this.timer = setInterval(() => this.tick(), seconds * 1000);
  }

  /** One round: each visible, idle view refreshes. Returns the views refreshed (tests). */
  tick(): ExplorerProvider[] {
    const due = this.views.filter((view) => view.isVisible && !view.isLoading);
    for (const view of due) void view.refresh();
    return due;
  }

  /** Redraws the rows of each visible view from memory (relative times); returns the views redrawn (tests). */
  redrawAges(): ExplorerProvider[] {
    // Not while a load runs: a change event then would make VS Code drop the rows it is taking in.
    const due = this.views.filter((view) => view.isVisible && !view.isLoading);
    for (const view of due) view.redrawAll();
    return due;
  }

  dispose(): void {
    clearInterval(this.timer);
    clearInterval(this.ages);
    this.subscription.dispose();
  }
}
