import type { Services } from '../context';
import type { CommandTable } from '../commands';
import { buildAndPush } from './buildAndPush';

export function buildCommands(services: Services): CommandTable {
  return {
    'ecrDeploy.buildAndPush': (arg?: unknown) => buildAndPush(services, arg),
  };
}
