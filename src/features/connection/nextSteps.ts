/** Shows a failed AWS call as a message with the action that fixes it. */
import * as vscode from 'vscode';
import { showMessage, type MessageAction } from '../messages';
import type { DescribedError } from '../../core/errors/awsErrors';
import { shellQuote } from '../../core/text/shellQuote';

export async function showAwsError(prefix: string, described: DescribedError): Promise<void> {
  if (described.cancelled) return;
  await showMessage('error', `${prefix}: ${described.message}`, ...nextStepActions(described));
}

export function nextStepActions(described: DescribedError): MessageAction[] {
  const step = described.nextStep;
  switch (step.kind) {
    case 'ssoLogin':
      return [{ title: 'Sign In (aws sso login)', run: () => vscode.commands.executeCommand('ecrDeploy.ssoLogin', step.profile) }, chooseProfile];
    case 'chooseProfile':
      return [chooseProfile];
    case 'chooseRegion':
      return [{ title: 'Choose Region', run: () => vscode.commands.executeCommand('ecrDeploy.selectRegion') }];
    case 'checkEndpoint':
      return [{ title: 'Open Settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'ecrDeploy.endpointUrl') }];
    case 'checkService': {
      const ref = { cluster: step.cluster, service: step.service };
      return [
        { title: 'Validate Deployment', run: () => vscode.commands.executeCommand('ecrDeploy.validateDeployment', ref) },
        { title: 'Roll Back', run: () => vscode.commands.executeCommand('ecrDeploy.rollBack', { ...ref, toTaskDefinitionArn: step.rollBackTo }) },
      ];
    }
    case 'checkPermissions':
    case 'none':
      return [{ title: 'Show Log', run: () => vscode.commands.executeCommand('ecrDeploy.showLog') }];
  }
}

const chooseProfile: MessageAction = { title: 'Choose Profile', run: () => vscode.commands.executeCommand('ecrDeploy.selectProfile') };

/** `aws sso login` in a terminal the user sees: it opens a browser and may ask for a code. */
export function runSsoLogin(profile: string): void {
  const terminal = vscode.window.createTerminal({ name: `AWS SSO: ${profile}` });
  terminal.show();
  terminal.sendText(`aws sso login --profile ${shellQuote(profile)}`);
}
