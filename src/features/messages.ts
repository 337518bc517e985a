/**
 * The one "message with actions": a short notification whose buttons each run their own next step,
 * so no message is a dead end and no caller compares button titles by hand.
 */
import * as vscode from 'vscode';

export interface MessageAction {
  title: string;
  run: () => unknown;
}

export type MessageSeverity = 'info' | 'warning' | 'error';

const SHOW = {
  info: vscode.window.showInformationMessage,
  warning: vscode.window.showWarningMessage,
  error: vscode.window.showErrorMessage,
} as const;

/** Shows the message; resolves after the chosen action ran (or at once when none was chosen). */
export async function showMessage(severity: MessageSeverity, message: string, ...actions: MessageAction[]): Promise<void> {
  const chosen = await SHOW[severity](message, ...actions.map((a) => a.title));
  await actions.find((a) => a.title === chosen)?.run();
}
