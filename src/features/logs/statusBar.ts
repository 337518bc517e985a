/** The status-bar item of log tails: how many run and how many events each has shown. */
import * as vscode from 'vscode';
import type { LogTailManager } from './logTailManager';

const count = (n: number) => n.toLocaleString('en-US');

export class LogTailStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ecrDeploy.logTails', vscode.StatusBarAlignment.Left, 9);
  private readonly subscription: vscode.Disposable;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private shown = false;

  constructor(private readonly manager: LogTailManager) {
    this.item.name = 'ECR Deploy: Log Tails';
    this.item.command = 'ecrDeploy.manageLogTails';
    // Events arrive in bursts: redraw at most four times a second.
    this.subscription = manager.onDidChange(() => {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.render();
      }, 250);
    });
    this.render();
  }

  render(): void {
    const tails = this.manager.active();
    if (!tails.length) {
      this.item.hide();
      this.shown = false;
      return;
    }
    const total = tails.reduce((n, t) => n + t.eventCount, 0);
    const paused = tails.some((t) => t.state === 'paused');
    this.item.text = tails.length === 1 ? `$(output) ${tails[0].source.label}: ${count(total)}${paused ? ' (paused)' : ''}` : `$(output) ${tails.length} log tails: ${count(total)}${paused ? ' (some paused)' : ''}`;
    const tooltip = new vscode.MarkdownString(['**Log tails**', '', ...tails.map((t) => `- ${t.source.label}: ${count(t.eventCount)} events, ${t.activity}${t.filterPattern ? `, filter \`${t.filterPattern}\`` : ''}`), '', 'Click to show, filter, pause or stop a tail.'].join('\n'));
    this.item.tooltip = tooltip;
    this.item.show();
    this.shown = true;
  }

  /** What the item shows now (for tests and screen readers alike). */
  get text(): string {
    return this.shown ? this.item.text : '';
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
    this.item.dispose();
  }
}
