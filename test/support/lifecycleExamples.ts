/**
 * The worked examples of the Amazon ECR User Guide ("Examples of lifecycle policies": filtering on
 * multiple rules, multiple tags in a single rule), with the outcome AWS documents for each. They are
 * the shared ground truth of the local evaluator test and of the preview-API agreement test: the
 * expected results are AWS's words turned into data, not output of our evaluator.
 */
import type { LifecyclePolicy } from '../../src/core/lifecycle/policy';
import type { EvaluatedImage } from '../../src/core/lifecycle/evaluator';

export const NOW = new Date('2026-11-27T12:00:00Z');

const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const image = (name: string, tags: string[], days: number): EvaluatedImage => ({ imageDigest: `sha256:${name}`, imageTags: tags, imagePushedAt: daysAgo(days) });

const countRule = (priority: number, prefixes: string[], count: number) => ({
  rulePriority: priority,
  description: `Rule ${priority}`,
  selection: { tagStatus: 'tagged' as const, tagPrefixList: prefixes, countType: 'imageCountMoreThan' as const, countNumber: count },
  action: { type: 'expire' as const },
});

export interface DocumentedExample {
  name: string;
  images: EvaluatedImage[];
  policy: LifecyclePolicy;
  /** In the order ECR's preview lists them: by rule, oldest first. */
  expected: Array<{ imageDigest: string; appliedRulePriority: number }>;
}

const abc = [image('A', ['beta-1', 'prod-1'], 10), image('B', ['beta-2', 'prod-2'], 9), image('C', ['beta-3'], 8)];

export const DOCUMENTED_EXAMPLES: DocumentedExample[] = [
  {
    // Rule 2 would mark A and B, but A was already seen by rule 1 and expiring B would violate rule 1.
    name: 'multiple rules, example A (prod before beta): only A expires',
    images: abc,
    policy: { rules: [countRule(1, ['prod'], 1), countRule(2, ['beta'], 1)] },
    expected: [{ imageDigest: 'sha256:A', appliedRulePriority: 1 }],
  },
  {
    name: 'multiple rules, example B (beta before prod): A and B expire',
    images: abc,
    policy: { rules: [countRule(1, ['beta'], 1), countRule(2, ['prod'], 1)] },
    expected: [
      { imageDigest: 'sha256:A', appliedRulePriority: 1 },
      { imageDigest: 'sha256:B', appliedRulePriority: 1 },
    ],
  },
  {
    name: 'multiple tags in one rule, example A (every prefix must match; older than 5 days): C expires',
    images: [
      image('A', ['alpha-1'], 12),
      image('B', ['beta-1'], 11),
      image('C', ['alpha-2', 'beta-2'], 10),
      image('D', ['alpha-3'], 4),
      image('E', ['beta-3'], 3),
      image('F', ['alpha-4', 'beta-4'], 2),
    ],
    policy: {
      rules: [
        {
          rulePriority: 1,
          description: 'Rule 1',
          selection: { tagStatus: 'tagged', tagPrefixList: ['alpha', 'beta'], countType: 'sinceImagePushed', countNumber: 5, countUnit: 'days' },
          action: { type: 'expire' },
        },
      ],
    },
    expected: [{ imageDigest: 'sha256:C', appliedRulePriority: 1 }],
  },
  {
    name: 'multiple tags in one rule, example B (tags are not exclusive): A and B expire',
    images: [image('A', ['alpha-1', 'beta-1', 'gamma-1'], 10), image('B', ['alpha-2', 'beta-2'], 9), image('C', ['alpha-3', 'beta-3', 'gamma-2'], 8)],
    policy: { rules: [countRule(1, ['alpha', 'beta'], 1)] },
    expected: [
      { imageDigest: 'sha256:A', appliedRulePriority: 1 },
      { imageDigest: 'sha256:B', appliedRulePriority: 1 },
    ],
  },
];
