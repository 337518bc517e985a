/**
 * ECR lifecycle policies as data: their shape, the checks ECR makes before it accepts one (so the
 * editor says what is wrong before PutLifecyclePolicy does), and the reference workflow's template.
 * media/schemas/lifecycle-policy.schema.json describes the same shape for the JSON editor.
 */
import { plural } from '../text/format';

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

const RULE_KEYS = new Set(['rulePriority', 'description', 'selection', 'action']);
const SELECTION_KEYS = new Set(['tagStatus', 'tagPrefixList', 'tagPatternList', 'storageClass', 'countType', 'countUnit', 'countNumber']);
const ACTION_KEYS = new Set(['type', 'targetStorageClass']);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const oneOf = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');

function checkKeys(value: Json, allowed: Set<string>, path: string, problems: PolicyProblem[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) problems.push({ path: `${path}.${key}`, message: `"${key}" is not a property ECR knows here (allowed: ${[...allowed].join(', ')}).` });
  }
}

function checkStringList(value: unknown, path: string, problems: PolicyProblem[]): value is string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v.length > 0)) {
    problems.push({ path, message: 'must be a non-empty list of non-empty strings.' });
    return false;
  }
  return true;
}

function checkSelection(selection: unknown, path: string, problems: PolicyProblem[]): void {
  if (!isObject(selection)) {
    problems.push({ path, message: 'must be an object with tagStatus, countType and countNumber.' });
    return;
  }
  checkKeys(selection, SELECTION_KEYS, path, problems);
  const { tagStatus, tagPrefixList, tagPatternList, countType, countUnit, countNumber, storageClass } = selection;
  if (!TAG_STATUSES.includes(tagStatus as TagStatus)) problems.push({ path: `${path}.tagStatus`, message: `must be one of ${oneOf(TAG_STATUSES)}.` });
  const hasPrefixes = tagPrefixList !== undefined;
  const hasPatterns = tagPatternList !== undefined;
  if (hasPrefixes) checkStringList(tagPrefixList, `${path}.tagPrefixList`, problems);
  if (hasPatterns && checkStringList(tagPatternList, `${path}.tagPatternList`, problems)) {
    for (const [i, pattern] of tagPatternList.entries()) {
      if ((pattern.match(/\*/g) ?? []).length > MAX_PATTERN_WILDCARDS) {
        problems.push({ path: `${path}.tagPatternList[${i}]`, message: `has more than ${MAX_PATTERN_WILDCARDS} wildcards (*).` });
      }
    }
  }
  if (tagStatus === 'tagged' && !hasPrefixes && !hasPatterns) {
    problems.push({ path: `${path}.tagStatus`, message: '"tagged" needs a tagPrefixList or a tagPatternList.' });
  }
  if (hasPrefixes && hasPatterns) problems.push({ path: `${path}.tagPatternList`, message: 'use either tagPrefixList or tagPatternList, not both.' });
  if (tagStatus !== 'tagged' && (hasPrefixes || hasPatterns)) {
    problems.push({ path: `${path}.${hasPrefixes ? 'tagPrefixList' : 'tagPatternList'}`, message: 'only applies when tagStatus is "tagged".' });
  }
  if (!COUNT_TYPES.includes(countType as CountType)) {
    problems.push({ path: `${path}.countType`, message: `must be one of ${oneOf(COUNT_TYPES)}.` });
  } else if (countType === 'imageCountMoreThan') {
    if (countUnit !== undefined) problems.push({ path: `${path}.countUnit`, message: 'must be left out when countType is "imageCountMoreThan".' });
  } else if (countUnit !== 'days') {
    problems.push({ path: `${path}.countUnit`, message: `must be "days" when countType is "${countType}".` });
  }
  if (typeof countNumber !== 'number' || !Number.isInteger(countNumber) || countNumber < 1) {
    problems.push({ path: `${path}.countNumber`, message: 'must be a whole number of at least 1.' });
  }
  if (storageClass !== undefined && !STORAGE_CLASSES.includes(storageClass as 'standard')) {
    problems.push({ path: `${path}.storageClass`, message: `must be one of ${oneOf(STORAGE_CLASSES)}.` });
  }
  if (countType === 'sinceImageTransitioned' && storageClass === undefined) {
    problems.push({ path: `${path}.storageClass`, message: 'is required when countType is "sinceImageTransitioned".' });
  }
}

function checkAction(action: unknown, path: string, problems: PolicyProblem[]): void {
  if (!isObject(action)) {
    problems.push({ path, message: 'must be an object like {"type": "expire"}.' });
    return;
  }
  checkKeys(action, ACTION_KEYS, path, problems);
  if (!ACTION_TYPES.includes(action.type as ActionType)) problems.push({ path: `${path}.type`, message: `must be one of ${oneOf(ACTION_TYPES)}.` });
  if (action.type === 'transition' && !TARGET_STORAGE_CLASSES.includes(action.targetStorageClass as 'archive')) {
    problems.push({ path: `${path}.targetStorageClass`, message: `must be ${oneOf(TARGET_STORAGE_CLASSES)} for a "transition" action.` });
  }
  if (action.type === 'expire' && action.targetStorageClass !== undefined) {
    problems.push({ path: `${path}.targetStorageClass`, message: 'only applies to a "transition" action.' });
  }
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
  const problems: PolicyProblem[] = [];
  if (!isObject(value)) return { problems: [{ path: '', message: 'must be an object with a "rules" list.' }] };
  checkKeys(value, new Set(['rules']), '', problems);
  if (!Array.isArray(value.rules) || value.rules.length === 0) {
    problems.push({ path: 'rules', message: 'must be a list with at least one rule.' });
    return { problems };
  }
  for (const [i, rule] of value.rules.entries()) {
    const path = `rules[${i}]`;
    if (!isObject(rule)) {
      problems.push({ path, message: 'must be an object with rulePriority, selection and action.' });
      continue;
    }
    checkKeys(rule, RULE_KEYS, path, problems);
    const priority = rule.rulePriority;
    if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < MIN_RULE_PRIORITY || priority > MAX_RULE_PRIORITY) {
      problems.push({ path: `${path}.rulePriority`, message: `must be a whole number from ${MIN_RULE_PRIORITY} to ${MAX_RULE_PRIORITY}.` });
    }
    if (rule.description !== undefined && typeof rule.description !== 'string') problems.push({ path: `${path}.description`, message: 'must be a string.' });
    checkSelection(rule.selection, `${path}.selection`, problems);
    checkAction(rule.action, `${path}.action`, problems);
  }
  checkRuleSet(value.rules.filter(isObject), problems);
  return problems.length ? { problems } : { policy: value as unknown as LifecyclePolicy, problems };
}

/** One line per problem, for a message or an error thrown at save. */
export function describeProblems(problems: readonly PolicyProblem[]): string {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n');
}

/** "3 rules" / "1 rule", for a tree row. */
export function ruleCountText(policyText: string | undefined): string {
  if (!policyText) return 'not set';
  try {
    const rules = (JSON.parse(policyText) as { rules?: unknown[] }).rules;
    const n = Array.isArray(rules) ? rules.length : 0;
    return plural(n, 'rule');
  } catch {
    return 'set';
  }
}
