import * as vscode from 'vscode';
import type { DescribedError } from '../../core/errors/awsErrors';
import type { Services } from '../context';
import type { CommandTable } from '../commands';
import { selectProfile, selectRegion, switchConnection } from './connectionStatus';
import { runSsoLogin, showAwsError } from './nextSteps';

/** The getting-started walkthrough (package.json `contributes.walkthroughs`). */
export const WALKTHROUGH = { extension: 'ecr-deploy.ecr-deploy', id: 'ecrDeploy.gettingStarted' };

export function connectionCommands({ session, log }: Services): CommandTable {
  return {
    'ecrDeploy.refreshAll': () => session.reload(),
    'ecrDeploy.switchConnection': () => switchConnection(),
    'ecrDeploy.selectProfile': (profile?: string) => selectProfile(profile),
    'ecrDeploy.selectRegion': (region?: string) => selectRegion(region),
    'ecrDeploy.ssoLogin': (profile?: string) => runSsoLogin(typeof profile === 'string' ? profile : session.connection.profileLabel),
    'ecrDeploy.showLog': () => log.show(),
    'ecrDeploy.showErrorDetails': (error: DescribedError) => showAwsError('ECR Deploy', error),
    // package.json's publisher.name, then the walkthrough's id under contributes.walkthroughs.
    'ecrDeploy.openWalkthrough': () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${WALKTHROUGH.extension}#${WALKTHROUGH.id}`, false),
  };
}
