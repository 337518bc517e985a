/**
 * The reference workflow's repository policy: one IAM role may pull images, nothing else. Kept apart from the
 * grammar checks (policy.ts, with its generated validator) so the command that offers it loads no validator.
 */

/** The actions a pull needs (the reference workflow's repository policy, and what `docker pull` calls). */
export const PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] as const;

const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** Why a role ARN is not one, or undefined: `arn:aws:iam::123456789012:role/ecsTaskExecutionRole`. */
export function roleArnProblem(arn: string): string | undefined {
  if (!arn.trim()) return 'Type the ARN of an IAM role.';
  if (ROLE_ARN.test(arn.trim())) return undefined;
  return `"${arn.trim().slice(0, 200)}" is not an IAM role ARN: it looks like arn:aws:iam::123456789012:role/name.`;
}

/** The pull-only policy for one role: it may pull images from the repository, nothing else. */
export function pullOnlyPolicy(roleArn: string): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'AllowPull', Effect: 'Allow', Principal: { AWS: roleArn.trim() }, Action: [...PULL_ACTIONS] }],
  };
}

/** Pretty JSON, the form the editor opens. */
export function formatRepositoryPolicy(policy: unknown): string {
  return `${JSON.stringify(policy, null, 2)}\n`;
}

