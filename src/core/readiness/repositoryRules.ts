/**
 * The repository rules of the deploy readiness checks, on what ECR says of a repository (DescribeRepositories,
 * GetLifecyclePolicy, GetRepositoryPolicy). Findings are placed on `repository <name>` (line 1); a public
 * policy statement on its line in the policy text, so the policy editor can show the same place.
 */
import type { ReadinessFinding } from './finding';
import { publicPolicyStatements } from './repositoryPolicy';

export interface RepositoryFacts {
  name: string;
  scanOnPush?: boolean;
  /** `MUTABLE`, `IMMUTABLE`, `MUTABLE_WITH_EXCLUSION`…; absent means mutable. */
  imageTagMutability?: string;
  /** `AES256` or `KMS`/`KMS_DSSE`. */
  encryptionType?: string;
  /** Undefined when the repository has none. */
  lifecyclePolicyText?: string;
  repositoryPolicyText?: string;
  /** It is deployed to a protected service (mutable tags matter there). */
  protectedService?: boolean;
}

/** Where repository findings are filed: the JSON `file` of a finding that is an AWS resource, not a file. */
export const repositoryLabel = (name: string) => `repository ${name}`;

export function checkRepository(facts: RepositoryFacts): ReadinessFinding[] {
  const file = repositoryLabel(facts.name);
  const findings: ReadinessFinding[] = [];
  const add = (rule: string, severity: ReadinessFinding['severity'], message: string, line = 1, column = 1) => findings.push({ file, line, column, rule, severity, message });
  if (!facts.scanOnPush) add('repository/scan-on-push-off', 'warning', `Scan on push is off for ${facts.name}: a pushed image's known vulnerabilities are found only if someone starts a scan. Turn it on (Toggle Scan on Push, or "aws ecr put-image-scanning-configuration --scan-on-push").`);
  if (facts.protectedService && !/^IMMUTABLE/.test(facts.imageTagMutability ?? 'MUTABLE')) add('repository/mutable-tags', 'warning', `Tags in ${facts.name} are mutable and it is deployed to a protected service: pushing a tag again changes what a restarted task runs. Make tags immutable (Toggle Tag Immutability).`);
  if (facts.lifecyclePolicyText === undefined) add('repository/no-lifecycle-policy', 'warning', `${facts.name} has no lifecycle policy: untagged and old images pile up (and are billed). Add one (Edit Lifecycle Policy), e.g. untagged images expire after 7 days.`);
  if (facts.repositoryPolicyText !== undefined) {
    for (const statement of publicPolicyStatements(facts.repositoryPolicyText)) {
      add('repository/public-policy', 'error', `Repository policy statement ${statement.sid ? `"${statement.sid}"` : `#${statement.index + 1}`} of ${facts.name} allows everyone ("Principal": "*") with no Condition: anyone can use the repository. Name the accounts or roles, or add a Condition (aws:PrincipalOrgID).`, statement.line, statement.column);
    }
  }
  if (!facts.encryptionType || facts.encryptionType === 'AES256') add('repository/aes256', 'info', `${facts.name} is encrypted with AES256 (ECR's own key). KMS is available for a key you control and audit; encryption is set when a repository is created.`);
  return findings;
}
