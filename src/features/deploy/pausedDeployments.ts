/**
 * Continue, or roll back, a deployment a PAUSE lifecycle hook holds — from the Services view's row of
 * that deployment, from the notification the rollout shows when it pauses, or from the palette.
 */
import * as vscode from 'vscode';
import { answerPausedDeployment, rollBackDeploymentUnderWay } from '../../app/deploy/pausedDeployment';
import type { DeploymentLifecycleHookAction } from '../../aws/serviceDeployments';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import { withCancellableProgress } from '../progress';
import { requireTrust, serviceRefOf, type DeployServices, type ServiceArg } from './deployContext';
import { pickService } from './pickers';

/** A row of "Service deployments" (its cluster and service name the target), or what serviceRefOf takes. */
type PausedArg = ServiceArg | { kind: 'serviceDeployment'; cluster: { clusterArn?: string; clusterName?: string }; service: { serviceArn?: string; serviceName?: string } };

function refOf(arg: PausedArg): ServiceRef | undefined {
  if (arg && typeof arg === 'object' && 'kind' in arg && arg.kind === 'serviceDeployment') {
    return { cluster: arg.cluster.clusterName ?? arg.cluster.clusterArn ?? '', service: arg.service.serviceName ?? arg.service.serviceArn ?? '' };
  }
  return serviceRefOf(arg as ServiceArg);
}

/** CONTINUE or ROLLBACK on the hook that holds the service's deployment; says what it did, or why nothing. */
export async function answerPaused(services: DeployServices, arg: PausedArg, action: DeploymentLifecycleHookAction): Promise<void> {
  if (!(await requireTrust(action === 'CONTINUE' ? 'Continuing a deployment' : 'Rolling back'))) return;
  const access = await services.session.access();
  const ref = refOf(arg) ?? (await pickService(access, action === 'CONTINUE' ? 'Continue Deployment' : 'Roll Back Paused Deployment'));
  if (!ref) return;
  const verb = action === 'CONTINUE' ? 'Continuing' : 'Rolling back';
  const answer = await withCancellableProgress(`${verb} ${ref.service}`, (signal, progress) => answerPausedDeployment(access, ref, action, { signal, progress }));
  if (answer.kind !== 'answered') {
    void vscode.window.showInformationMessage(answer.why);
    return;
  }
  services.log.info(`${ref.cluster}/${ref.service}: ${action} on hook ${answer.paused.hook.hookId} of ${answer.paused.serviceDeploymentArn}`);
  void vscode.window.showInformationMessage(
    action === 'CONTINUE' ? `${ref.service}: the deployment continues past ${answer.paused.hook.stage ?? 'its hook'}.` : `${ref.service}: ECS is rolling the deployment back.`,
  );
  await services.servicesView.refreshService(ref.service);
}

/** Roll Back of a deployment under way: StopServiceDeployment with ROLLBACK. */
export async function stopAndRollBack(services: DeployServices, arg: PausedArg): Promise<void> {
  if (!(await requireTrust('Rolling back'))) return;
  const access = await services.session.access();
  const ref = refOf(arg) ?? (await pickService(access, 'Roll Back Deployment'));
  if (!ref) return;
  const stopped = await withCancellableProgress(`Rolling back ${ref.service}`, (signal, progress) => rollBackDeploymentUnderWay(access, ref, { signal, progress }));
  if (stopped.kind !== 'stopped') {
    void vscode.window.showInformationMessage(stopped.why);
    return;
  }
  services.log.info(`${ref.cluster}/${ref.service}: StopServiceDeployment ROLLBACK of ${stopped.serviceDeploymentArn}`);
  void vscode.window.showInformationMessage(`${ref.service}: ECS is stopping the deployment and rolling back to the previous revision.`);
  await services.servicesView.refreshService(ref.service);
}
