/**
 * Which images a lifecycle policy would expire, computed here when the endpoint has no preview API
 * (LocalStack, moto) and to explain a preview. It follows ECR's documented evaluation rules:
 * - rules apply in rulePriority order, and an image is expired by at most one rule;
 * - an image that matches the tag selection of a rule can never be expired by a lower-priority rule,
 *   yet still counts in that rule's "images more than N" as if it were not expired;
 * - a tag prefix/pattern list selects an image only when every entry matches one of its tags;
 * - counts and ages order images by push time, and older images always expire first.
 */
import { wildcardMatches } from '../text/wildcard';
import type { ActionType, LifecyclePolicy, LifecycleRule } from './policy';

export interface EvaluatedImage {
  imageDigest: string;
  imageTags?: readonly string[];
  imagePushedAt: Date;
}

export interface LifecycleOutcome {
  imageDigest: string;
  imageTags: string[];
  imagePushedAt: Date;
  action: ActionType;
  appliedRulePriority: number;
}

export interface LifecycleEvaluation {
  /** Affected images, by rule priority then oldest first. */
  results: LifecycleOutcome[];
  /** Rules this evaluator cannot decide (archive storage, pull times); their tag selections still shield images from later rules. */
  notEvaluated: Array<{ rulePriority: number; reason: string }>;
}

export interface EvaluationOptions {
  now: Date;
  /** Digests referenced by a manifest list or index that stays: ECR never expires those. */
  protectedDigests?: ReadonlySet<string>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `*` matches any run of characters; everything else is literal; the whole tag must match. */
export function tagMatchesPattern(tag: string, pattern: string): boolean {
  return wildcardMatches(pattern, tag);
}

export function ruleSelects(rule: LifecycleRule, tags: readonly string[]): boolean {
  const { tagStatus, tagPrefixList, tagPatternList } = rule.selection;
  if (tagStatus === 'any') return true;
  if (tagStatus === 'untagged') return tags.length === 0;
  if (tags.length === 0) return false;
  if (tagPrefixList) return tagPrefixList.every((prefix) => tags.some((tag) => tag.startsWith(prefix)));
  if (tagPatternList) return tagPatternList.every((pattern) => tags.some((tag) => tagMatchesPattern(tag, pattern)));
  return false;
}

function unsupportedReason(rule: LifecycleRule): string | undefined {
  if (rule.action.type !== 'expire') return `action "${rule.action.type}" (archive storage) is only previewed by ECR itself`;
  if (rule.selection.storageClass === 'archive') return 'selecting archived images is only previewed by ECR itself';
  if (rule.selection.countType !== 'imageCountMoreThan' && rule.selection.countType !== 'sinceImagePushed') {
    return `countType "${rule.selection.countType}" needs pull or archive history only ECR has`;
  }
  return undefined;
}

/** One entry per digest: an endpoint that lists an image once per tag must not make it count twice. */
function uniqueImages(images: readonly EvaluatedImage[]): Array<{ imageDigest: string; imageTags: string[]; imagePushedAt: Date }> {
  const byDigest = new Map<string, { imageDigest: string; imageTags: string[]; imagePushedAt: Date }>();
  for (const image of images) {
    const known = byDigest.get(image.imageDigest);
    if (known) {
      for (const tag of image.imageTags ?? []) if (!known.imageTags.includes(tag)) known.imageTags.push(tag);
      if (image.imagePushedAt < known.imagePushedAt) known.imagePushedAt = image.imagePushedAt;
    } else {
      byDigest.set(image.imageDigest, { imageDigest: image.imageDigest, imageTags: [...(image.imageTags ?? [])], imagePushedAt: image.imagePushedAt });
    }
  }
  return [...byDigest.values()];
}

export function evaluateLifecyclePolicy(policy: LifecyclePolicy, images: readonly EvaluatedImage[], options: EvaluationOptions): LifecycleEvaluation {
  const newestFirst = uniqueImages(images).sort(
    (a, b) => b.imagePushedAt.getTime() - a.imagePushedAt.getTime() || a.imageDigest.localeCompare(b.imageDigest),
  );
  const rules = [...policy.rules].sort((a, b) => a.rulePriority - b.rulePriority);
  const expired = new Map<string, LifecycleOutcome>();
  // Images a higher-priority rule's tag selection has seen: out of reach of every later rule.
  const seenByEarlierRule = new Set<string>();
  const notEvaluated: LifecycleEvaluation['notEvaluated'] = [];

  for (const rule of rules) {
    const selected = newestFirst.filter((image) => ruleSelects(rule, image.imageTags));
    const reason = unsupportedReason(rule);
    if (reason) {
      notEvaluated.push({ rulePriority: rule.rulePriority, reason });
    } else {
      const { countType, countNumber } = rule.selection;
      const cutoff = options.now.getTime() - countNumber * DAY_MS;
      const candidates = countType === 'imageCountMoreThan' ? selected.slice(countNumber) : selected.filter((image) => image.imagePushedAt.getTime() < cutoff);
      for (const image of candidates) {
        // An image expired by an earlier rule was selected by it, so this also keeps "one rule per image".
        if (seenByEarlierRule.has(image.imageDigest)) continue;
        if (options.protectedDigests?.has(image.imageDigest)) continue;
        expired.set(image.imageDigest, { ...image, imageTags: [...image.imageTags], action: rule.action.type, appliedRulePriority: rule.rulePriority });
      }
    }
    for (const image of selected) seenByEarlierRule.add(image.imageDigest);
  }

  const results = [...expired.values()].sort(
    (a, b) => a.appliedRulePriority - b.appliedRulePriority || a.imagePushedAt.getTime() - b.imagePushedAt.getTime() || a.imageDigest.localeCompare(b.imageDigest),
  );
  return { results, notEvaluated };
}
