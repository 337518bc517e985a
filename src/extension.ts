/**
 * Composition root. activate() builds the services in order and owns every disposable; nothing here
 * calls AWS or loads the SDK (the views load on first display, through the lazily required dist/aws.js).
 */
import * as vscode from 'vscode';
import { registerCommands } from './features/commands';
import { AwsSession } from './features/connection/awsSession';
import { ConnectionStatusItem } from './features/connection/connectionStatus';
import { DeployDocuments } from './features/deploy/deployDocuments';
import { DeploymentHistory } from './features/deploy/deploymentHistory';
import { RepositoriesView } from './features/explorer/repositoriesView';
import { ServicesView } from './features/explorer/servicesView';
import { Log } from './features/log';
import { LogTailManager } from './features/logs/logTailManager';
import { LogTailStatusItem } from './features/logs/statusBar';
import { BumpVersionCodeActions } from './features/scan/bumpCodeActions';
import { ScanDiagnostics } from './features/scan/scanDiagnostics';
import { ScanHoverProvider } from './features/scan/scanHover';

export interface Services {
  log: Log;
  session: AwsSession;
  repositoriesView: RepositoriesView;
  servicesView: ServicesView;
  deployHistory: DeploymentHistory;
  deployDocuments: DeployDocuments;
  scanDiagnostics: ScanDiagnostics;
  logTails: LogTailManager;
}

/** What activate() returns: the services, for the extension's own tests inside VS Code. */
export type ExtensionApi = Services;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const own = <T extends vscode.Disposable>(disposable: T): T => {
    context.subscriptions.push(disposable);
    return disposable;
  };
  const log = own(new Log());
  try {
    const session = own(new AwsSession(log));
    const repositoriesView = own(new RepositoriesView(session));
    const servicesView = own(new ServicesView(session));
    const deployHistory = own(new DeploymentHistory(context.workspaceState));
    const deployDocuments = own(new DeployDocuments());
    const scanDiagnostics = own(new ScanDiagnostics());
    const logTails = own(new LogTailManager(session, log));
    const services: Services = { log, session, repositoriesView, servicesView, scanDiagnostics, logTails, deployHistory, deployDocuments };

    own(vscode.window.registerTreeDataProvider('ecrDeploy.repositories', repositoriesView));
    own(vscode.window.registerTreeDataProvider('ecrDeploy.services', servicesView));
    own(new ConnectionStatusItem(session));
    own(new LogTailStatusItem(logTails));
    own(vscode.languages.registerHoverProvider([{ language: 'dockerfile' }, { pattern: '**/*{Dockerfile,Containerfile}*' }], new ScanHoverProvider(scanDiagnostics)));
    own(vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new BumpVersionCodeActions(scanDiagnostics), BumpVersionCodeActions.metadata));
    for (const command of registerCommands(services)) own(command);
    return services;
  } catch (error) {
    // An activation failure is reported, not swallowed: the user sees it and the log has the details.
    log.error(`Activation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, true);
    void vscode.window.showErrorMessage(`ECR Deploy could not start: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}

export function deactivate(): void {
  // Everything is in context.subscriptions: VS Code disposes it when the extension deactivates.
}
