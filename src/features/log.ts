import * as vscode from 'vscode';

/** The extension's own log: one LogOutputChannel, "ECR Deploy". `error()` reveals it. */
export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('ECR Deploy', { log: true });

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
    this.channel.dispose();
  }
}
