/**
 * Composition root. activate() builds the services in order and owns every disposable; nothing here
 * calls AWS or loads the SDK (the views load on first display, through the lazily required dist/aws.js).
 */
import * as vscode from 'vscode';
import type { Services } from './features/context';
import { BuildService } from './features/build/buildService';
import { BuildTaskProvider } from './features/build/buildTasks';
import { BUILD_TASK_TYPE } from './core/build/buildTask';
import { registerCommands } from './features/commands';
import { WorkflowDiagnostics } from './features/ci/workflowDiagnostics';
import { AwsSession } from './features/connection/awsSession';
import { ConnectionStatusItem } from './features/connection/connectionStatus';
import { AutoRefresh } from './features/explorer/autoRefresh';
import { LifecycleDiagnostics } from './features/explorer/lifecycle/lifecycleDiagnostics';
import { LIFECYCLE_SCHEME, LifecyclePolicyDocuments } from './features/explorer/lifecycle/lifecycleDocuments';
import { REPOSITORY_POLICY_SCHEME, RepositoryPolicyDocuments } from './features/explorer/repositoryPolicy/repositoryPolicyDocuments';
import { RepositoryPolicyDiagnostics } from './features/explorer/repositoryPolicy/repositoryPolicyDiagnostics';
import { LifecyclePreviewDocuments, PREVIEW_SCHEME } from './features/explorer/lifecycle/lifecyclePreviews';
import { DeployDocuments } from './features/deploy/deployDocuments';
import { DeploymentHistory } from './features/deploy/deploymentHistory';
import { RepositoriesView } from './features/explorer/repositoriesView';
import { ServicesView } from './features/explorer/servicesView';
import { Log } from './features/log';
import { Memory } from './features/memory';
import { MetricsPanels } from './features/metrics/metricsPanel';
import { LogTailManager } from './features/logs/logTailManager';
import { LogTailStatusItem } from './features/logs/statusBar';
import { BumpVersionCodeActions } from './features/scan/bumpCodeActions';
import { ScanDiagnostics } from './features/scan/scanDiagnostics';
import { ScanHoverProvider } from './features/scan/scanHover';

/** What activate() returns: the services, for the extension's own tests inside VS Code. */
export type ExtensionApi = Services;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const own = <T extends vscode.Disposable>(disposable: T): T => {
    context.subscriptions.push(disposable);
    return disposable;
  };
  const log = own(new Log());
  try {
    const memory = new Memory(context.workspaceState);
    const session = own(new AwsSession(log));
    const repositoriesView = own(new RepositoriesView(session, log));
    const deployHistory = own(new DeploymentHistory(context.workspaceState));
    const servicesView = own(new ServicesView(session, log, deployHistory));
    const scanDiagnostics = own(new ScanDiagnostics());
    const logTails = own(new LogTailManager(session, log));
    const lifecycleDocuments = own(new LifecyclePolicyDocuments(session, log));
    const lifecyclePreviews = own(new LifecyclePreviewDocuments());
    const autoRefresh = own(new AutoRefresh([repositoriesView, servicesView]));
    const builds = own(new BuildService(session, log, memory, (name) => void repositoriesView.refreshRepository(name)));
    const deployDocuments = own(new DeployDocuments());
    const metricsPanels = own(new MetricsPanels(session, log, deployHistory, context.extensionUri));
    const repositoryPolicyDocuments = own(new RepositoryPolicyDocuments(session, log));
    const services: Services = { memory, log, session, repositoriesView, servicesView, builds, scanDiagnostics, logTails, lifecycleDocuments, lifecyclePreviews, deployHistory, deployDocuments, metricsPanels, autoRefresh, repositoryPolicyDocuments };

    // Several images can be selected for one Delete.
    own(repositoriesView.createTreeView('ecrDeploy.repositories', { canSelectMany: true }));
    own(servicesView.createTreeView('ecrDeploy.services'));
    own(vscode.workspace.registerFileSystemProvider(LIFECYCLE_SCHEME, lifecycleDocuments, { isCaseSensitive: true }));
    own(vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, lifecyclePreviews));
    own(new LifecycleDiagnostics());
    // Documents restored with the window open before any command runs: the provider is there from the start.
    own(vscode.workspace.registerFileSystemProvider(REPOSITORY_POLICY_SCHEME, repositoryPolicyDocuments, { isCaseSensitive: true }));
    own(new RepositoryPolicyDiagnostics());
    own(new WorkflowDiagnostics());
    own(
      lifecycleDocuments.onDidSave(({ location, policyText }) => {
        const node = repositoriesView.repositoryNode(location.repositoryName);
        if (node) repositoriesView.setLifecyclePolicy(node.repository, policyText);
      }),
    );
    own(new ConnectionStatusItem(session));
    own(vscode.tasks.registerTaskProvider(BUILD_TASK_TYPE, new BuildTaskProvider(builds)));
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
