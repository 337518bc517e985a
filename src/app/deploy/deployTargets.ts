/**
 * Where a repository's images are deployed by default: the person's own setting wins; else the target
 * remembered from the last deploy, forgotten when its service is gone (so it is not offered again).
 */
import type { ServiceRef } from '../../core/ecs/serviceRef';
import type { DeployAccess, RunRead } from './access';
import { serviceExists } from './prepareDeploy';

export interface DeployTarget extends ServiceRef {
  container?: string;
}

/** The remembered targets (the extension's workspace memory). */
export interface DeployTargetMemory {
  deployTarget(repositoryName: string): DeployTarget | undefined;
  forgetDeployTarget(repositoryName: string): Promise<void>;
}

export async function deployTargetOf(
  access: DeployAccess,
  repositoryName: string,
  sources: { configured: DeployTarget | undefined; memory: DeployTargetMemory; read: RunRead },
): Promise<DeployTarget | undefined> {
  if (sources.configured) return sources.configured;
  const remembered = sources.memory.deployTarget(repositoryName);
  if (!remembered) return undefined;
  if (await sources.read(`Reading ${remembered.service}`, (signal) => serviceExists(access, remembered, signal))) return remembered;
  await sources.memory.forgetDeployTarget(repositoryName);
  return undefined;
}
