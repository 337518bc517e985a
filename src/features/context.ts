/**
 * The long-lived services the features share, built once by the composition root (src/extension.ts)
 * and handed to each command. Features import this type from here, never from the composition root,
 * so no import runs back into it.
 */
import type { BuildService } from './build/buildService';
import type { AwsSession } from './connection/awsSession';
import type { AutoRefresh } from './explorer/autoRefresh';
import type { LifecyclePolicyDocuments } from './explorer/lifecycle/lifecycleDocuments';
import type { RepositoryPolicyDocuments } from './explorer/repositoryPolicy/repositoryPolicyDocuments';
import type { DeployDocuments } from './deploy/deployDocuments';
import type { DeploymentHistory } from './deploy/deploymentHistory';
import type { RepositoriesView } from './explorer/repositoriesView';
import type { ServicesView } from './explorer/servicesView';
import type { Log } from './log';
import type { LogTailManager } from './logs/logTailManager';
import type { Memory } from './memory';
import type { MetricsPanels } from './metrics/metricsPanel';
import type { ReportDocuments } from './reportDocuments';
import type { ScanDiagnostics } from './scan/scanDiagnostics';
import type { ReadinessDiagnostics, ReadinessDocuments } from './readiness/readinessDiagnostics';

export interface Services {
  /** The person's remembered choices (workspace state): deploy targets, build repositories, scan Dockerfiles. */
  memory: Memory;
  log: Log;
  session: AwsSession;
  /** `refresh(node)` re-reads one row's subtree; `refreshRepository(name)` for features that know only a name. */
  repositoriesView: RepositoriesView;
  /** `refresh(node)` re-reads one row's subtree; `refreshService(arnOrName)` after a deploy or rollback. */
  servicesView: ServicesView;
  builds: BuildService;
  deployHistory: DeploymentHistory;
  deployDocuments: DeployDocuments;
  scanDiagnostics: ScanDiagnostics;
  logTails: LogTailManager;
  lifecycleDocuments: LifecyclePolicyDocuments;
  /** Show Metrics: one webview panel per service. */
  metricsPanels: MetricsPanels;
  /** Read-only Markdown reports shown rendered (image details, lifecycle previews). */
  reports: ReportDocuments;
  /** The interval refresh of the explorer views (`ecrDeploy.explorer.refreshIntervalSeconds`). */
  autoRefresh: AutoRefresh;
  /** Deploy readiness diagnostics of open Dockerfiles and task definitions, and of checked services' revisions. */
  readinessDiagnostics: ReadinessDiagnostics;
  /** Check Deploy Readiness's read-only reports and revisions. */
  readinessDocuments: ReadinessDocuments;
  /** Edit Repository Policy's documents: told when a policy changed other than by saving its document. */
  repositoryPolicyDocuments: RepositoryPolicyDocuments;
}

