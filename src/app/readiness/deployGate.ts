/**
 * The readiness errors of a revision about to be deployed, for the confirmation of a protected service: the
 * task-definition rules on exactly what will be registered (a mutable tag is an error there). Pure: the plan
 * already holds the revision, nothing more is read.
 */
import type { ReadinessFinding } from '../../core/readiness/finding';
import { withoutIgnored } from '../../core/readiness/suppression';
import { checkTaskDefinition } from '../../core/readiness/taskDefinitionRules';

export function readinessErrorsOfRevision(registerInput: unknown, ignore: readonly string[] = []): ReadinessFinding[] {
  const text = `${JSON.stringify(registerInput, null, 2)}\n`;
  return withoutIgnored(checkTaskDefinition(text, 'new revision', { protectedService: true }), ignore).filter((f) => f.severity === 'error');
}
