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
import type { LifecyclePreviewDocuments } from './explorer/lifecycle/lifecyclePreviews';
import type { DeployDocuments } from './deploy/deployDocuments';
import type { DeploymentHistory } from './deploy/deploymentHistory';
import type { RepositoriesView } from './explorer/repositoriesView';
import type { ServicesView } from './explorer/servicesView';
import type { Log } from './log';
import type { LogTailManager } from './logs/logTailManager';
import type { Memory } from './memory';
import type { MetricsPanels } from './metrics/metricsPanel';
import type { ScanDiagnostics } from './scan/scanDiagnostics';

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
  lifecyclePreviews: LifecyclePreviewDocuments;
  /** Show Metrics: one webview panel per service. */
  metricsPanels: MetricsPanels;
  /** The interval refresh of the explorer views (`ecrDeploy.explorer.refreshIntervalSeconds`). */
  autoRefresh: AutoRefresh;
  /** Edit Repository Policy's documents: told when a policy changed other than by saving its document. */
  repositoryPolicyDocuments: RepositoryPolicyDocuments;
}

