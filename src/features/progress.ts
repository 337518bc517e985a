/**
 * The one bridge from VS Code's progress and cancellation to the use cases' `AbortSignal` and progress
 * port: a cancel in the notification aborts every AWS call the work makes.
 */
import * as vscode from 'vscode';

/** An AbortSignal that aborts when the token is cancelled; dispose to stop listening. */
export function abortSignalOf(token: vscode.CancellationToken): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const subscription = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => subscription.dispose() };
}

/** Runs `work` under a cancellable progress notification (or another location). */
export function withCancellableProgress<T>(
  title: string,
  work: (signal: AbortSignal, report: (message: string) => void) => Promise<T>,
  location: vscode.ProgressLocation | { viewId: string } = vscode.ProgressLocation.Notification,
): Thenable<T> {
  return vscode.window.withProgress({ location, title, cancellable: true }, async (progress, token) => {
    const bridge = abortSignalOf(token);
    try {
      return await work(bridge.signal, (message) => progress.report({ message }));
    } finally {
      bridge.dispose();
    }
  });
}
