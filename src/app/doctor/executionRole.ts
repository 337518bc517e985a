/**
 * The task execution role as Diagnose Service reads it once for every check that asks about it: the role,
 * whether ECS tasks may assume it, and its inline and attached managed policies as documents to evaluate.
 */
import type { AwsAccess } from '../ports';
import { actionMatches, evaluateAccess, parsePolicyDocument, type AccessDecision, type AccessEvaluation, type NamedPolicy } from '../../core/iam/policy';
import { describeMatch } from '../../core/iam/policy';

export type ExecutionRole =
  | { kind: 'none' }
  | { kind: 'missing'; roleName: string; roleArn: string }
  | { kind: 'found'; roleName: string; roleArn: string; trustsEcsTasks: boolean; policies: NamedPolicy[]; unreadable: string[] };

/** The role name of a role ARN (`arn:aws:iam::1:role/path/name` -> `name`) or of a bare name. */
export function roleNameOf(roleArnOrName: string): string {
  return roleArnOrName.includes(':') ? roleArnOrName.split('/').pop()! : roleArnOrName;
}

const ECS_TASKS = 'ecs-tasks.amazonaws.com';

/** Whether a trust policy lets ECS tasks assume the role (an Allow of sts:AssumeRole to the ecs-tasks service). */
export function trustsEcsTasks(trustPolicyText: string | undefined): boolean {
  if (!trustPolicyText) return false;
  try {
    return parsePolicyDocument(trustPolicyText).Statement.some((s) => {
      if (s.Effect !== 'Allow') return false;
      const actions = s.Action === undefined ? [] : Array.isArray(s.Action) ? s.Action : [s.Action];
      const service = (s.Principal as { Service?: string | string[] } | undefined)?.Service;
      const services = service === undefined ? [] : Array.isArray(service) ? service : [service];
      return actions.some((a) => actionMatches(a, 'sts:AssumeRole')) && services.includes(ECS_TASKS);
    });
  } catch {
    return false;
  }
}

export async function readExecutionRole({ edge, clients }: AwsAccess, roleArnOrName: string | undefined, signal?: AbortSignal): Promise<ExecutionRole> {
  if (!roleArnOrName) return { kind: 'none' };
  const roleName = roleNameOf(roleArnOrName);
  const role = await edge.iam.getRole(clients.iam, roleName, { signal });
  if (!role) return { kind: 'missing', roleName, roleArn: roleArnOrName };
  const [inlineNames, attached] = await Promise.all([edge.iam.listRolePolicies(clients.iam, roleName, { signal }), edge.iam.listAttachedRolePolicies(clients.iam, roleName, { signal })]);
  const unreadable: string[] = [];
  const read = async (source: string, text: () => Promise<string>): Promise<NamedPolicy | undefined> => {
    try {
      return { source, document: parsePolicyDocument(await text()) };
    } catch (error) {
      if (signal?.aborted) throw error;
      unreadable.push(`${source}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      return undefined;
    }
  };
  const policies = await Promise.all([
    ...inlineNames.map((name) => read(`inline policy ${name}`, () => edge.iam.getRolePolicy(clients.iam, roleName, name, { signal }))),
    ...attached.map((p) =>
      read(`managed policy ${p.PolicyName ?? p.PolicyArn}`, async () => {
        const version = await edge.iam.getPolicyDefaultVersion(clients.iam, p.PolicyArn!, { signal });
        if (!version) throw new Error('no default version');
        return edge.iam.getPolicyVersion(clients.iam, p.PolicyArn!, version, { signal });
      }),
    ),
  ]);
  const trust = role.AssumeRolePolicyDocument;
  return { kind: 'found', roleName, roleArn: role.Arn ?? roleArnOrName, trustsEcsTasks: trustsEcsTasks(trust), policies: policies.filter((p): p is NamedPolicy => Boolean(p)), unreadable };
}

export interface PermissionAnswer {
  action: string;
  resource: string;
  decision: AccessDecision;
  /** One line: "ecr:BatchGetImage on arn:...: allowed by managed policy X, statement Y". */
  evidence: string;
}

const DECISION_TEXT: Record<AccessDecision, string> = { allow: 'allowed', 'explicit-deny': 'denied explicitly', 'implicit-deny': 'not allowed by any policy', unknown: 'depends on a condition' };

/**
 * One permission of the role: its identity policies and, when given, the resource's policy (ECR's repository
 * policy). In one account either may grant; a Deny in either wins; across accounts both must allow.
 */
export function permission(role: Extract<ExecutionRole, { kind: 'found' }>, action: string, resource: string, resourcePolicy?: NamedPolicy, crossAccount = false): PermissionAnswer {
  const identity = evaluateAccess(role.policies, { action, resource });
  const onResource: AccessEvaluation | undefined = resourcePolicy ? evaluateAccess([resourcePolicy], { action, resource, principal: role.roleArn }) : undefined;
  const decisions = [identity.decision, ...(onResource ? [onResource.decision] : [])];
  let decision: AccessDecision;
  if (decisions.includes('explicit-deny')) decision = 'explicit-deny';
  else if (decisions.includes('unknown')) decision = 'unknown';
  else if (crossAccount) decision = identity.decision === 'allow' && onResource?.decision === 'allow' ? 'allow' : 'implicit-deny';
  else decision = decisions.includes('allow') ? 'allow' : 'implicit-deny';
  const matched = [...identity.matched, ...(onResource?.matched ?? [])];
  const deciding = decision === 'explicit-deny' ? matched.filter((m) => m.effect === 'Deny' && !m.conditional) : decision === 'unknown' ? matched.filter((m) => m.conditional) : decision === 'allow' ? matched.filter((m) => m.effect === 'Allow') : [];
  const by = deciding.length ? ` by ${deciding.map(describeMatch).join('; ')}` : '';
  return { action, resource, decision, evidence: `${action} on ${resource}: ${DECISION_TEXT[decision]}${by}` };
}
