/**
 * The two changes a deploy makes, made safe to retry and reported by what they did. A failed call is
 * not proof that nothing happened: ECS may have acted and the answer been lost (a reset, a 5xx from a
 * proxy). So after such a failure the deploy reads what ECS has before it sends anything again, and
 * it never leaves a revision it registered behind without saying so.
 */
import type { RegisterTaskDefinitionCommandInput, Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { sleep } from '../../core/async/sleep';
import { AfterUpdateError, DeployError } from '../../core/deploy/deployError';
import { findUpdateDeployment } from '../../core/deploy/rollout';
import { registersSameContent, revisionOf, shortTaskDefinition } from '../../core/deploy/taskDefinition';
import { failedCallText, isThrottling, isTransientFailure } from '../../core/errors/awsErrors';
import type { DeployAccess } from './access';

/** Something the person should know that is not a failure: a lost answer recovered from, a read retried. */
export type Notify = (text: string) => void;

/** Reads after a failed change: a few tries, since what they find decides what is said and what is sent. */
const VERIFY_ATTEMPTS = 4;
const VERIFY_BASE_MS = 250;
/** A revision registered this long before the register was sent is not this deploy's: ECS's clock and ours differ. */
const REGISTERED_SKEW_MS = 60_000;
/** Revisions looked at for the one a lost register made: the newest few of the family. */
const CANDIDATES = 5;

/** Runs a read, again after transient failures (with backoff), a few times. */
export async function readPatiently<T>(read: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (!isTransientFailure(error) || attempt >= VERIFY_ATTEMPTS || signal?.aborted) throw error;
      await sleep(VERIFY_BASE_MS * 2 ** (attempt - 1), signal);
    }
  }
}

/** True when a change that failed so may still have been made: the answer, not the request, may be what failed. */
function mayHaveActed(error: unknown): boolean {
  return isTransientFailure(error) && !isThrottling(error);
}

/**
 * The revision a register whose answer was lost made: same family, same content, registered after
 * `sentAt` (less the clock skew). Undefined when ECS registered nothing.
 */
async function findRegistered({ edge, clients }: DeployAccess, input: RegisterTaskDefinitionCommandInput, sentAt: number): Promise<TaskDefinition | undefined> {
  const arns = await readPatiently(() => edge.deploy.listRevisionArns(clients.ecs, input.family ?? ''));
  const newest = arns.sort((a, b) => (revisionOf(b) ?? 0) - (revisionOf(a) ?? 0)).slice(0, CANDIDATES);
  for (const arn of newest) {
    const described = await readPatiently(() => edge.ecs.describeTaskDefinition(clients.ecs, arn));
    const at = described.taskDefinition.registeredAt?.getTime();
    if (at !== undefined && at < sentAt - REGISTERED_SKEW_MS) continue;
    if (registersSameContent(described, input)) return described.taskDefinition;
  }
  return undefined;
}

/**
 * Registers the new revision exactly once. The edge sends RegisterTaskDefinition without the SDK's
 * retry (throttling aside); on a failure that may hide a registration, the revision it made is looked
 * for and adopted, and only when there is none is the register sent again.
 */
export async function registerOnce(access: DeployAccess, input: RegisterTaskDefinitionCommandInput, previous: string, notify: Notify | undefined, now: () => number): Promise<TaskDefinition> {
  const register = () => access.edge.deploy.registerTaskDefinition(access.clients.ecs, input);
  const adopted = (error: unknown, found: TaskDefinition) => {
    notify?.(`${failedCallText(error)}, but ECS had registered ${shortTaskDefinition(found.taskDefinitionArn ?? '')} (same family and content, registered by this deploy): using it.`);
    return found;
  };
  const sentAt = now();
  try {
    return await register();
  } catch (error) {
    if (!mayHaveActed(error)) throw error;
    const found = await findRegistered(access, input, sentAt);
    if (found) return adopted(error, found);
  }
  // ECS registered nothing: sending it once more cannot leave a second revision behind.
  try {
    return await register();
  } catch (again) {
    if (!mayHaveActed(again)) throw again;
    const found = await findRegistered(access, input, sentAt);
    if (found) return adopted(again, found);
    throw new DeployError(`${failedCallText(again)}: nothing was registered and the service still names ${shortTaskDefinition(previous)}. Retry the deploy.`);
  }
}

export interface ServiceChange {
  cluster: string;
  /** The service as described just before the update. */
  service: Service;
  taskDefinitionArn: string;
  forceNewDeployment?: boolean;
  /** This deploy registered `taskDefinitionArn`: it is deregistered when the update did not happen. */
  registeredByUs: boolean;
}

/** Whether ECS made this update: the service names the revision with a deployment that was not there before. */
function updateHappened(change: ServiceChange, now: Service | undefined): boolean {
  if (!now || now.taskDefinition !== change.taskDefinitionArn) return false;
  return change.service.taskDefinition !== change.taskDefinitionArn || findUpdateDeployment(change.service.deployments, now.deployments, change.taskDefinitionArn) !== undefined;
}

/**
 * UpdateService, told by what it did. When the call fails, the service is read back: if it names the
 * new revision the update happened (its answer was lost) and the deploy goes on from what ECS says;
 * if not, the revision this deploy registered is deregistered and the message says the service is
 * unchanged. A service that cannot be read back is named with both revisions it may run.
 */
export async function updateOnce(access: DeployAccess, change: ServiceChange, notify: Notify | undefined): Promise<Service> {
  const { edge, clients } = access;
  const serviceName = change.service.serviceName ?? '';
  const previous = change.service.taskDefinition ?? '';
  const ref = { cluster: change.cluster, service: serviceName };
  try {
    return await edge.deploy.updateService(clients.ecs, { cluster: change.cluster, service: serviceName, taskDefinition: change.taskDefinitionArn, forceNewDeployment: change.forceNewDeployment });
  } catch (error) {
    if (!mayHaveActed(error)) {
      throw await withoutOrphan(access, change, error, `${failedCallText(error)}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    let now: Service | undefined;
    try {
      now = await readPatiently(() => edge.ecs.describeService(clients.ecs, change.cluster, serviceName));
    } catch {
      throw new AfterUpdateError(
        `${failedCallText(error)} and the service could not be read back: it names ${shortTaskDefinition(change.taskDefinitionArn)} or still ${shortTaskDefinition(previous)}.`,
        ref,
        change.taskDefinitionArn,
        previous,
      );
    }
    if (now && updateHappened(change, now)) {
      notify?.(`${operationAnswerLost(error)}; the service now names ${shortTaskDefinition(change.taskDefinitionArn)}, following that deployment.`);
      return now;
    }
    throw await withoutOrphan(access, change, error, failedCallText(error));
  }
}

/** "UpdateService's answer was lost (ECONNRESET)": what a failure that the service contradicts was. */
function operationAnswerLost(error: unknown): string {
  const text = failedCallText(error);
  const m = /^(\S+) failed \((.*)\)$/.exec(text);
  return m ? `${m[1]}'s answer was lost (${m[2]})` : `${text} (the answer was lost)`;
}

/** The error for an update that did not happen, after deregistering the revision registered for it. */
async function withoutOrphan({ edge, clients }: DeployAccess, change: ServiceChange, _error: unknown, what: string): Promise<Error> {
  const previous = shortTaskDefinition(change.service.taskDefinition ?? '');
  const revision = shortTaskDefinition(change.taskDefinitionArn);
  if (!change.registeredByUs) return new DeployError(`${what}: the service still names ${previous}. Retry.`);
  try {
    await readPatiently(() => edge.deploy.deregisterTaskDefinition(clients.ecs, change.taskDefinitionArn));
    return new DeployError(`${what}: the service still names ${previous}; ${revision}, registered for this deploy, was deregistered. Retry the deploy.`);
  } catch (failed) {
    return new DeployError(`${what}: the service still names ${previous}; ${revision}, registered for this deploy, is left ACTIVE (${failedCallText(failed)}). Retry the deploy.`);
  }
}
