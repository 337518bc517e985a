/** What the deploy commands share: the services they use and the shapes of the nodes they act on. */
import * as vscode from 'vscode';
import type { Repository } from '../../aws/ecr';
import type { Cluster, Service } from '../../aws/ecs';
import type { ImageDetail } from '../../aws/deploy';
import type { RunRead } from '../../app/deploy/access';
import { isPhrased } from '../../core/errors/named';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import type { Services } from '../context';
import { withCancellableProgress } from '../progress';

export type DeployServices = Pick<Services, 'session' | 'log' | 'deployHistory' | 'deployDocuments' | 'servicesView' | 'reports'>;

/** What a deploy from an image needs besides: the remembered targets. */
export type DeployFlowServices = DeployServices & Pick<Services, 'memory'>;

/** The extension's reads: each under a cancellable progress notification. */
export const readWithProgress: RunRead = (title, read) => Promise.resolve(withCancellableProgress(title, (signal) => read(signal)));

/** An image row of the Repositories view. */
export interface ImageNodeArg {
  kind: 'image';
  repository: Repository;
  image: ImageDetail;
}

/** A service row of the Services view. */
export interface ServiceNodeArg {
  kind: 'service';
  cluster: Cluster;
  service: Service;
}

/** What other features pass (Show Logs, failure actions): names or ARNs. */
export type ServiceArg = ServiceNodeArg | ServiceRef | undefined;

export function serviceRefOf(arg: ServiceArg): ServiceRef | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  if ('kind' in arg && arg.kind === 'service') {
    return { cluster: arg.cluster.clusterName ?? arg.cluster.clusterArn ?? '', service: arg.service.serviceName ?? arg.service.serviceArn ?? '' };
  }
  const ref = arg as Partial<ServiceRef>;
  return typeof ref.cluster === 'string' && typeof ref.service === 'string' ? { cluster: ref.cluster, service: ref.service } : undefined;
}

/** Untrusted workspaces browse but never deploy (the menus hide the commands; this covers the palette and links). */
export async function requireTrust(what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await vscode.window.showWarningMessage(`${what} is disabled in an untrusted workspace. Trust this workspace to deploy from it.`, 'Manage Workspace Trust');
  if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

/**
 * Errors already phrased for people (a missing service or image) are shown as they are; the rest go
 * to the command wrapper, which adds the AWS next step.
 */
export async function showDeployErrors(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (isPhrased(error)) {
      void vscode.window.showErrorMessage(`ECR Deploy: ${error.message}`);
      return;
    }
    throw error;
  }
}
