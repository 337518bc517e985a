/**
 * The offer to tail a service's logs after a deploy, for the deploy feature to call when a rollout
 * ends: `offerLogTail({ cluster, service })`. Equivalent: `ecrDeploy.tailLogs` with `{ cluster, service }`.
 */
import * as vscode from 'vscode';
import type { ServiceRef } from './logTailManager';

export async function offerLogTail(ref: ServiceRef, message = `Deployed to ${ref.service}.`): Promise<void> {
  const choice = await vscode.window.showInformationMessage(message, 'Tail Logs');
  if (choice === 'Tail Logs') await vscode.commands.executeCommand('ecrDeploy.tailLogs', ref);
}
