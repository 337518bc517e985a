/**
 * Composition root. activate() only registers: commands (their code loads per feature on first use),
 * the two tree views, the task provider, the status bar, the document providers. The long-lived services
 * behind them (views, builds, log tails, scan diagnostics...) are built on first use from the lazily
 * required dist/services.js, with `own`, so this root still owns every disposable. Nothing here calls AWS
 * or loads the SDK.
 */
import * as vscode from 'vscode';
import type { Services } from './features/context';
import type { ServiceParts } from './features/serviceParts';
import type { ExplorerNode } from './features/explorer/nodes';
import { BUILD_TASK_TYPE } from './core/build/buildTask';
import { setTimestampStyle } from './core/text/format';
import { settings } from './features/settings';
import { registerCommands } from './features/commands';
import { WorkflowDiagnostics } from './features/ci/workflowDiagnostics';
import { AwsSession } from './features/connection/awsSession';
import { ConnectionStatusItem } from './features/connection/connectionStatus';
import { LifecycleDiagnostics } from './features/explorer/lifecycle/lifecycleDiagnostics';
import { LIFECYCLE_SCHEME, LifecyclePolicyDocuments } from './features/explorer/lifecycle/lifecycleDocuments';
import { LazyTreeDataProvider } from './features/lazyTree';
import { REPOSITORY_POLICY_SCHEME, RepositoryPolicyDocuments } from './features/explorer/repositoryPolicy/repositoryPolicyDocuments';
import { RepositoryPolicyDiagnostics } from './features/explorer/repositoryPolicy/repositoryPolicyDiagnostics';
import { Log } from './features/log';
import { Memory } from './features/memory';
import { REPORT_SCHEME, ReportDocuments } from './features/reportDocuments';
import { BumpVersionCodeActions } from './features/scan/bumpCodeActions';
import { ReadinessCodeActions, ReadinessDiagnostics, ReadinessDocuments } from './features/readiness/readinessDiagnostics';

/** What activate() returns: the services, for the extension's own tests inside VS Code. */
export type ExtensionApi = Services;

/**
 * The services part, required on first use (scripts/lib/lazyParts.mjs keeps it out of this bundle). A
 * synchronous require, not import(): VS Code asks a tree provider for rows and the features read
 * `services.repositoriesView` without awaiting.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadServiceParts = (): typeof import('./features/serviceParts') => require('./features/serviceParts');

const LAZY_SERVICES = {
  repositoriesView: true,
  servicesView: true,
  builds: true,
  deployHistory: true,
  deployDocuments: true,
  scanDiagnostics: true,
  logTails: true,
  metricsPanels: true,
  autoRefresh: true,
} satisfies Record<Exclude<keyof Services, 'memory' | 'log' | 'session' | 'lifecycleDocuments' | 'reports' | 'readinessDiagnostics' | 'readinessDocuments' | 'repositoryPolicyDocuments'>, true>;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const own = <T extends vscode.Disposable>(disposable: T): T => {
    context.subscriptions.push(disposable);
    return disposable;
  };
  const log = own(new Log());
  try {
    // Every date the extension shows follows the one setting (read when a date is formatted, not now).
    setTimestampStyle(() => ({ utc: settings.timestampsInUtc() }));
    const memory = new Memory(context.workspaceState);
    const session = own(new AwsSession(log));
    const lifecycleDocuments = own(new LifecyclePolicyDocuments(session, log));
    const reports = own(new ReportDocuments());
    // Opening a Dockerfile or a task definition checks it: the recogniser is here, the rules load with the first one.
    const readinessDiagnostics = own(new ReadinessDiagnostics());
    const readinessDocuments = own(new ReadinessDocuments());
    const repositoryPolicyDocuments = own(new RepositoryPolicyDocuments(session, log));
    const eager = { memory, log, session, lifecycleDocuments, reports, readinessDiagnostics, readinessDocuments, repositoryPolicyDocuments };

    let parts: ServiceParts | undefined;
    const partsOf = (): ServiceParts => {
      parts ??= loadServiceParts().createServiceParts(eager, { own, extensionUri: context.extensionUri, workspaceState: context.workspaceState, trees });
      return parts;
    };
    const trees = {
      repositories: own(new LazyTreeDataProvider<ExplorerNode>(partsOf)),
      services: own(new LazyTreeDataProvider<ExplorerNode>(partsOf)),
    };
    const services = { ...eager } as Services;
    for (const key of Object.keys(LAZY_SERVICES) as Array<keyof typeof LAZY_SERVICES>) Object.defineProperty(services, key, { enumerable: true, get: () => partsOf()[key] });

    // Several images can be selected for one Delete.
    trees.repositories.setTreeView(own(vscode.window.createTreeView('ecrDeploy.repositories', { treeDataProvider: trees.repositories, showCollapseAll: true, canSelectMany: true })));
    trees.services.setTreeView(own(vscode.window.createTreeView('ecrDeploy.services', { treeDataProvider: trees.services, showCollapseAll: true })));
    own(vscode.workspace.registerFileSystemProvider(LIFECYCLE_SCHEME, lifecycleDocuments, { isCaseSensitive: true }));
    own(vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports));
    own(new LifecycleDiagnostics());
    // Documents restored with the window open before any command runs: the provider is there from the start.
    own(vscode.workspace.registerFileSystemProvider(REPOSITORY_POLICY_SCHEME, repositoryPolicyDocuments, { isCaseSensitive: true }));
    own(new RepositoryPolicyDiagnostics());
    own(new WorkflowDiagnostics());
    own(new ConnectionStatusItem(session));
    own(vscode.tasks.registerTaskProvider(BUILD_TASK_TYPE, { provideTasks: (token) => partsOf().buildTasks.provideTasks(token), resolveTask: (task, token) => partsOf().buildTasks.resolveTask(task, token) }));
    // Scan findings exist only once a scan command ran (which built the services): until then there is nothing to show.
    own(vscode.languages.registerHoverProvider([{ language: 'dockerfile' }, { pattern: '**/*{Dockerfile,Containerfile}*' }], { provideHover: (document, position, token) => parts?.scanHover.provideHover(document, position, token) }));
    own(vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new BumpVersionCodeActions(() => parts?.scanDiagnostics), BumpVersionCodeActions.metadata));
    own(vscode.languages.registerCodeActionsProvider([{ scheme: 'file' }, { scheme: 'untitled' }], new ReadinessCodeActions(), ReadinessCodeActions.metadata));
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
