/**
 * The catalogue of deploy readiness rules: stable id, default severity, where the finding is placed and
 * how to fix it. The README's rules table and the SARIF rule descriptions are written from this list, so
 * the three never disagree.
 */
import type { ReadinessSeverity } from './finding';

export interface ReadinessRule {
  id: string;
  severity: ReadinessSeverity;
  /** Where the finding is placed. */
  where: string;
  /** One line: what to change. */
  fix: string;
}

export const READINESS_RULES: readonly ReadinessRule[] = [
  { id: 'dockerfile/root-user', severity: 'warning', where: 'the final `FROM` (no `USER`) or the `USER root` line', fix: 'Add `USER <non-root user>` to the final stage.' },
  { id: 'dockerfile/secret-in-env', severity: 'error', where: 'the `ENV`/`ARG` line', fix: 'Pass the secret at run time (task definition `secrets`), not in the image.' },
  { id: 'dockerfile/unpinned-base', severity: 'warning', where: 'the final `FROM`', fix: 'Pin the base image by digest (`FROM image:tag@sha256:...`); the quick fix asks the registry.' },
  { id: 'dockerfile/no-healthcheck', severity: 'warning', where: 'the final `FROM`', fix: 'Add a `HEALTHCHECK`, or a `healthCheck` in the task definition (then this is information).' },
  { id: 'dockerfile/latest-base', severity: 'warning', where: 'the final `FROM`', fix: 'Name a version tag instead of `latest` or no tag.' },
  { id: 'taskdef/root-user', severity: 'warning', where: 'the container\'s `"name"`', fix: 'Set `"user"` to a non-root user (`"1000"`).' },
  { id: 'taskdef/writable-root-fs', severity: 'warning', where: '`"readonlyRootFilesystem"`, else the container\'s `"name"`', fix: 'Set `"readonlyRootFilesystem": true` (quick fix); mount volumes for writable paths.' },
  { id: 'taskdef/secret-in-environment', severity: 'error', where: 'the `environment` entry', fix: 'Move it to `secrets` with a `valueFrom` (Secrets Manager or SSM ARN); quick fix.' },
  { id: 'taskdef/no-health-check', severity: 'warning', where: 'the essential container\'s `"name"`', fix: 'Add a `healthCheck` (`CMD-SHELL curl -f http://localhost/healthz || exit 1`).' },
  { id: 'taskdef/memory-over-task', severity: 'error', where: 'the container\'s `"memory"`', fix: 'Lower the container\'s `memory` to at most the task\'s `memory`.' },
  { id: 'taskdef/mutable-image-tag', severity: 'warning', where: 'the container\'s `"image"`', fix: 'Deploy a version tag or a digest; an error for protected services.' },
  { id: 'taskdef/no-log-configuration', severity: 'warning', where: 'the container\'s `"name"`', fix: 'Add a `logConfiguration` (`awslogs` driver with a group and stream prefix).' },
  { id: 'taskdef/no-execution-role', severity: 'error', where: '`"family"`', fix: 'Set `executionRoleArn` (it pulls from ECR, writes awslogs and reads secrets).' },
  { id: 'taskdef/platform-mismatch', severity: 'error', where: 'the container\'s `"image"`', fix: 'Build for the `runtimePlatform` (`docker build --platform linux/amd64`) or change it.' },
  { id: 'repository/scan-on-push-off', severity: 'warning', where: 'the repository', fix: 'Turn on scan on push (Toggle Scan on Push).' },
  { id: 'repository/mutable-tags', severity: 'warning', where: 'the repository (deployed to a protected service)', fix: 'Make tags immutable, so a deployed tag cannot be moved.' },
  { id: 'repository/no-lifecycle-policy', severity: 'warning', where: 'the repository', fix: 'Add a lifecycle policy (Edit Lifecycle Policy) so old images expire.' },
  { id: 'repository/public-policy', severity: 'error', where: 'the policy statement', fix: 'Name the principals (accounts, roles) or add a `Condition`.' },
  { id: 'repository/aes256', severity: 'info', where: 'the repository', fix: 'New repositories can use KMS encryption (encryption cannot change after creation).' },
];

export const RULE_IDS: ReadonlySet<string> = new Set(READINESS_RULES.map((r) => r.id));

export function ruleById(id: string): ReadinessRule | undefined {
  return READINESS_RULES.find((r) => r.id === id);
}

/** `*PASSWORD*`, `*SECRET*`, `*_KEY`, `*TOKEN*`, any case: the names the issue calls secret-looking. */
export function looksLikeSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  return upper.includes('PASSWORD') || upper.includes('SECRET') || upper.endsWith('_KEY') || upper.includes('TOKEN');
}

/** Tags that move: `latest`, `dev`, `main`/`master`, `pr-*`, `dev-*`, or no tag at all (which means latest). */
export function isMutableTag(tag: string | undefined): boolean {
  if (!tag) return true;
  return /^(latest|dev|develop|main|master|staging|stable|edge|nightly)$/i.test(tag) || /^(pr|dev)-/i.test(tag);
}
