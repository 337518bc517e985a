/**
 * Composition root. activate() builds the services in order and owns every disposable; nothing here
 * calls AWS or loads the SDK (the views load on first display, through the lazily required dist/aws.js).
 */
import * as vscode from 'vscode';
import { registerCommands } from './features/commands';
import { AwsSession } from './features/connection/awsSession';
import { ConnectionStatusItem } from './features/connection/connectionStatus';
import { AutoRefresh } from './features/explorer/autoRefresh';
import { LifecycleDiagnostics } from './features/explorer/lifecycle/lifecycleDiagnostics';
import { LIFECYCLE_SCHEME, LifecyclePolicyDocuments } from './features/explorer/lifecycle/lifecycleDocuments';
import { LifecyclePreviewDocuments, PREVIEW_SCHEME } from './features/explorer/lifecycle/lifecyclePreviews';
import { RepositoriesView } from './features/explorer/repositoriesView';
import { ServicesView } from './features/explorer/servicesView';
import { Log } from './features/log';

export interface Services {
  log: Log;
  session: AwsSession;
  /** `refresh(node)` re-reads one row's subtree; `refreshRepository(name)` for features that know only a name. */
  repositoriesView: RepositoriesView;
  /** `refresh(node)` re-reads one row's subtree; `refreshService(arnOrName)` after a deploy or rollback. */
  servicesView: ServicesView;
  lifecycleDocuments: LifecyclePolicyDocuments;
  lifecyclePreviews: LifecyclePreviewDocuments;
  /** The interval refresh of the explorer views (`ecrDeploy.explorer.refreshIntervalSeconds`). */
  autoRefresh: AutoRefresh;
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
    const repositoriesView = own(new RepositoriesView(session, log));
    const servicesView = own(new ServicesView(session, log));
    const lifecycleDocuments = own(new LifecyclePolicyDocuments(session, log));
    const lifecyclePreviews = own(new LifecyclePreviewDocuments());
    const autoRefresh = own(new AutoRefresh([repositoriesView, servicesView]));
    const services: Services = { log, session, repositoriesView, servicesView, lifecycleDocuments, lifecyclePreviews, autoRefresh };

    // Several images can be selected for one Delete.
    own(repositoriesView.createTreeView('ecrDeploy.repositories', { canSelectMany: true }));
    own(servicesView.createTreeView('ecrDeploy.services'));
    own(vscode.workspace.registerFileSystemProvider(LIFECYCLE_SCHEME, lifecycleDocuments, { isCaseSensitive: true }));
    own(vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, lifecyclePreviews));
    own(new LifecycleDiagnostics());
    own(
      lifecycleDocuments.onDidSave(({ location, policyText }) => {
        const node = repositoriesView.repositoryNode(location.repositoryName);
        if (node) repositoriesView.setLifecyclePolicy(node.repository, policyText);
      }),
    );
    own(new ConnectionStatusItem(session));
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
