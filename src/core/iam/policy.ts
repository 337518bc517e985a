/**
 * IAM policy evaluation for the questions Diagnose Service asks ("may this role call ecr:BatchGetImage on
 * this repository?"), written for the policies IAM and ECR hand back. moto has no SimulatePrincipalPolicy, and
 * the real one needs a permission an execution role's reader rarely has, so the documents are evaluated here.
 *
 * The rules, as IAM documents them:
 * - A statement applies when its action part matches (`Action`, or `NotAction`: every action *but* those) and
 *   its resource part matches (`Resource`, or `NotResource`), and, in a resource policy, its principal part.
 * - Actions compare without regard to case; `*` is any run, `?` one character (the shared wildcard matcher).
 * - Resource ARNs compare with case; wildcards stay inside the colon-separated segment they are in, except a
 *   `*` that ends a segment, which may run on across colons (see {@link arnMatches}).
 * - An applicable `Deny` wins over any `Allow`; with no applicable `Allow` the answer is the implicit deny.
 *
 * Conditions are not evaluated: their keys (source IP, VPC endpoint, tags, MFA...) depend on the request ECS
 * makes, which is not known here. A statement with a `Condition` that otherwise applies makes the answer
 * `unknown` (it may or may not apply) rather than a guess either way; its Sid is named so the user can look.
 */
import { wildcardMatches } from '../text/wildcard';

export type Effect = 'Allow' | 'Deny';

export interface PolicyStatement {
  Sid?: string;
  Effect: Effect;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  NotPrincipal?: unknown;
  Condition?: Record<string, unknown>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement[];
}

/** A policy as read from IAM or ECR, with where it came from for the evidence. */
export interface NamedPolicy {
  /** How the evidence names it: `inline policy pull`, `managed policy arn:aws:iam::aws:policy/...`, `repository policy of web`. */
  source: string;
  document: PolicyDocument;
}

export interface AccessRequest {
  action: string;
  resource: string;
  /** The caller's ARN, for resource policies (their `Principal`); identity policies have none. */
  principal?: string;
}

export type AccessDecision = 'allow' | 'explicit-deny' | 'implicit-deny' | 'unknown';

export interface MatchedStatement {
  source: string;
  sid?: string;
  effect: Effect;
  /** The statement has a Condition, which was not evaluated. */
  conditional: boolean;
}

export interface AccessEvaluation {
  decision: AccessDecision;
  /** Every statement that applies (or would, conditions aside), Deny first. */
  matched: MatchedStatement[];
}

const list = (value: string | string[] | undefined): string[] | undefined => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);

/**
 * A policy document from its text. IAM's GetRolePolicy and GetPolicyVersion return the JSON URL-encoded
 * (RFC 3986), ECR's GetRepositoryPolicy plain: both are taken. A single statement object becomes a list of one.
 * Throws a one-line error on anything that is not a policy.
 */
export function parsePolicyDocument(text: string): PolicyDocument {
  const trimmed = text.trim();
  let json: unknown;
  try {
    json = JSON.parse(trimmed.startsWith('%7B') || trimmed.startsWith('%7b') ? decodeURIComponent(trimmed) : trimmed);
  } catch (error) {
    throw new Error(`The policy is not JSON (${error instanceof Error ? error.message.split('\n')[0] : String(error)}).`);
  }
  const statement = (json as { Statement?: unknown } | null)?.Statement;
  if (!json || typeof json !== 'object' || statement === undefined) throw new Error('The policy has no Statement.');
  const statements = (Array.isArray(statement) ? statement : [statement]) as PolicyStatement[];
  for (const s of statements) {
    if (!s || typeof s !== 'object' || (s.Effect !== 'Allow' && s.Effect !== 'Deny')) throw new Error('A policy statement has no Effect of Allow or Deny.');
  }
  return { Version: (json as { Version?: string }).Version, Statement: statements };
}

/**
 * Whether an ARN pattern of a policy matches an ARN. `*` alone matches everything. Otherwise `?` is one
 * character other than `:`, and `*` any run without a `:`, except a `*` that is the last character of a
 * segment (before a `:` or at the end), which IAM lets run across colons. Case matters.
 */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  let source = '';
  const chars = [...pattern];
  chars.forEach((char, i) => {
    const next = chars[i + 1];
    if (char === '*') source += next === undefined || next === ':' ? '.*' : '[^:]*';
    else if (char === '?') source += '[^:]';
    else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  });
  return new RegExp(`^${source}$`, 's').test(arn);
}

/** Whether an action pattern (`ecr:Get*`, `ECR:batchgetimage`, `*`) names the action: case-insensitive, `?` one character. */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatches(pattern, action, { caseInsensitive: true, singleCharacter: true });
}

/** The account of a role or user ARN (`arn:aws:iam::123456789012:role/x` -> `123456789012`). */
const accountOf = (arn: string) => arn.split(':')[4] ?? '';

/**
 * Whether a resource policy's principal element names the caller: `*`, `{"AWS": "*"}`, the caller's ARN
 * (or a pattern of it), its account's root (`arn:aws:iam::ACCOUNT:root`) or the bare account id.
 * Service principals (`{"Service": ...}`) never name a role.
 */
export function principalMatches(principal: unknown, caller: string): boolean {
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  const aws = list((principal as { AWS?: string | string[] }).AWS) ?? [];
  const account = accountOf(caller);
  return aws.some((p) => p === '*' || p === account || p === `arn:aws:iam::${account}:root` || arnMatches(p, caller));
}

function statementApplies(statement: PolicyStatement, request: AccessRequest): boolean {
  const actions = list(statement.Action);
  const notActions = list(statement.NotAction);
  const actionOk = actions ? actions.some((a) => actionMatches(a, request.action)) : notActions ? !notActions.some((a) => actionMatches(a, request.action)) : false;
  if (!actionOk) return false;
  const resources = list(statement.Resource);
  const notResources = list(statement.NotResource);
  // A resource policy's statements may leave out Resource: they are about the resource they are attached to.
  const resourceOk = resources ? resources.some((r) => arnMatches(r, request.resource)) : notResources ? !notResources.some((r) => arnMatches(r, request.resource)) : statement.Principal !== undefined || statement.NotPrincipal !== undefined;
  if (!resourceOk) return false;
  if (statement.Principal !== undefined) return request.principal !== undefined && principalMatches(statement.Principal, request.principal);
  if (statement.NotPrincipal !== undefined) return request.principal !== undefined && !principalMatches(statement.NotPrincipal, request.principal);
  return true;
}

const hasCondition = (s: PolicyStatement) => Boolean(s.Condition && Object.keys(s.Condition).length);

/** The decision for one request over a set of policies (identity and resource policies alike). */
export function evaluateAccess(policies: readonly NamedPolicy[], request: AccessRequest): AccessEvaluation {
  const matched: MatchedStatement[] = [];
  for (const policy of policies) {
    for (const statement of policy.document.Statement) {
      if (!statementApplies(statement, request)) continue;
      matched.push({ source: policy.source, ...(statement.Sid ? { sid: statement.Sid } : {}), effect: statement.Effect, conditional: hasCondition(statement) });
    }
  }
  matched.sort((a, b) => Number(a.effect === 'Allow') - Number(b.effect === 'Allow') || Number(a.conditional) - Number(b.conditional));
  const denies = matched.filter((m) => m.effect === 'Deny');
  const allows = matched.filter((m) => m.effect === 'Allow');
  let decision: AccessDecision;
  if (denies.some((m) => !m.conditional)) decision = 'explicit-deny';
  else if (denies.length) decision = 'unknown';
  else if (allows.some((m) => !m.conditional)) decision = 'allow';
  else if (allows.length) decision = 'unknown';
  else decision = 'implicit-deny';
  return { decision, matched };
}

/** How a statement is named in evidence: `inline policy pull, statement DenyPull`. */
export function describeMatch(m: MatchedStatement): string {
  return `${m.source}${m.sid ? `, statement ${m.sid}` : ''}${m.conditional ? ' (with a condition, not evaluated)' : ''}`;
}
