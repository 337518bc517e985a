import type { Services } from '../../extension';
import type { CommandTable } from '../commands';

export function explorerCommands({ repositoriesView, servicesView }: Services): CommandTable {
  return {
    'ecrDeploy.refreshRepositories': () => repositoriesView.refresh(),
    'ecrDeploy.refreshServices': () => servicesView.refresh(),
  };
}
