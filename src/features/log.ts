import * as vscode from 'vscode';

/**
 * The extension's own log: one LogOutputChannel, "ECR Deploy", made on the first line written or shown
 * (activation writes none, so it does not pay for the channel). `error()` reveals it.
 */
export class Log implements vscode.Disposable {
  private made: vscode.LogOutputChannel | undefined;

  private get channel(): vscode.LogOutputChannel {
    this.made ??= vscode.window.createOutputChannel('ECR Deploy', { log: true });
    return this.made;
  }

  info(message: string): void {
    this.channel.info(message);
  }
  warn(message: string): void {
    this.channel.warn(message);
  }
  debug(message: string): void {
    this.channel.debug(message);
  }
  error(message: string, reveal = false): void {
    this.channel.error(message);
    if (reveal) this.channel.show(true);
  }
  show(): void {
    this.channel.show(true);
  }
  dispose(): void {
    this.made?.dispose();
  }
}
