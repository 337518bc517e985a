import type { Services } from '../context';
import type { CommandTable } from '../commands';
import { imageCommands } from './imageCommands';
import { lifecycleCommands } from './lifecycle/lifecycleCommands';
import type { ExplorerNode, LoadMoreNode } from './nodes';
import { repositoryCommands } from './repositoryCommands';
import { repositoryPolicyCommands } from './repositoryPolicy/repositoryPolicyCommands';

const SERVICES_KINDS = new Set(['cluster', 'service', 'deployment', 'serviceEvents', 'serviceEvent', 'serviceTasks', 'task', 'targetHealth', 'targetGroup', 'target']);

export function explorerCommands(services: Services): CommandTable {
  const { repositoriesView, servicesView } = services;
  return {
    'ecrDeploy.refreshRepositories': () => repositoriesView.refresh(),
    'ecrDeploy.refreshServices': () => servicesView.refresh(),
    // The inline Refresh of a row reads that row's subtree only.
    'ecrDeploy.refresh': (node?: ExplorerNode) =>
      node && SERVICES_KINDS.has(node.kind) ? servicesView.refresh(node) : repositoriesView.refresh(node?.kind === 'message' ? undefined : node),
    'ecrDeploy.loadMore': (node: LoadMoreNode) => repositoriesView.loadMore(node),
    ...repositoryCommands(services),
    ...imageCommands(services),
    ...lifecycleCommands(services),
    ...repositoryPolicyCommands(services),
  };
}
