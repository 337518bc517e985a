/**
 * The one "message with actions": a short notification whose buttons each run their own next step,
 * so no message is a dead end and no caller compares button titles by hand.
 */
import * as vscode from 'vscode';

export interface MessageAction {
  title: string;
  run(): unknown;
}

export type MessageSeverity = 'info' | 'warning' | 'error';

/** Shows the message; resolves after the chosen action ran (or at once when none was chosen). */
export async function showMessage(severity: MessageSeverity, message: string, ...actions: MessageAction[]): Promise<void> {
  // Looked up on each call, not bound once: the window functions are VS Code's to replace.
  const show = severity === 'info' ? vscode.window.showInformationMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  const chosen = await show(message, ...actions.map((a) => a.title));
  await actions.find((a) => a.title === chosen)?.run();
}
