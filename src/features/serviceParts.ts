/**
 * The long-lived services whose code activation does not load: the explorer views, builds, log tails,
 * scan diagnostics, deploy history and documents, metrics panels. Bundled apart as dist/services.js and
 * built once, on the first use of any of them (the first row a view asks for, a command, a task list).
 * The composition root (src/extension.ts) passes `own`, so it still owns every disposable made here.
 */
import type * as vscode from 'vscode';
import type { Services } from './context';
import type { LazyTreeDataProvider } from './lazyTree';
import type { ExplorerNode } from './explorer/nodes';
import { BuildService } from './build/buildService';
import { BuildTaskProvider } from './build/buildTasks';
import { AutoRefresh } from './explorer/autoRefresh';
import { DeployDocuments } from './deploy/deployDocuments';
import { DeploymentHistory } from './deploy/deploymentHistory';
import { RepositoriesView } from './explorer/repositoriesView';
import { ServicesView } from './explorer/servicesView';
import { MetricsPanels } from './metrics/metricsPanel';
import { LogTailManager } from './logs/logTailManager';
import { LogTailStatusItem } from './logs/statusBar';
import { ScanDiagnostics } from './scan/scanDiagnostics';
import { ScanHoverProvider } from './scan/scanHover';

/** What activation builds itself (cheap, or registered with VS Code at once). */
export type EagerServices = Pick<Services, 'memory' | 'log' | 'session' | 'lifecycleDocuments' | 'reports' | 'readinessDiagnostics' | 'readinessDocuments' | 'repositoryPolicyDocuments'>;
/** What this part builds. */
export type LazyServices = Omit<Services, keyof EagerServices>;

export interface ServiceParts extends LazyServices {
  /** The providers registered at activation pass their calls to these. */
  buildTasks: vscode.TaskProvider;
  scanHover: vscode.HoverProvider;
}

export function createServiceParts(
  eager: EagerServices,
  { own, extensionUri, workspaceState, trees }: { own: <T extends vscode.Disposable>(d: T) => T; extensionUri: vscode.Uri; workspaceState: vscode.Memento; trees: { repositories: LazyTreeDataProvider<ExplorerNode>; services: LazyTreeDataProvider<ExplorerNode> } },
): ServiceParts {
  const { session, log, memory, lifecycleDocuments } = eager;
  const repositoriesView = own(new RepositoriesView(session, log));
  const deployHistory = own(new DeploymentHistory(workspaceState));
  const servicesView = own(new ServicesView(session, log, deployHistory));
  trees.repositories.attach(repositoriesView);
  trees.services.attach(servicesView);
  const scanDiagnostics = own(new ScanDiagnostics());
  own(repositoriesView.showScanReads(scanDiagnostics));
  const logTails = own(new LogTailManager(session, log));
  own(new LogTailStatusItem(logTails));
  const autoRefresh = own(new AutoRefresh([repositoriesView, servicesView]));
  const builds = own(new BuildService(session, log, memory, (name) => void repositoriesView.refreshRepository(name)));
  const deployDocuments = own(new DeployDocuments());
  const metricsPanels = own(new MetricsPanels(session, log, deployHistory, extensionUri));
  own(
    lifecycleDocuments.onDidSave(({ location, policyText }) => {
      const node = repositoriesView.repositoryNode(location.repositoryName);
      if (node) repositoriesView.setLifecyclePolicy(node.repository, policyText);
    }),
  );
  return {
    repositoriesView,
    servicesView,
    builds,
    deployHistory,
    deployDocuments,
    scanDiagnostics,
    logTails,
    metricsPanels,
    autoRefresh,
    buildTasks: new BuildTaskProvider(builds),
    scanHover: new ScanHoverProvider(scanDiagnostics),
  };
}
