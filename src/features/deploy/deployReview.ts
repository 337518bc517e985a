/**
 * The dry run as a review, with no modal over the diff it asks you to read: the diff opens with Deploy and
 * Cancel in its title bar, a progress notification says what is waiting (its Cancel button cancels too), and
 * the deploy goes on only on Deploy. Closing the diff cancels. From the keyboard: "ECR Deploy: Deploy
 * Reviewed Revision" in the palette (Ctrl+Alt+E Y) answers the newest review.
 */
import * as vscode from 'vscode';

export type ReviewAnswer = 'deploy' | 'cancel';

/** Set while a review waits: the diff's title actions and the key binding show only then. */
const CONTEXT_KEY = 'ecrDeploy.reviewingDeploy';

/** The modified side's URI -> how to answer its review, newest last. */
const waiting = new Map<string, (answer: ReviewAnswer) => void>();

function setReviewing(): void {
  void vscode.commands.executeCommand('setContext', CONTEXT_KEY, waiting.size > 0);
}

/** Answers the review of `uri` (a title action passes the diff's modified side), or the newest one. */
export function answerReview(answer: ReviewAnswer, uri?: unknown): boolean {
  const key = uri instanceof vscode.Uri ? uri.toString() : [...waiting.keys()].pop();
  const resolve = key ? waiting.get(key) : undefined;
  if (!resolve) {
    if (answer === 'deploy') void vscode.window.showInformationMessage('No dry run is waiting for an answer. Start one with "Deploy to Service..." on an image or "Deploy Image..." on a service.');
    return false;
  }
  resolve(answer);
  return true;
}

/**
 * Waits until the person answers the review of the diff whose modified side is `modified`: Deploy or Cancel
 * in its title bar, Cancel on the notification, the palette command, or closing the diff (cancel).
 */
export function awaitReview(modified: vscode.Uri, title: string, message: string): Promise<ReviewAnswer> {
  const key = modified.toString();
  waiting.get(key)?.('cancel'); // the same diff asked again: the older question is void
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      progress.report({ message });
      return new Promise<ReviewAnswer>((resolve) => {
        const subscriptions: vscode.Disposable[] = [];
        const finish = (answer: ReviewAnswer) => {
          if (waiting.get(key) !== finish) return;
          waiting.delete(key);
          setReviewing();
          for (const s of subscriptions) s.dispose();
          resolve(answer);
        };
        waiting.set(key, finish);
        setReviewing();
        subscriptions.push(
          token.onCancellationRequested(() => finish('cancel')),
          vscode.window.tabGroups.onDidChangeTabs((change) => {
            if (change.closed.some((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === key)) finish('cancel');
          }),
        );
      });
    }),
  );
}
