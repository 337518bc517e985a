/**
 * Conflicts between rules in an open lifecycle policy (two rules with one priority, two rules for
 * untagged images, an "any" rule that is not last, the same prefixes twice), as diagnostics while
 * typing. The JSON schema covers the shape of each rule; these need the whole policy. The checks load
 * with the first such document (dist/lifecycle.js), not at activation.
 */
import { PolicyDiagnostics } from '../policyDocuments';
import { LIFECYCLE_SCHEME, LIFECYCLE_SUFFIX } from './lifecycleDocuments';

export class LifecycleDiagnostics extends PolicyDiagnostics {
  constructor() {
    super('ecr-lifecycle-policy', { scheme: LIFECYCLE_SCHEME, suffix: LIFECYCLE_SUFFIX }, async (document) => (await import('./policyChecks')).ruleConflictDiagnostics(document));
  }
}
