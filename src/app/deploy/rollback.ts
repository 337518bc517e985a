/**
 * The rollback use case: which revision to go back to (named by number and checked, named by ARN,
 * the default one, or the person's choice), the shell's confirmation, then the update followed to a
 * verdict (a rollback is never itself rolled back).
 */
import type { Service } from '@aws-sdk/client-ecs';
import { DeployError } from '../../core/deploy/deployError';
import { defaultRollbackTarget, revisionArn, rollbackTargets, summariseRevision, type RevisionSummary } from '../../core/deploy/revisions';
import { familyOf, revisionOf, shortTaskDefinition } from '../../core/deploy/taskDefinition';
import type { ServiceRef } from '../../core/ecs/serviceRef';
import type { DeployAccess, RunRead } from './access';
import { runUpdate, type FollowSettings, type StartRun, type UpdateRun } from './runUpdate';

/** Where to roll back to: a revision of the same family (checked to be ACTIVE), an ARN, or undefined (the default, or the person's choice). */
export type RollbackTo = { revision: number } | { taskDefinitionArn: string } | undefined;

export interface RevisionQuestion {
  service: Service;
  family: string;
  /** The other ACTIVE revisions, newest first. */
  candidates: string[];
  /** Describes the newest `limit` candidates, for a list a person reads. */
  describe(limit: number, signal: AbortSignal | undefined): Promise<RevisionSummary[]>;
}

export interface RollbackPorts {
  read: RunRead;
  /** Without it the default target is taken (the newest revision below the current one). */
  chooseRevision?(question: RevisionQuestion): Promise<string | undefined>;
  confirm(prepared: PreparedRollback): Promise<boolean>;
  follow(prepared: PreparedRollback, run: StartRun): Promise<UpdateRun>;
}

export interface PreparedRollback {
  ref: ServiceRef;
  service: Service;
  current: string;
  target: string;
}

export type RollbackOutcome =
  | { kind: 'cancelled' }
  /** The family has no other ACTIVE revision: `message` says so. */
  | { kind: 'nothing'; message: string }
  | { kind: 'stopped'; prepared: PreparedRollback }
  | { kind: 'ran'; prepared: PreparedRollback; run: UpdateRun };

type Target = { kind: 'target'; target: string } | { kind: 'nothing'; message: string } | { kind: 'cancelled' };

async function chooseTarget({ edge, clients }: DeployAccess, service: Service, to: RollbackTo, ports: RollbackPorts): Promise<Target> {
  const current = service.taskDefinition!;
  if (to && 'taskDefinitionArn' in to) return { kind: 'target', target: to.taskDefinitionArn };
  const family = familyOf(current);
  const active = await ports.read(`Listing revisions of ${family}`, (signal) => edge.deploy.listRevisionArns(clients.ecs, family, { signal }));
  const candidates = rollbackTargets(active, current);
  if (to) {
    const target = revisionArn(current, to.revision);
    if (target === current) throw new DeployError(`The service already runs ${shortTaskDefinition(current)}.`);
    if (!active.includes(target)) {
      const listed = candidates.map((arn) => revisionOf(arn)).join(', ') || 'none';
      throw new DeployError(`${shortTaskDefinition(target)} is not an ACTIVE revision of ${family} (other ACTIVE revisions: ${listed}).`);
    }
    return { kind: 'target', target };
  }
  if (!candidates.length) return { kind: 'nothing', message: `${family} has no other ACTIVE revision to roll back to.` };
  if (!ports.chooseRevision) return { kind: 'target', target: defaultRollbackTarget(active, current)! };
  const describe = async (limit: number, signal: AbortSignal | undefined) => (await edge.deploy.describeRevisions(clients.ecs, candidates.slice(0, limit), { signal })).map(summariseRevision);
  const chosen = await ports.chooseRevision({ service, family, candidates, describe });
  return chosen ? { kind: 'target', target: chosen } : { kind: 'cancelled' };
}

export async function rollback(access: DeployAccess, ref: ServiceRef, to: RollbackTo, settings: Omit<FollowSettings, 'rollbackOnFailure'>, ports: RollbackPorts): Promise<RollbackOutcome> {
  const service = await ports.read(`Reading ${ref.service}`, (signal) => access.edge.ecs.requireService(access.clients.ecs, ref.cluster, ref.service, { signal }));
  const current = service.taskDefinition!;
  const choice = await chooseTarget(access, service, to, ports);
  if (choice.kind !== 'target') return choice;
  const prepared: PreparedRollback = { ref: { cluster: ref.cluster, service: service.serviceName ?? ref.service }, service, current, target: choice.target };
  if (!(await ports.confirm(prepared))) return { kind: 'stopped', prepared };
  const run = await ports.follow(prepared, (signal, onStatus, onPause, onNotice) =>
    runUpdate(access, ref.cluster, service, { taskDefinitionArn: prepared.target }, { ...settings, rollbackOnFailure: false, signal, onStatus, onPause, onNotice }),
  );
  return { kind: 'ran', prepared, run };
}
