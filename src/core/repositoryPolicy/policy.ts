/**
 * ECR repository policies as data: the IAM policy grammar of media/schemas/repository-policy.schema.json
 * (compiled by ajv at build time into repositoryPolicySchema.ts) and its errors worded for a person with the
 * place they are about. The pull-only template is in template.ts (no validator: the editor's command loads it).
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import generatedValidator from './repositoryPolicySchema';
import { formatRepositoryPolicy } from './template';

export interface RepositoryPolicyProblem {
  /** Where, as a person reads it: `Statement[1].Effect`. */
  path: string;
  /** The JSON location the editor marks: keys and indexes from the root. */
  location: Array<string | number>;
  message: string;
}

export interface ParsedRepositoryPolicy {
  /** Present when the text follows the grammar (ECR may still refuse it, e.g. for an unknown principal). */
  policy?: Record<string, unknown>;
  problems: RepositoryPolicyProblem[];
}

/** Re-indents stored policy text for editing (ECR answers it as it was sent); text that is not JSON stays as it is. */
export function prettyRepositoryPolicyText(text: string): string {
  try {
    return formatRepositoryPolicy(JSON.parse(text));
  } catch {
    return text;
  }
}

const validateSchema = generatedValidator as unknown as ValidateFunction;

const ALLOWED: Record<string, string[]> = {
  policy: ['Version', 'Id', 'Statement'],
  statement: ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'],
  principal: ['AWS', 'Service', 'Federated', 'CanonicalUser'],
};

function locationOf(instancePath: string): Array<string | number> {
  return instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function pathText(location: ReadonlyArray<string | number>): string {
  return location.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part), '') || '(the policy)';
}

/** What kind of object a location is: the policy, a statement, a principal, a condition. */
function kindAt(location: ReadonlyArray<string | number>): 'policy' | 'statement' | 'principal' | 'condition' | 'other' {
  if (location.length === 0) return 'policy';
  const last = location[location.length - 1];
  if (last === 'Principal' || last === 'NotPrincipal') return 'principal';
  if (last === 'Condition') return 'condition';
  if (location[0] === 'Statement' && (location.length === 1 || (location.length === 2 && typeof last === 'number'))) return 'statement';
  return 'other';
}

/** What a value at this place must be, for an error inside one of its alternatives. */
function shapeOf(location: ReadonlyArray<string | number>): string {
  const key = [...location].reverse().find((part): part is string => typeof part === 'string');
  const inCondition = location.includes('Condition');
  if (inCondition) return 'must be a string, a number, true or false, or a list of them.';
  switch (key) {
    case 'Statement':
      return 'must be a statement object, or a list of them.';
    case 'Principal':
    case 'NotPrincipal':
      return 'must be "*" or an object such as {"AWS": "arn:aws:iam::123456789012:role/name"}.';
    case 'Action':
    case 'NotAction':
      return 'must be an ecr: action such as "ecr:BatchGetImage" (or "*"), or a list of them.';
    default:
      return 'must be a string, or a list of strings.';
  }
}

function wordedProblem(error: ErrorObject): RepositoryPolicyProblem | undefined {
  const location = locationOf(error.instancePath);
  const params = error.params as { missingProperty?: string; additionalProperty?: string; propertyName?: string };
  const at = (where: Array<string | number>, message: string): RepositoryPolicyProblem => ({ path: pathText(where), location: where, message });
  const key = location[location.length - 1];
  switch (error.keyword) {
    case 'required':
      // Action/NotAction and Principal/NotPrincipal are worded by their `oneOf`.
      if (error.schemaPath.includes('/allOf/')) return undefined;
      return at(location, `needs "${params.missingProperty}".`);
    case 'additionalProperties': {
      const kind = kindAt(location);
      const allowed = ALLOWED[kind];
      return at([...location, params.additionalProperty!], `"${params.additionalProperty}" is not a property IAM knows here${allowed ? ` (allowed: ${allowed.join(', ')})` : ''}.`);
    }
    case 'enum':
      if (key === 'Version') return at(location, 'must be "2012-10-17" (or the old "2008-10-17").');
      if (key === 'Effect') return at(location, 'must be "Allow" or "Deny".');
      return at(location, 'is not one of the values allowed here.');
    case 'pattern':
      if (key === 'Sid') return at(location, 'may hold only letters and digits.');
      return at(location, 'must be an ecr: action such as "ecr:BatchGetImage" or "ecr:*" (a repository policy is about this repository only), or "*".');
    case 'propertyNames':
    case 'pattern$propertyNames':
      return undefined;
    case 'oneOf':
      if (error.schemaPath.endsWith('/allOf/0/oneOf')) return at(location, 'needs exactly one of "Action" or "NotAction".');
      if (error.schemaPath.endsWith('/allOf/1/oneOf')) return at(location, 'needs exactly one of "Principal" or "NotPrincipal": a repository policy says whom it is about.');
      return at(location, shapeOf(location));
    case 'type':
      if (kindAt(location) === 'policy') return at(location, 'must be an object with a Statement.');
      if (kindAt(location) === 'statement') return at(location, 'must be an object with Effect, Principal and Action.');
      if (kindAt(location) === 'condition') return at(location, 'must be an object of condition operators, such as {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}.');
      return at(location, shapeOf(location));
    case 'minProperties':
      return at(location, key === 'Condition' ? 'needs at least one condition operator.' : 'must not be empty.');
    case 'minItems':
      return at(location, 'must not be an empty list.');
    case 'minLength':
      return at(location, 'must not be empty.');
    default:
      return at(location, shapeOf(location));
  }
}

const isPairRule = (e: ErrorObject) => /\/allOf\/\d+\/oneOf(\/\d+\/required)?$/.test(e.schemaPath);

function valueAt(root: unknown, instancePath: string): unknown {
  let value = root;
  for (const part of locationOf(instancePath)) value = value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[part] : undefined;
  return value;
}

function jsonType(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

/**
 * A value with alternatives (Statement: one object or a list; Principal: "*" or an object; Action: one or a
 * list) fails every alternative, and ajv reports them all: keep only the errors of the alternative the value
 * is (an object's missing key, a string's pattern), and let the `oneOf` say what the value must be when
 * nothing more specific is known.
 */
function usefulErrors(errors: readonly ErrorObject[], root: unknown): ErrorObject[] {
  const alternativesAt = new Set(errors.filter((e) => e.keyword === 'oneOf' && !isPairRule(e)).map((e) => e.instancePath));
  const fitsTheValue = (e: ErrorObject) => {
    if (!alternativesAt.has(e.instancePath) || (e.keyword === 'oneOf' && !isPairRule(e))) return true;
    const type = jsonType(valueAt(root, e.instancePath));
    if (e.keyword === 'type' || e.keyword === 'const') return false;
    if (['required', 'additionalProperties', 'minProperties'].includes(e.keyword) || isPairRule(e)) return type === 'object';
    if (e.keyword === 'minItems') return type === 'array';
    if (e.keyword === 'minLength' || e.keyword === 'pattern') return type === 'string';
    return true;
  };
  const kept = errors.filter(fitsTheValue);
  const specific = (e: ErrorObject) => ['additionalProperties', 'pattern', 'enum', 'required', 'minItems'].includes(e.keyword) || isPairRule(e);
  // A `oneOf` with an error inside its value (or a specific one at its place) is explained by that error.
  return kept.filter((e) => e.keyword !== 'oneOf' || isPairRule(e) || !kept.some((o) => o !== e && (o.instancePath.startsWith(`${e.instancePath}/`) || (o.instancePath === e.instancePath && specific(o)))));
}

/** Parses and checks a policy document; `policy` is present only when it follows the grammar. */
export function parseRepositoryPolicy(text: string): ParsedRepositoryPolicy {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problems: [{ path: '(the policy)', location: [], message: `is not valid JSON: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  if (validateSchema(value)) return { policy: value as Record<string, unknown>, problems: [] };
  const problems: RepositoryPolicyProblem[] = [];
  const seen = new Set<string>();
  for (const error of usefulErrors(validateSchema.errors ?? [], value)) {
    const problem = wordedProblem(error);
    const key = problem && `${problem.path} ${problem.message}`;
    if (!problem || seen.has(key!)) continue;
    seen.add(key!);
    problems.push(problem);
  }
  if (!problems.length) problems.push({ path: '(the policy)', location: [], message: 'does not follow the IAM policy grammar.' });
  return { problems };
}

/** `Statement[0].Effect must be "Allow" or "Deny". Statement[1] needs "Effect".` (at most `max`). */
export function describeRepositoryPolicyProblems(problems: readonly RepositoryPolicyProblem[], max = 3): string {
  const shown = problems.slice(0, max).map((p) => `${p.path} ${p.message}`);
  return `${shown.join(' ')}${problems.length > max ? ` (and ${problems.length - max} more: see the Problems panel)` : ''}`;
}
