import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import {
  ACTION_TYPES,
  COUNT_TYPES,
  describeProblems,
  formatLifecyclePolicy,
  parseLifecyclePolicy,
  REFERENCE_LIFECYCLE_POLICY,
  TAG_STATUSES,
  type LifecyclePolicy,
  type LifecycleRule,
} from '../../src/core/lifecycle/policy';
import { ruleCountText } from '../../src/core/lifecycle/ruleCount';
import { evaluateLifecyclePolicy, tagMatchesPattern, type EvaluatedImage } from '../../src/core/lifecycle/evaluator';
import { lifecyclePreviewReport } from '../../src/core/lifecycle/report';
import { REPO_ROOT } from '../support/cliProcess';
import { DOCUMENTED_EXAMPLES, NOW } from '../support/lifecycleExamples';

const problemsOf = (policy: unknown) => parseLifecyclePolicy(JSON.stringify(policy)).problems.map((p) => `${p.path}: ${p.message}`);
const rule = (priority: number, selection: Record<string, unknown>, action: Record<string, unknown> = { type: 'expire' }) => ({ rulePriority: priority, selection, action });

describe('parseLifecyclePolicy: the checks ECR makes', () => {
  it('accepts the reference template and round-trips it', () => {
    const parsed = parseLifecyclePolicy(formatLifecyclePolicy(REFERENCE_LIFECYCLE_POLICY));
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.policy, REFERENCE_LIFECYCLE_POLICY);
    assert.equal(ruleCountText(JSON.stringify(REFERENCE_LIFECYCLE_POLICY)), '3 rules');
    assert.equal(ruleCountText(undefined), 'not set');
  });

  it('reports broken JSON and a missing rules list', () => {
    assert.match(describeProblems(parseLifecyclePolicy('{"rules": [').problems), /not valid JSON/);
    assert.deepEqual(problemsOf({}), ['rules: must be a list with at least one rule.']);
    assert.deepEqual(problemsOf({ rules: [] }), ['rules: must be a list with at least one rule.']);
  });

  it('reports each structural mistake with its path', () => {
    assert.deepEqual(problemsOf({ rules: [{ ...rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 }), bogus: true }] }), [
      'rules[0].bogus: "bogus" is not a property ECR knows here (allowed: rulePriority, description, selection, action).',
    ]);
    assert.deepEqual(problemsOf({ rules: [rule(0, { tagStatus: 'weird', countType: 'sinceImagePushed', countNumber: 0 }, { type: 'delete' })] }), [
      'rules[0].rulePriority: must be a whole number from 1 to 999.',
      'rules[0].selection.tagStatus: must be one of "tagged", "untagged", "any".',
      'rules[0].selection.countUnit: must be "days" when countType is "sinceImagePushed".',
      'rules[0].selection.countNumber: must be a whole number of at least 1.',
      'rules[0].action.type: must be one of "expire", "transition".',
    ]);
  });

  it('enforces the tag selection rules', () => {
    assert.deepEqual(problemsOf({ rules: [rule(1, { tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 3 })] }), [
      'rules[0].selection.tagStatus: "tagged" needs a tagPrefixList or a tagPatternList.',
    ]);
    assert.deepEqual(problemsOf({ rules: [rule(1, { tagStatus: 'tagged', tagPrefixList: ['a'], tagPatternList: ['b*'], countType: 'imageCountMoreThan', countNumber: 3 })] }), [
      'rules[0].selection.tagPatternList: use either tagPrefixList or tagPatternList, not both.',
    ]);
    assert.deepEqual(problemsOf({ rules: [rule(1, { tagStatus: 'untagged', tagPrefixList: ['a'], countType: 'imageCountMoreThan', countNumber: 3 })] }), [
      'rules[0].selection.tagPrefixList: only applies when tagStatus is "tagged".',
    ]);
    assert.deepEqual(problemsOf({ rules: [rule(1, { tagStatus: 'tagged', tagPatternList: ['*a*b*c*d*e'], countType: 'imageCountMoreThan', countNumber: 3 })] }), [
      'rules[0].selection.tagPatternList[0]: has more than 4 wildcards (*).',
    ]);
    assert.deepEqual(problemsOf({ rules: [rule(1, { tagStatus: 'tagged', tagPrefixList: [], countType: 'imageCountMoreThan', countNumber: 3 })] }), [
      'rules[0].selection.tagPrefixList: must be a non-empty list of non-empty strings.',
    ]);
    assert.deepEqual(problemsOf({ rules: [rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countUnit: 'days', countNumber: 3 })] }), [
      'rules[0].selection.countUnit: must be left out when countType is "imageCountMoreThan".',
    ]);
  });

  it('enforces the rules between rules', () => {
    const untagged = { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 };
    assert.deepEqual(problemsOf({ rules: [rule(1, untagged), rule(1, { tagStatus: 'tagged', tagPrefixList: ['x'], countType: 'imageCountMoreThan', countNumber: 1 })] }), [
      'rules[1].rulePriority: 1 is already used by rules[0]; each rule needs its own priority.',
    ]);
    assert.deepEqual(problemsOf({ rules: [rule(1, untagged), rule(2, { ...untagged, countNumber: 5 })] }), ['rules[1].selection.tagStatus: only one rule may select untagged images.']);
    assert.deepEqual(problemsOf({ rules: [rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 9 }), rule(2, untagged)] }), [
      'rules[0].rulePriority: a rule with tagStatus "any" must have the highest rulePriority (it is evaluated last).',
    ]);
    const prod = { tagStatus: 'tagged', tagPrefixList: ['prod', 'x'], countType: 'imageCountMoreThan', countNumber: 1 };
    assert.deepEqual(problemsOf({ rules: [rule(1, prod), rule(2, { ...prod, tagPrefixList: ['x', 'prod'] })] }), [
      'rules[1].selection: selects the same tags as rules[0]; ECR requires a unique set of tag prefixes per rule.',
    ]);
  });

  it('knows the archive actions', () => {
    assert.deepEqual(problemsOf({ rules: [rule(1, { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 90 }, { type: 'transition' })] }), [
      'rules[0].action.targetStorageClass: must be "archive" for a "transition" action.',
    ]);
    assert.deepEqual(problemsOf({ rules: [rule(1, { tagStatus: 'any', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 90 })] }), [
      'rules[0].selection.storageClass: is required when countType is "sinceImageTransitioned".',
    ]);
    assert.deepEqual(problemsOf({ rules: [rule(1, { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 90 })] }), []);
  });
});

describe('media/schemas/lifecycle-policy.schema.json', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'media', 'schemas', 'lifecycle-policy.schema.json'), 'utf8'));
  const ruleSchema = schema.definitions.rule;
  const selection = schema.definitions.selection;

  it('offers exactly the values the core checks accept', () => {
    assert.deepEqual(selection.properties.tagStatus.enum, [...TAG_STATUSES]);
    assert.deepEqual(selection.properties.countType.enum, [...COUNT_TYPES]);
    assert.deepEqual(schema.definitions.action.properties.type.enum, [...ACTION_TYPES]);
    assert.deepEqual(ruleSchema.required, ['rulePriority', 'selection', 'action']);
    assert.deepEqual(selection.required, ['tagStatus', 'countType', 'countNumber']);
    assert.equal(ruleSchema.additionalProperties, false);
    assert.equal(selection.additionalProperties, false);
  });

  it('is what core validates with: the committed ajv standalone validator is compiled from it', () => {
    const generator = path.join(REPO_ROOT, 'scripts', 'lib', 'lifecycleValidator.mjs');
    const generated = spawnSync(process.execPath, ['--input-type=module', '-e', `import { lifecycleValidatorSource } from ${JSON.stringify(pathToFileURL(generator).href)}; process.stdout.write(lifecycleValidatorSource());`], { encoding: 'utf8' });
    assert.equal(generated.status, 0, generated.stderr);
    const committed = fs.readFileSync(path.join(REPO_ROOT, 'src', 'core', 'lifecycle', 'lifecyclePolicySchema.ts'), 'utf8');
    assert.ok(committed === generated.stdout, 'src/core/lifecycle/lifecyclePolicySchema.ts is stale: run node scripts/build.mjs');
  });

  it('turns schema errors into words at the member a person looks at, never ajv\'s', () => {
    assert.deepEqual(problemsOf({ rules: [rule(1, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'weeks', countNumber: 1 }), { ...rule(2, null as never), action: 'expire' }] }), [
      'rules[0].selection.countUnit: must be "days" when countType is "sinceImagePushed".',
      'rules[1].selection: must be an object with tagStatus, countType and countNumber.',
      'rules[1].action: must be an object like {"type": "expire"}.',
    ]);
    assert.deepEqual(problemsOf({ rules: [rule(1, { tagStatus: 'any', tagPrefixList: ['a'], tagPatternList: ['', 'a*b*c*d*e*f'], countType: 'imageCountMoreThan', countNumber: 1 })] }), [
      'rules[0].selection.tagPatternList: must be a non-empty list of non-empty strings.',
      'rules[0].selection.tagPatternList: use either tagPrefixList or tagPatternList, not both.',
      'rules[0].selection.tagPrefixList: only applies when tagStatus is "tagged".',
    ]);
  });

  it('completes to the reference template', () => {
    const snippet = schema.defaultSnippets.find((s: { label: string }) => /reference/i.test(s.label));
    assert.deepEqual(snippet.body, REFERENCE_LIFECYCLE_POLICY);
  });
});

const image = (digest: string, tags: string[], daysAgo: number): EvaluatedImage => ({ imageDigest: digest, imageTags: tags, imagePushedAt: new Date(NOW.getTime() - daysAgo * 86_400_000) });
const expiredBy = (policy: LifecyclePolicy, images: EvaluatedImage[]) =>
  evaluateLifecyclePolicy(policy, images, { now: NOW }).results.map((r) => `${r.imageDigest}@${r.appliedRulePriority}`);

describe('evaluateLifecyclePolicy', () => {
  for (const example of DOCUMENTED_EXAMPLES) {
    it(`gives the documented result: ${example.name}`, () => {
      assert.deepEqual(
        evaluateLifecyclePolicy(example.policy, example.images, { now: NOW }).results.map((r) => [r.imageDigest, r.appliedRulePriority]),
        example.expected.map((e) => [e.imageDigest, e.appliedRulePriority]),
      );
    });
  }

  it('applies the reference rules to the reference tags', () => {
    const images = [
      image('latest', ['latest', 'v1.0.0'], 30),
      image('untagged-old', [], 8),
      image('untagged-new', [], 6),
      image('dev-old', ['dev-jwt'], 15),
      image('dev-new', ['dev-x'], 13),
      image('dev-bare', ['dev'], 40),
      image('pr-old', ['pr-123'], 4),
      image('pr-new', ['pr-124'], 2),
    ];
    assert.deepEqual(expiredBy(REFERENCE_LIFECYCLE_POLICY, images), ['untagged-old@1', 'dev-old@2', 'pr-old@3']);
  });

  it('matches tag patterns with wildcards on the whole tag', () => {
    assert.ok(tagMatchesPattern('prod-1', 'prod*'));
    assert.ok(tagMatchesPattern('a.b+c', 'a.b+c'));
    assert.ok(tagMatchesPattern('release-2026-v1', '*-v*'));
    assert.ok(!tagMatchesPattern('xprod', 'prod*'));
    assert.ok(!tagMatchesPattern('a-b', 'a.b'), 'a dot is literal');
  });

  it('counts an image listed once per tag once, and never expires a manifest list child', () => {
    const keepOne: LifecyclePolicy = { rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } }] };
    assert.deepEqual(expiredBy(keepOne, [image('a', ['x'], 1), image('a', ['y'], 1), image('b', [], 2)]), ['b@1']);
    assert.deepEqual(evaluateLifecyclePolicy(keepOne, [image('a', ['x'], 1), image('child', [], 2)], { now: NOW, protectedDigests: new Set(['child']) }).results, []);
  });

  it('names the rules it cannot decide but keeps their shield', () => {
    const policy: LifecyclePolicy = {
      rules: [
        { rulePriority: 1, selection: { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'sinceImagePulled', countUnit: 'days', countNumber: 1 }, action: { type: 'expire' } },
        { rulePriority: 2, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } },
      ],
    };
    const evaluation = evaluateLifecyclePolicy(policy, [image('new', ['x'], 1), image('v-old', ['v1'], 50), image('old', ['y'], 60)], { now: NOW });
    assert.deepEqual(evaluation.results.map((r) => r.imageDigest), ['old'], 'v-old is shielded by rule 1 even though rule 1 is not decided here');
    assert.equal(evaluation.notEvaluated[0].rulePriority, 1);
  });

  // Properties of ECR's evaluation rules, over generated repositories and valid policies.
  const tags = fc.constantFrom('latest', 'v1.0.0', 'dev-a', 'dev-b', 'pr-1', 'pr-2', 'commit-abc123', 'x');
  const images = fc.uniqueArray(fc.record({ imageDigest: fc.stringMatching(/^[0-9a-f]{4}$/), imageTags: fc.uniqueArray(tags, { maxLength: 3 }), days: fc.integer({ min: 0, max: 60 }) }), {
    selector: (i) => i.imageDigest,
    maxLength: 25,
  }).map((list) => list.map((i) => image(i.imageDigest, i.imageTags, i.days)));
  const selection = fc.oneof(
    fc.record({ tagStatus: fc.constant('tagged' as const), tagPrefixList: fc.uniqueArray(fc.constantFrom('dev-', 'pr-', 'v', 'latest', 'commit-'), { minLength: 1, maxLength: 2 }) }),
    fc.constant({ tagStatus: 'untagged' as const }),
  );
  const count = fc.oneof(
    fc.record({ countType: fc.constant('imageCountMoreThan' as const), countNumber: fc.integer({ min: 1, max: 5 }) }),
    fc.record({ countType: fc.constant('sinceImagePushed' as const), countUnit: fc.constant('days' as const), countNumber: fc.integer({ min: 1, max: 30 }) }),
  );
  const policies = fc.array(fc.tuple(selection, count), { minLength: 1, maxLength: 4 }).map((parts): LifecyclePolicy => ({
    rules: parts.map(([sel, cnt], i): LifecycleRule => ({ rulePriority: (i + 1) * 10, selection: { ...sel, ...cnt }, action: { type: 'expire' } })),
  }));

  it('expires each image at most once, only by a rule whose selection matches it, and never one an earlier rule selected', () => {
    fc.assert(
      fc.property(policies, images, (policy, repo) => {
        const { results } = evaluateLifecyclePolicy(policy, repo, { now: NOW });
        if (new Set(results.map((r) => r.imageDigest)).size !== results.length) return false;
        return results.every((r) => {
          const tagsOf = repo.find((i) => i.imageDigest === r.imageDigest)!.imageTags ?? [];
          const applied = policy.rules.find((x) => x.rulePriority === r.appliedRulePriority)!;
          const matches = (x: LifecycleRule) =>
            x.selection.tagStatus === 'untagged' ? tagsOf.length === 0 : tagsOf.length > 0 && (x.selection.tagPrefixList ?? []).every((p) => tagsOf.some((t) => t.startsWith(p)));
          return matches(applied) && !policy.rules.some((x) => x.rulePriority < applied.rulePriority && matches(x));
        });
      }),
    );
  });

  it('keeps the newest N of a count rule that is the only rule', () => {
    fc.assert(
      fc.property(images, fc.integer({ min: 1, max: 5 }), (repo, n) => {
        const policy: LifecyclePolicy = { rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: n }, action: { type: 'expire' } }] };
        const expired = new Set(evaluateLifecyclePolicy(policy, repo, { now: NOW }).results.map((r) => r.imageDigest));
        const kept = repo.filter((i) => !expired.has(i.imageDigest));
        const newestExpired = Math.max(...repo.filter((i) => expired.has(i.imageDigest)).map((i) => i.imagePushedAt.getTime()));
        return kept.length === Math.min(n, repo.length) && kept.every((i) => i.imagePushedAt.getTime() >= newestExpired);
      }),
    );
  });
});

describe('lifecyclePreviewReport', () => {
  const base = { repositoryName: 'quilt-mcp-server', region: 'us-east-1', notEvaluated: [], policy: REFERENCE_LIFECYCLE_POLICY, draft: false, now: NOW };
  it('says who previewed, and lists each image with its rule', () => {
    const report = lifecyclePreviewReport({
      ...base,
      source: 'local',
      fallbackReason: 'the endpoint answered the preview API with HTTP 500',
      imagesConsidered: 8,
      results: [{ imageDigest: `sha256:${'a'.repeat(64)}`, imageTags: ['pr-123'], imagePushedAt: new Date(NOW.getTime() - 4 * 86_400_000), action: 'expire', appliedRulePriority: 3 }],
    });
    assert.match(report, /^# Lifecycle policy preview: quilt-mcp-server$/m);
    assert.match(report, /evaluated by ECR Deploy over 8 images, because the endpoint answered the preview API with HTTP 500/);
    assert.match(report, /\*\*1 image would expire\*\*/);
    assert.match(report, /^\| 3 Expire pr- images older than 3 days \| expire \| pr-123 \| `sha256:aaaaaaaaaaaaaaaa` \| 2026-11-23 12:00:00 UTC \(4 d ago\) \|$/m);
  });

  it('says plainly when nothing would go, and names rules it could not decide', () => {
    const report = lifecyclePreviewReport({ ...base, source: 'api', results: [], notEvaluated: [{ rulePriority: 4, reason: 'x' }], draft: true });
    assert.match(report, /Source: Amazon ECR's lifecycle policy preview\./);
    assert.match(report, /unsaved draft/);
    assert.match(report, /\*\*No image would be affected\.\*\*/);
    assert.match(report, /- rule 4: x/);
  });

  it('marks conflicts between rules, which the JSON schema cannot express', () => {
    const untagged = { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 };
    const { problems } = parseLifecyclePolicy(JSON.stringify({ rules: [rule(1, untagged), rule(1, { ...untagged, countNumber: 0 })] }));
    assert.deepEqual(problems.map((p) => [p.path, Boolean(p.betweenRules)]), [
      ['rules[1].selection.countNumber', false],
      ['rules[1].rulePriority', true],
      ['rules[1].selection.tagStatus', true],
    ]);
  });
});
