/**
 * Every command of the extension, as a table `name -> handler`, registered in one place under the
 * `ecrDeploy.` prefix. package.json declares the same names (a unit test keeps the two in step).
 */
import * as vscode from 'vscode';
import type { DescribedError } from '../core/awsErrors';
import type { Services } from '../extension';
import { selectProfile, selectRegion, switchConnection } from './connection/connectionStatus';
import { runSsoLogin, showAwsError } from './connection/nextSteps';

type Handler = (...args: never[]) => unknown;

export function commandTable(services: Services): Record<string, Handler> {
  const { session, repositoriesView, servicesView, log } = services;
  return {
    'ecrDeploy.refreshRepositories': () => repositoriesView.refresh(),
    'ecrDeploy.refreshServices': () => servicesView.refresh(),
    'ecrDeploy.refreshAll': () => session.reload(),
    'ecrDeploy.switchConnection': () => switchConnection(),
    'ecrDeploy.selectProfile': (profile?: string) => selectProfile(profile),
    'ecrDeploy.selectRegion': (region?: string) => selectRegion(region),
    'ecrDeploy.ssoLogin': (profile?: string) => runSsoLogin(typeof profile === 'string' ? profile : session.connection.profileLabel),
    'ecrDeploy.showLog': () => log.show(),
    'ecrDeploy.showErrorDetails': (error: DescribedError) => showAwsError('ECR Deploy', error),
  };
}

export function registerCommands(services: Services): vscode.Disposable[] {
  return Object.entries(commandTable(services)).map(([name, handler]) =>
    vscode.commands.registerCommand(name, async (...args: unknown[]) => {
      try {
        return await (handler as (...a: unknown[]) => unknown)(...args);
      } catch (error) {
        // A command never fails silently nor with a stack trace: the message, and the details in the log.
        services.log.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        void showAwsError('ECR Deploy', services.session.describe(error));
        return undefined;
      }
    }),
  );
}
