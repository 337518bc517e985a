/**
 * Problems of an open repository policy while typing: where it leaves the IAM policy grammar, and statements
 * that let anyone in (`repository/public-policy`). The checks load with the first such document
 * (dist/repositoryPolicy.js), not at activation.
 */
import { PolicyDiagnostics } from '../policyDocuments';
import { REPOSITORY_POLICY_SCHEME, REPOSITORY_POLICY_SUFFIX } from './repositoryPolicyDocuments';

export class RepositoryPolicyDiagnostics extends PolicyDiagnostics {
  constructor() {
    super('ecr-repository-policy', { scheme: REPOSITORY_POLICY_SCHEME, suffix: REPOSITORY_POLICY_SUFFIX }, async (document) => (await import('./policyChecks')).repositoryPolicyDiagnostics(document));
  }
}
