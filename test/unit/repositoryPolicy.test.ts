/** The repository policy grammar (the shipped schema, compiled by ajv), its worded problems, and the pull-only template. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describeRepositoryPolicyProblems, parseRepositoryPolicy } from '../../src/core/repositoryPolicy/policy';
import { formatRepositoryPolicy, pullOnlyPolicy, roleArnProblem } from '../../src/core/repositoryPolicy/template';
import { publicPolicyStatements } from '../../src/core/readiness/repositoryPolicy';

const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../..' : '../..');
const ROLE = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole';
const problems = (policy: unknown) => parseRepositoryPolicy(typeof policy === 'string' ? policy : JSON.stringify(policy)).problems.map((p) => `${p.path} ${p.message}`);
const statement = (extra: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'ecr:BatchGetImage', ...extra }] });

describe('repository policy grammar', () => {
  it('accepts the pull-only template, a single statement object, wildcards, NotAction, and a Condition', () => {
    assert.deepEqual(problems(pullOnlyPolicy(ROLE)), []);
    assert.deepEqual(problems({ Statement: { Effect: 'Deny', NotPrincipal: { AWS: ['123456789012'] }, NotAction: ['ecr:Get*', 'ecr:Describe?mages'] } }), []);
    assert.deepEqual(problems(statement({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' }, Bool: { 'aws:SecureTransport': true } } })), []);
  });

  it('words each problem at its place', () => {
    assert.deepEqual(problems(statement({ Effect: 'Permit' })), ['Statement[0].Effect must be "Allow" or "Deny".']);
    assert.deepEqual(problems({ Version: '2020-01-01', Statement: [] }), ['Version must be "2012-10-17" (or the old "2008-10-17").', 'Statement must not be an empty list.']);
    assert.deepEqual(problems(statement({ Action: ['ecr:BatchGetImage', 's3:GetObject'] })), ['Statement[0].Action[1] must be an ecr: action such as "ecr:BatchGetImage" or "ecr:*" (a repository policy is about this repository only), or "*".']);
    assert.deepEqual(problems(statement({ Principal: { Role: ROLE } })), ['Statement[0].Principal.Role "Role" is not a property IAM knows here (allowed: AWS, Service, Federated, CanonicalUser).']);
    assert.deepEqual(problems(statement({ Principal: 'arn:aws:iam::123456789012:root' })), ['Statement[0].Principal must be "*" or an object such as {"AWS": "arn:aws:iam::123456789012:role/name"}.']);
    assert.deepEqual(problems(statement({ Action: 5 })), ['Statement[0].Action must be an ecr: action such as "ecr:BatchGetImage" (or "*"), or a list of them.']);
    assert.deepEqual(problems({ Statement: { Effect: 'Allow', Principal: '*' } }), ['Statement needs exactly one of "Action" or "NotAction".']);
    assert.deepEqual(problems(statement({ Sid: 'no spaces' })), ['Statement[0].Sid may hold only letters and digits.']);
    assert.deepEqual(problems(statement({ Actions: 'ecr:*' })), ['Statement[0].Actions "Actions" is not a property IAM knows here (allowed: Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource, Condition).']);
  });

  it('Action or NotAction, Principal or NotPrincipal: exactly one of each', () => {
    assert.deepEqual(problems({ Statement: [{ Effect: 'Allow', Principal: '*' }] }), ['Statement[0] needs exactly one of "Action" or "NotAction".']);
    assert.deepEqual(problems({ Statement: [{ Effect: 'Allow', Action: 'ecr:*' }] }), ['Statement[0] needs exactly one of "Principal" or "NotPrincipal": a repository policy says whom it is about.']);
    assert.deepEqual(problems(statement({ NotAction: 'ecr:*' })), ['Statement[0] needs exactly one of "Action" or "NotAction".']);
    assert.deepEqual(problems({ Statement: [{ Principal: '*', Action: 'ecr:*' }] }), ['Statement[0] needs "Effect".']);
  });

  it('not JSON, not an object, a bad Condition', () => {
    assert.match(problems('{"Statement": [')[0], /^\(the policy\) is not valid JSON: /);
    assert.deepEqual(problems([]), ['(the policy) must be an object with a Statement.']);
    assert.deepEqual(problems(statement({ Condition: {} })), ['Statement[0].Condition needs at least one condition operator.']);
    assert.deepEqual(problems(statement({ Condition: { StringEquals: { 'aws:SourceAccount': { nested: 1 } } } })), ['Statement[0].Condition.StringEquals.aws:SourceAccount must be a string, a number, true or false, or a list of them.']);
  });

  it('a short sentence for a refused save, at most three problems', () => {
    const parsed = parseRepositoryPolicy(JSON.stringify({ Statement: [{ Effect: 'x' }, { Effect: 'y' }, { Effect: 'z' }, { Effect: 'w' }] }));
    assert.match(describeRepositoryPolicyProblems(parsed.problems), /^Statement\[0\] needs exactly one of "Action" or "NotAction"\. .* \(and \d+ more: see the Problems panel\)$/);
  });
});

describe('pull-only template', () => {
  it('lets one role pull and do nothing else, and is not public', () => {
    const text = formatRepositoryPolicy(pullOnlyPolicy(ROLE));
    assert.deepEqual(JSON.parse(text), {
      Version: '2012-10-17',
      Statement: [{ Sid: 'AllowPull', Effect: 'Allow', Principal: { AWS: ROLE }, Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }],
    });
    assert.deepEqual(publicPolicyStatements(text), []);
  });

  it('takes only IAM role ARNs', () => {
    assert.equal(roleArnProblem(ROLE), undefined);
    assert.equal(roleArnProblem('arn:aws-us-gov:iam::123456789012:role/path/to/deployer'), undefined);
    assert.match(roleArnProblem('arn:aws:iam::123456789012:user/alice') ?? '', /is not an IAM role ARN/);
    assert.match(roleArnProblem('arn:aws:iam::12345:role/x') ?? '', /is not an IAM role ARN/);
    assert.equal(roleArnProblem('  '), 'Type the ARN of an IAM role.');
  });
});

describe('the generated validator', () => {
  it('is the one the shipped schema compiles to (npm run build regenerates it)', async () => {
    const { repositoryPolicyValidatorSource, REPOSITORY_POLICY_VALIDATOR_PATH } = (await import(path.join(ROOT, 'scripts/lib/lifecycleValidator.mjs'))) as { repositoryPolicyValidatorSource(): string; REPOSITORY_POLICY_VALIDATOR_PATH: string };
    assert.equal(readFileSync(REPOSITORY_POLICY_VALIDATOR_PATH, 'utf8'), repositoryPolicyValidatorSource());
  });
});
