/**
 * A deployment held by a PAUSE lifecycle hook waits for a person: continue it to the next stage, or roll
 * it back. Found from the service's own record of its deployments (the ServiceDeployments API), so the
 * CLI (`ecr-deploy continue`) and the extension (the notification, the Services view) act on the same one.
 */
import type { DeploymentLifecycleHookAction, ServiceDeployment } from '../../aws/serviceDeployments';
import { readServiceDeployment, type AwaitingHook } from '../../core/deploy/serviceDeployment';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import type { AwsAccess, Work } from '../ports';

/** Service deployments still under way: the only ones a hook can hold. */
const UNDER_WAY = ['PENDING', 'IN_PROGRESS'] as const;

export interface PausedDeployment {
  deployment: ServiceDeployment;
  serviceDeploymentArn: string;
  hook: AwaitingHook;
}

export type PausedLookup =
  | { kind: 'paused'; paused: PausedDeployment }
  | { kind: 'none'; why: string }
  | { kind: 'unsupported'; why: string };

const UNSUPPORTED = 'This endpoint has no ServiceDeployments API (ListServiceDeployments), so no lifecycle hook can be waiting.';

/** The service's deployment that a PAUSE hook holds now, if any. */
export async function findPausedDeployment({ edge, clients }: AwsAccess, ref: ServiceRef, work: Work = {}): Promise<PausedLookup> {
  const listed = await edge.serviceDeployments.listServiceDeployments(clients.ecs, ref.cluster, ref.service, { signal: work.signal });
  if (!listed.supported) return { kind: 'unsupported', why: UNSUPPORTED };
  const underWay = listed.value.filter((d) => d.serviceDeploymentArn && (UNDER_WAY as readonly string[]).includes(d.status ?? ''));
  for (const brief of underWay) {
    const described = await edge.serviceDeployments.describeServiceDeployment(clients.ecs, brief.serviceDeploymentArn!, { signal: work.signal });
    if (!described.supported) return { kind: 'unsupported', why: UNSUPPORTED };
    const deployment = described.value;
    const hook = deployment && readServiceDeployment(deployment, { now: Date.now() }).awaiting;
    if (deployment && hook) return { kind: 'paused', paused: { deployment, serviceDeploymentArn: brief.serviceDeploymentArn!, hook } };
  }
  const what = underWay.length ? `its ${underWay.length === 1 ? 'deployment under way is' : `${underWay.length} deployments under way are`} not waiting at a PAUSE hook` : 'no deployment is under way';
  return { kind: 'none', why: `Nothing is paused on ${ref.service}: ${what}.` };
}

export type PausedAnswer =
  | { kind: 'answered'; paused: PausedDeployment; action: DeploymentLifecycleHookAction }
  | Exclude<PausedLookup, { kind: 'paused' }>;

/**
 * Continues (CONTINUE) or rolls back (ROLLBACK) the deployment a PAUSE hook holds. Safe to retry: once
 * answered, the hook no longer waits and a second call finds nothing paused and sends nothing.
 */
export async function answerPausedDeployment(access: AwsAccess, ref: ServiceRef, action: DeploymentLifecycleHookAction, work: Work = {}): Promise<PausedAnswer> {
  const found = await findPausedDeployment(access, ref, work);
  if (found.kind !== 'paused') return found;
  const { serviceDeploymentArn, hook } = found.paused;
  work.progress?.(`${action === 'CONTINUE' ? 'Continuing' : 'Rolling back'} the deployment held at ${hook.stage ?? 'its hook'}`);
  await access.edge.serviceDeployments.continueServiceDeployment(access.clients.ecs, serviceDeploymentArn, hook.hookId, action, { signal: work.signal });
  return { kind: 'answered', paused: found.paused, action };
}

export type StopAnswer = { kind: 'stopped'; serviceDeploymentArn: string } | Exclude<PausedLookup, { kind: 'paused' }>;

/**
 * Rolls back the service's deployment under way (StopServiceDeployment with ROLLBACK): ECS returns the
 * service to the revision it ran before. Nothing under way: nothing sent.
 */
export async function rollBackDeploymentUnderWay({ edge, clients }: AwsAccess, ref: ServiceRef, work: Work = {}): Promise<StopAnswer> {
  const listed = await edge.serviceDeployments.listServiceDeployments(clients.ecs, ref.cluster, ref.service, { signal: work.signal });
  if (!listed.supported) return { kind: 'unsupported', why: UNSUPPORTED };
  const underWay = listed.value.find((d) => d.serviceDeploymentArn && (UNDER_WAY as readonly string[]).includes(d.status ?? ''));
  if (!underWay?.serviceDeploymentArn) return { kind: 'none', why: `No deployment of ${ref.service} is under way.` };
  work.progress?.('Stopping the deployment and rolling back');
  await edge.serviceDeployments.stopServiceDeployment(clients.ecs, underWay.serviceDeploymentArn, 'ROLLBACK', { signal: work.signal });
  return { kind: 'stopped', serviceDeploymentArn: underWay.serviceDeploymentArn };
}
