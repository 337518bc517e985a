/**
 * Revisions to roll back to: the task definition family's other ACTIVE revisions, newest first, each
 * with the image versions it runs and when it was registered, so a person can recognise the good one.
 */
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { imageVersionLabel } from '../ecr/imageReference';
import { revisionOf, shortTaskDefinition } from './taskDefinition';

export interface RevisionSummary {
  taskDefinitionArn: string;
  label: string;
  revision: number;
  registeredAt: string | undefined;
  images: Array<{ container: string; image: string; version: string }>;
}

export function summariseRevision(td: TaskDefinition): RevisionSummary {
  const arn = td.taskDefinitionArn ?? '';
  return {
    taskDefinitionArn: arn,
    label: shortTaskDefinition(arn),
    revision: td.revision ?? revisionOf(arn) ?? 0,
    registeredAt: td.registeredAt?.toISOString(),
    images: (td.containerDefinitions ?? []).map((c) => ({ container: c.name ?? '?', image: c.image ?? '?', version: imageVersionLabel(c.image ?? '') })),
  };
}

/** Revision ARNs of a family, newest first, without the current one. */
export function rollbackTargets(revisionArns: readonly string[], currentArn: string): string[] {
  return revisionArns
    .filter((arn) => arn !== currentArn && revisionOf(arn) !== undefined)
    .sort((a, b) => revisionOf(b)! - revisionOf(a)!);
}

/**
 * The revision `rollback` picks when none is named: the newest one below the current revision
 * (the one a deploy replaced), else the newest other one.
 */
export function defaultRollbackTarget(revisionArns: readonly string[], currentArn: string): string | undefined {
  const current = revisionOf(currentArn) ?? Infinity;
  const candidates = rollbackTargets(revisionArns, currentArn);
  return candidates.find((arn) => revisionOf(arn)! < current) ?? candidates[0];
}

/** `family:N` in the family of `currentArn`, as an ARN. */
export function revisionArn(currentArn: string, revision: number): string {
  return currentArn.replace(/:\d+$/, `:${revision}`);
}

export function describeRevision(summary: RevisionSummary): string {
  return summary.images.map((i) => (summary.images.length > 1 ? `${i.container}=${i.version}` : i.version)).join(', ');
}
