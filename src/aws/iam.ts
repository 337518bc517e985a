/**
 * IAM reads for Diagnose Service: a role, its inline policies and its attached managed policies' default
 * versions, as documents the policy evaluator (src/core/iam) reads. Read-only, paginated, cancellable.
 */
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
  type AttachedPolicy,
  type IAMClient,
  type Role,
} from '@aws-sdk/client-iam';
import { isErrorNamed } from '../core/errors/named';
import type { CallOptions } from './ecr';

export type { AttachedPolicy, Role };

/** The role by name, or undefined when IAM has none of that name (NoSuchEntity). */
export async function getRole(iam: IAMClient, roleName: string, options: CallOptions = {}): Promise<Role | undefined> {
  try {
    const out = await iam.send(new GetRoleCommand({ RoleName: roleName }), { abortSignal: options.signal });
    return out.Role;
  } catch (error) {
    if (isErrorNamed(error, 'NoSuchEntityException', 'NoSuchEntity')) return undefined;
    throw error;
  }
}

/** The names of the role's inline policies. */
export async function listRolePolicies(iam: IAMClient, roleName: string, options: CallOptions = {}): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListRolePolicies({ client: iam, pageSize: 100, stopOnSameToken: true }, { RoleName: roleName }, { abortSignal: options.signal })) names.push(...(page.PolicyNames ?? []));
  return names;
}

/** One inline policy's document, as IAM returns it (URL-encoded JSON). */
export async function getRolePolicy(iam: IAMClient, roleName: string, policyName: string, options: CallOptions = {}): Promise<string> {
  const out = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }), { abortSignal: options.signal });
  return out.PolicyDocument ?? '';
}

/** The managed policies attached to the role (name and ARN). */
export async function listAttachedRolePolicies(iam: IAMClient, roleName: string, options: CallOptions = {}): Promise<AttachedPolicy[]> {
  const attached: AttachedPolicy[] = [];
  for await (const page of paginateListAttachedRolePolicies({ client: iam, pageSize: 100, stopOnSameToken: true }, { RoleName: roleName }, { abortSignal: options.signal })) attached.push(...(page.AttachedPolicies ?? []));
  return attached;
}

/** A managed policy's default version id. */
export async function getPolicyDefaultVersion(iam: IAMClient, policyArn: string, options: CallOptions = {}): Promise<string | undefined> {
  const out = await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }), { abortSignal: options.signal });
  return out.Policy?.DefaultVersionId;
}

/** One version's document of a managed policy (URL-encoded JSON). */
export async function getPolicyVersion(iam: IAMClient, policyArn: string, versionId: string, options: CallOptions = {}): Promise<string> {
  const out = await iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId }), { abortSignal: options.signal });
  return out.PolicyVersion?.Document ?? '';
}
