/**
 * ECR lifecycle policies as data: their shape, the checks ECR makes before it accepts one (so the
 * editor says what is wrong before PutLifecyclePolicy does), and the reference workflow's template.
 * The shape is media/schemas/lifecycle-policy.schema.json, the schema the JSON editor uses, compiled by ajv
 * at build time (lifecyclePolicySchema.ts); the checks between rules, which a schema cannot express, are here.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import generatedValidator from './lifecyclePolicySchema';

export const TAG_STATUSES = ['tagged', 'untagged', 'any'] as const;
export const COUNT_TYPES = ['imageCountMoreThan', 'sinceImagePushed', 'sinceImagePulled', 'sinceImageTransitioned'] as const;
export const COUNT_UNITS = ['days'] as const;
export const ACTION_TYPES = ['expire', 'transition'] as const;
export const STORAGE_CLASSES = ['standard', 'archive'] as const;
export const TARGET_STORAGE_CLASSES = ['archive'] as const;
/** ECR allows at most four `*` per tag pattern. */
export const MAX_PATTERN_WILDCARDS = 4;
export const MIN_RULE_PRIORITY = 1;
export const MAX_RULE_PRIORITY = 999;

export type TagStatus = (typeof TAG_STATUSES)[number];
export type CountType = (typeof COUNT_TYPES)[number];
export type ActionType = (typeof ACTION_TYPES)[number];

export interface LifecycleSelection {
  tagStatus: TagStatus;
  tagPrefixList?: string[];
  tagPatternList?: string[];
  storageClass?: (typeof STORAGE_CLASSES)[number];
  countType: CountType;
  countUnit?: (typeof COUNT_UNITS)[number];
  countNumber: number;
}

export interface LifecycleRule {
  rulePriority: number;
  description?: string;
  selection: LifecycleSelection;
  action: { type: ActionType; targetStorageClass?: (typeof TARGET_STORAGE_CLASSES)[number] };
}

export interface LifecyclePolicy {
  rules: LifecycleRule[];
}

export interface PolicyProblem {
  /** Where, as a JSON path: `rules[1].selection.countUnit`. */
  path: string;
  message: string;
  /** A conflict between rules (priorities, untagged, "any", prefixes), which a JSON schema cannot express. */
  betweenRules?: boolean;
}

export interface ParsedPolicy {
  /** Present when the text is a policy ECR would accept. */
  policy?: LifecyclePolicy;
  problems: PolicyProblem[];
}

/** The reference workflow's rules (DESIGN.md): untagged after 7 days, `dev-*` after 14, `pr-*` after 3. */
export const REFERENCE_LIFECYCLE_POLICY: LifecyclePolicy = {
  rules: [
    {
      rulePriority: 1,
      description: 'Expire untagged images older than 7 days',
      selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
      action: { type: 'expire' },
    },
    {
      rulePriority: 2,
      description: 'Expire dev- images older than 14 days',
      selection: { tagStatus: 'tagged', tagPrefixList: ['dev-'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 },
      action: { type: 'expire' },
    },
    {
      rulePriority: 3,
      description: 'Expire pr- images older than 3 days',
      selection: { tagStatus: 'tagged', tagPrefixList: ['pr-'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 3 },
      action: { type: 'expire' },
    },
  ],
};

/** Pretty JSON, the form the editor opens and ECR stores. */
export function formatLifecyclePolicy(policy: LifecyclePolicy | unknown): string {
  return `${JSON.stringify(policy, null, 2)}\n`;
}

/** Re-indents stored policy text for editing; text that is not JSON is returned as it is. */
export function prettyPolicyText(text: string): string {
  try {
    return formatLifecyclePolicy(JSON.parse(text));
  } catch {
    return text;
  }
}

/** The shipped schema, compiled by ajv at build time (the generated module is not type-checked). */
const validateLifecyclePolicySchema = generatedValidator as unknown as ValidateFunction;

const ROOT_KEYS = ['rules'];
const RULE_KEYS = ['rulePriority', 'description', 'selection', 'action'];
const SELECTION_KEYS = ['tagStatus', 'tagPrefixList', 'tagPatternList', 'storageClass', 'countType', 'countUnit', 'countNumber'];
const ACTION_KEYS = ['type', 'targetStorageClass'];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const oneOf = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');

/** The value at a JSON pointer (`/rules/0/selection`), read leniently. */
function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const segment of pointer.split('/').slice(1)) {
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    value = Array.isArray(value) ? value[Number(key)] : isObject(value) ? value[key] : undefined;
  }
  return value;
}

/** Where a problem sits in a rule, in the order a person reads a rule (and ECR's documentation lists it). */
const READING_ORDER = [
  'unknownKey', 'rulePriority', 'description',
  'selection', 'selection.unknownKey', 'tagStatus', 'tagPrefixList', 'tagPatternList', 'wildcards', 'taggedNeedsList', 'bothLists', 'onlyTagged',
  'countType', 'countUnit', 'countNumber', 'storageClass', 'storageClassRequired',
  'action', 'action.unknownKey', 'action.type', 'targetStorageClass',
] as const;
type Place = (typeof READING_ORDER)[number];

interface PlacedProblem extends PolicyProblem {
  /** The rule it is about; -1 for the policy itself. */
  rule: number;
  place: Place;
}

/**
 * One ajv error of the shipped schema, worded for a person at the path a person looks at; undefined
 * for an error another one already explains (an `if` that failed, the schema's view of a member that is
 * not even an object, a unit of an unknown count type).
 */
function problemOf(error: ErrorObject, policy: unknown): PlacedProblem | undefined {
  const segments = error.instancePath.split('/').slice(1);
  const params = error.params as { missingProperty?: string; additionalProperty?: string; passingSchemas?: number[] | null };
  const rule = segments[0] === 'rules' && segments[1] !== undefined ? Number(segments[1]) : -1;
  const rulePath = `rules[${rule}]`;
  const problem = (place: Place, path: string, message: string): PlacedProblem => ({ path, message, rule, place });
  if (error.keyword === 'if') return undefined;
  if (segments.length === 0) {
    if (error.keyword === 'additionalProperties') return problem('unknownKey', `.${params.additionalProperty!}`, `"${params.additionalProperty!}" is not a property ECR knows here (allowed: ${ROOT_KEYS.join(', ')}).`);
    return problem('unknownKey', 'rules', 'must be a list with at least one rule.');
  }
  if (segments.length === 1) return { ...problem('unknownKey', 'rules', 'must be a list with at least one rule.'), rule: -1 };

  // The member of the rule the error is about: `selection` for /rules/0/selection/tagStatus or for a missing selection.
  const member = segments.length === 2 ? (error.keyword === 'required' ? params.missingProperty : undefined) : segments[2];
  if (segments.length === 2 && error.keyword === 'type') return problem('unknownKey', rulePath, 'must be an object with rulePriority, selection and action.');
  if (segments.length === 2 && error.keyword === 'additionalProperties') {
    return problem('unknownKey', `${rulePath}.${params.additionalProperty!}`, `"${params.additionalProperty!}" is not a property ECR knows here (allowed: ${RULE_KEYS.join(', ')}).`);
  }
  if (member === 'rulePriority') return problem('rulePriority', `${rulePath}.rulePriority`, `must be a whole number from ${MIN_RULE_PRIORITY} to ${MAX_RULE_PRIORITY}.`);
  if (member === 'description') return problem('description', `${rulePath}.description`, 'must be a string.');
  if (member !== 'selection' && member !== 'action') return undefined;

  const objectPath = `${rulePath}.${member}`;
  const object = valueAt(policy, `/rules/${rule}/${member}`);
  if (!isObject(object)) {
    if (segments.length > 3 || (segments.length === 3 && error.keyword !== 'type') || (segments.length === 2 && error.keyword !== 'required')) return undefined;
    return member === 'selection'
      ? problem('selection', objectPath, 'must be an object with tagStatus, countType and countNumber.')
      : problem('action', objectPath, 'must be an object like {"type": "expire"}.');
  }
  if (error.keyword === 'additionalProperties') {
    return problem(`${member}.unknownKey`, `${objectPath}.${params.additionalProperty!}`, `"${params.additionalProperty!}" is not a property ECR knows here (allowed: ${(member === 'selection' ? SELECTION_KEYS : ACTION_KEYS).join(', ')}).`);
  }
  // The key of the selection or action: the one missing, or the one whose value is wrong.
  const key = segments.length === 3 ? params.missingProperty : segments[3];

  if (member === 'action') {
    if (key === 'type' && !error.schemaPath.startsWith('#/definitions/action/then')) return problem('action.type', `${objectPath}.type`, `must be one of ${oneOf(ACTION_TYPES)}.`);
    if (object.type === 'transition') return problem('targetStorageClass', `${objectPath}.targetStorageClass`, `must be ${oneOf(TARGET_STORAGE_CLASSES)} for a "transition" action.`);
    if (object.type === 'expire' && error.keyword === 'not') return problem('targetStorageClass', `${objectPath}.targetStorageClass`, 'only applies to a "transition" action.');
    return undefined;
  }

  const countType = object.countType;
  if (error.schemaPath.includes('/allOf/0/')) {
    if (error.keyword === 'not') return problem('onlyTagged', `${objectPath}.${object.tagPrefixList !== undefined ? 'tagPrefixList' : 'tagPatternList'}`, 'only applies when tagStatus is "tagged".');
    // Both lists at once is a check of its own (selectionProblems), whatever the tag status.
    if (error.keyword === 'oneOf' && !params.passingSchemas) return problem('taggedNeedsList', `${objectPath}.tagStatus`, '"tagged" needs a tagPrefixList or a tagPatternList.');
    return undefined;
  }
  if (error.schemaPath.includes('/allOf/1/') || key === 'countUnit') {
    if (error.keyword === 'not') return problem('countUnit', `${objectPath}.countUnit`, 'must be left out when countType is "imageCountMoreThan".');
    if (!COUNT_TYPES.includes(countType as CountType) || countType === 'imageCountMoreThan') return undefined;
    return problem('countUnit', `${objectPath}.countUnit`, `must be "days" when countType is "${String(countType)}".`);
  }
  if (error.schemaPath.includes('/allOf/2/')) return problem('storageClassRequired', `${objectPath}.storageClass`, 'is required when countType is "sinceImageTransitioned".');
  switch (key) {
    case 'tagStatus':
      return problem('tagStatus', `${objectPath}.tagStatus`, `must be one of ${oneOf(TAG_STATUSES)}.`);
    case 'countType':
      return problem('countType', `${objectPath}.countType`, `must be one of ${oneOf(COUNT_TYPES)}.`);
    case 'countNumber':
      return problem('countNumber', `${objectPath}.countNumber`, 'must be a whole number of at least 1.');
    case 'storageClass':
      return problem('storageClass', `${objectPath}.storageClass`, `must be one of ${oneOf(STORAGE_CLASSES)}.`);
    case 'tagPrefixList':
    case 'tagPatternList':
      if (error.keyword === 'pattern') return problem('wildcards', `${objectPath}.${key}[${segments[4]}]`, `has more than ${MAX_PATTERN_WILDCARDS} wildcards (*).`);
      return problem(key, `${objectPath}.${key}`, 'must be a non-empty list of non-empty strings.');
    default:
      return problem('selection', `${objectPath}.${key ?? ''}`, `does not match the lifecycle policy schema (${error.keyword}).`);
  }
}

/** What the schema says only in a way a person would not recognise: a selection with both tag lists. */
function selectionProblems(rules: readonly unknown[]): PlacedProblem[] {
  return rules.flatMap((rule, index) => {
    const selection = isObject(rule) ? rule.selection : undefined;
    if (!isObject(selection) || selection.tagPrefixList === undefined || selection.tagPatternList === undefined) return [];
    return [{ rule: index, place: 'bothLists' as const, path: `rules[${index}].selection.tagPatternList`, message: 'use either tagPrefixList or tagPatternList, not both.' }];
  });
}

/** The shipped schema's verdict, one problem per mistake, in reading order. */
function schemaProblems(policy: Json): PolicyProblem[] {
  const placed: PlacedProblem[] = [];
  if (!validateLifecyclePolicySchema(policy)) {
    for (const error of validateLifecyclePolicySchema.errors ?? []) {
      const problem = problemOf(error, policy);
      if (problem) placed.push(problem);
    }
  }
  if (Array.isArray(policy.rules)) placed.push(...selectionProblems(policy.rules));
  const seen = new Set<string>();
  const unique = placed.filter((p) => {
    const key = `${p.path}\n${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // A pattern's wildcards are counted once its list is a list of strings.
  const brokenLists = new Set(unique.filter((p) => p.place === 'tagPatternList').map((p) => p.path));
  const kept = unique.filter((p) => p.place !== 'wildcards' || !brokenLists.has(p.path.replace(/\[\d+\]$/, '')));
  const order = (p: PlacedProblem) => (p.path === 'rules' ? 0.5 : READING_ORDER.indexOf(p.place));
  return kept
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => a.problem.rule - b.problem.rule || order(a.problem) - order(b.problem) || a.index - b.index)
    .map(({ problem: { path, message } }) => ({ path, message }));
}

/** Rules that are each fine but break ECR's evaluation rules together. */
function checkRuleSet(rules: Json[], problems: PolicyProblem[]): void {
  const priorities = new Map<unknown, number>();
  for (const [i, rule] of rules.entries()) {
    const previous = priorities.get(rule.rulePriority);
    if (previous !== undefined) problems.push({ path: `rules[${i}].rulePriority`, message: `${String(rule.rulePriority)} is already used by rules[${previous}]; each rule needs its own priority.`, betweenRules: true });
    else priorities.set(rule.rulePriority, i);
  }
  const selection = (rule: Json) => (isObject(rule.selection) ? rule.selection : {});
  const untagged = rules.map((r, i) => [r, i] as const).filter(([r]) => selection(r).tagStatus === 'untagged');
  for (const [, i] of untagged.slice(1)) problems.push({ path: `rules[${i}].selection.tagStatus`, message: 'only one rule may select untagged images.', betweenRules: true });
  const numeric = rules.map((r) => r.rulePriority).filter((p): p is number => typeof p === 'number');
  const highest = Math.max(...numeric);
  for (const [i, rule] of rules.entries()) {
    if (selection(rule).tagStatus === 'any' && typeof rule.rulePriority === 'number' && rule.rulePriority !== highest) {
      problems.push({ path: `rules[${i}].rulePriority`, message: 'a rule with tagStatus "any" must have the highest rulePriority (it is evaluated last).', betweenRules: true });
    }
  }
  const seenLists = new Map<string, number>();
  for (const [i, rule] of rules.entries()) {
    const list = selection(rule).tagPrefixList ?? selection(rule).tagPatternList;
    if (!Array.isArray(list)) continue;
    const key = JSON.stringify([...list].sort());
    const previous = seenLists.get(key);
    if (previous !== undefined) problems.push({ path: `rules[${i}].selection`, message: `selects the same tags as rules[${previous}]; ECR requires a unique set of tag prefixes per rule.`, betweenRules: true });
    else seenLists.set(key, i);
  }
}

export function parseLifecyclePolicy(text: string): ParsedPolicy {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problems: [{ path: '', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  if (!isObject(value)) return { problems: [{ path: '', message: 'must be an object with a "rules" list.' }] };
  const problems = schemaProblems(value);
  if (!Array.isArray(value.rules) || value.rules.length === 0) return { problems };
  checkRuleSet(value.rules.filter(isObject), problems);
  return problems.length ? { problems } : { policy: value as unknown as LifecyclePolicy, problems };
}

/** One line per problem, for a message or an error thrown at save. */
export function describeProblems(problems: readonly PolicyProblem[]): string {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n');
}

