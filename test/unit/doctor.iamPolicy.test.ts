import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { actionMatches, arnMatches, evaluateAccess, parsePolicyDocument, principalMatches, type NamedPolicy, type PolicyStatement } from '../../src/core/iam/policy';

const REPO = 'arn:aws:ecr:us-east-1:123456789012:repository/team/web';
const ROLE = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole';
const policy = (...Statement: PolicyStatement[]): NamedPolicy => ({ source: 'inline policy test', document: { Version: '2012-10-17', Statement } });
const decide = (policies: NamedPolicy[], action: string, resource = REPO, principal?: string) => evaluateAccess(policies, { action, resource, principal }).decision;

describe('IAM policy evaluation: actions', () => {
  it('actions compare without case, with * and ? wildcards', () => {
    assert.ok(actionMatches('ecr:BatchGetImage', 'ecr:batchgetimage'));
    assert.ok(actionMatches('ECR:Get*', 'ecr:GetDownloadUrlForLayer'));
    assert.ok(actionMatches('ecr:Batch?etImage', 'ecr:BatchGetImage'));
    assert.ok(!actionMatches('ecr:Batch?etImage', 'ecr:BatchGGetImage'), '? is exactly one character');
    assert.ok(actionMatches('*', 'ecr:GetAuthorizationToken'));
    assert.ok(!actionMatches('ecr:Get*', 'ecr:BatchGetImage'));
    assert.ok(!actionMatches('ecr:*', 'ecs:DescribeServices'));
  });

  it('an Allow of the action on the resource allows it; no Allow is the implicit deny', () => {
    const allow = policy({ Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: REPO });
    assert.equal(decide([allow], 'ecr:BatchGetImage'), 'allow');
    assert.equal(decide([allow], 'ecr:PutImage'), 'implicit-deny');
    assert.equal(decide([], 'ecr:BatchGetImage'), 'implicit-deny');
  });

  it('NotAction allows everything but the actions it names', () => {
    const allButPush = policy({ Effect: 'Allow', NotAction: ['ecr:Put*', 'ecr:InitiateLayerUpload'], Resource: '*' });
    assert.equal(decide([allButPush], 'ecr:BatchGetImage'), 'allow');
    assert.equal(decide([allButPush], 'ecr:PutImage'), 'implicit-deny');
    assert.equal(decide([allButPush], 'ECR:initiatelayerupload'), 'implicit-deny', 'NotAction compares without case too');
  });

  it('an explicit Deny wins over any Allow, in whichever policy it is', () => {
    const allowAll = policy({ Effect: 'Allow', Action: 'ecr:*', Resource: '*' });
    const deny = { source: 'managed policy deny', document: { Statement: [{ Sid: 'NoPull', Effect: 'Deny' as const, Action: 'ecr:BatchGetImage', Resource: 'arn:aws:ecr:*:*:repository/team/*' }] } };
    const evaluation = evaluateAccess([allowAll, deny], { action: 'ecr:BatchGetImage', resource: REPO });
    assert.equal(evaluation.decision, 'explicit-deny');
    assert.deepEqual(evaluation.matched[0], { source: 'managed policy deny', sid: 'NoPull', effect: 'Deny', conditional: false });
    assert.equal(decide([allowAll, deny], 'ecr:GetDownloadUrlForLayer'), 'allow', 'the Deny names one action only');
  });

  it('a Deny with NotAction denies every action it does not name', () => {
    const allowAll = policy({ Effect: 'Allow', Action: '*', Resource: '*' });
    const onlyPull = policy({ Effect: 'Deny', NotAction: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:GetAuthorizationToken'], Resource: '*' });
    assert.equal(decide([allowAll, onlyPull], 'ecr:BatchGetImage'), 'allow');
    assert.equal(decide([allowAll, onlyPull], 'logs:CreateLogGroup', 'arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web'), 'explicit-deny');
  });

  it('conditions are not guessed: a statement that applies but for its Condition makes the answer unknown', () => {
    const conditionalAllow = policy({ Effect: 'Allow', Action: 'ecr:BatchGetImage', Resource: '*', Condition: { StringEquals: { 'aws:sourceVpce': 'vpce-1' } } });
    assert.equal(decide([conditionalAllow], 'ecr:BatchGetImage'), 'unknown');
    const allow = policy({ Effect: 'Allow', Action: 'ecr:BatchGetImage', Resource: '*' });
    const conditionalDeny = policy({ Effect: 'Deny', Action: 'ecr:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    assert.equal(decide([allow, conditionalDeny], 'ecr:BatchGetImage'), 'unknown', 'a conditional Deny may still deny');
    const deny = policy({ Effect: 'Deny', Action: 'ecr:*', Resource: '*' });
    assert.equal(decide([conditionalAllow, deny], 'ecr:BatchGetImage'), 'explicit-deny', 'an unconditional Deny decides on its own');
  });
});

describe('IAM policy evaluation: resources', () => {
  it('ARNs compare with case', () => {
    assert.ok(arnMatches(REPO, REPO));
    assert.ok(!arnMatches('arn:aws:ecr:us-east-1:123456789012:repository/Team/Web', REPO));
    const allowUpper = policy({ Effect: 'Allow', Action: 'ecr:BatchGetImage', Resource: 'arn:aws:ecr:us-east-1:123456789012:repository/TEAM/web' });
    assert.equal(decide([allowUpper], 'ecr:BatchGetImage'), 'implicit-deny');
  });

  it('wildcards stay in their segment, but a * that ends a segment may run across colons', () => {
    assert.ok(arnMatches('arn:aws:ecr:*:123456789012:repository/*', REPO));
    assert.ok(arnMatches('arn:aws:ecr:us-east-?:123456789012:repository/team/*', REPO));
    assert.ok(!arnMatches('arn:aws:ecr:us-east-?:123456789012:repository/web', REPO));
    assert.ok(arnMatches('arn:aws:ecr:us-*-1:123456789012:repository/team/web', REPO));
    assert.ok(!arnMatches('arn:aws:ecr:us*1:123456789012:repository/team/web', 'arn:aws:ecr:us:x:1:123456789012:repository/team/web'), 'a * inside a segment never crosses a colon');
    assert.ok(arnMatches('arn:aws:ecr:*', REPO), 'a trailing * covers the rest');
    assert.ok(!arnMatches('arn:aws:ecr:us-east-1:999999999999:repository/*', REPO), 'another account');
    assert.ok(arnMatches('arn:aws:ssm:us-east-1:123456789012:parameter/app/*', 'arn:aws:ssm:us-east-1:123456789012:parameter/app/db/password'), '* spans slashes');
    assert.ok(arnMatches('*', 'anything at all'));
  });

  it('NotResource: the statement applies to every resource but those', () => {
    const denyOthers = policy({ Effect: 'Deny', Action: 'ecr:BatchGetImage', NotResource: 'arn:aws:ecr:us-east-1:123456789012:repository/team/*' });
    const allowAll = policy({ Effect: 'Allow', Action: 'ecr:*', Resource: '*' });
    assert.equal(decide([allowAll, denyOthers], 'ecr:BatchGetImage'), 'allow');
    assert.equal(decide([allowAll, denyOthers], 'ecr:BatchGetImage', 'arn:aws:ecr:us-east-1:123456789012:repository/other'), 'explicit-deny');
    const allowNot = policy({ Effect: 'Allow', Action: 'ecr:BatchGetImage', NotResource: REPO });
    assert.equal(decide([allowNot], 'ecr:BatchGetImage'), 'implicit-deny');
  });

  it('a statement with neither Resource nor a principal applies to nothing', () => {
    assert.equal(decide([policy({ Effect: 'Allow', Action: '*' })], 'ecr:BatchGetImage'), 'implicit-deny');
  });
});

describe('IAM policy evaluation: resource policies and documents', () => {
  it('a repository policy statement applies to the principals it names', () => {
    const denyRole = { source: 'repository policy', document: { Statement: [{ Effect: 'Deny' as const, Principal: { AWS: ROLE }, Action: ['ecr:BatchGetImage'] }] } };
    assert.equal(decide([denyRole], 'ecr:BatchGetImage', REPO, ROLE), 'explicit-deny');
    assert.equal(decide([denyRole], 'ecr:BatchGetImage', REPO, 'arn:aws:iam::123456789012:role/other'), 'implicit-deny');
    assert.ok(principalMatches('*', ROLE));
    assert.ok(principalMatches({ AWS: ['arn:aws:iam::123456789012:root'] }, ROLE));
    assert.ok(principalMatches({ AWS: '123456789012' }, ROLE));
    assert.ok(!principalMatches({ AWS: 'arn:aws:iam::999999999999:root' }, ROLE));
    assert.ok(!principalMatches({ Service: 'ecs-tasks.amazonaws.com' }, ROLE));
  });

  it('reads IAM\'s URL-encoded documents and plain JSON, a single statement as a list', () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'ecr:*', Resource: '*' } });
    assert.deepEqual(parsePolicyDocument(encodeURIComponent(text)), parsePolicyDocument(text));
    assert.equal(parsePolicyDocument(text).Statement.length, 1);
    assert.throws(() => parsePolicyDocument('{"Statement": [{"Action": "x"}]}'), /Effect/);
    assert.throws(() => parsePolicyDocument('not json'), /not JSON/);
  });
});
