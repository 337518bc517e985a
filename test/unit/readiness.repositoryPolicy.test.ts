import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { publicPolicyStatements } from '../../src/core/readiness/repositoryPolicy';
import { atOrAbove, type ReadinessFinding } from '../../src/core/readiness/finding';

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);

describe('repository policy: statements that let anyone in', () => {
  it('finds Principal "*" and {"AWS": "*"} without a condition, on the Principal line', () => {
    const text = policy(
      { Sid: 'PullOnly', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/ecs-exec' }, Action: ['ecr:BatchGetImage'] },
      { Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'ecr:*' },
      { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::1:root', '*'] }, Action: 'ecr:BatchGetImage' },
    );
    const found = publicPolicyStatements(text);
    assert.deepEqual(found.map((s) => [s.index, s.sid]), [[1, 'Everyone'], [2, undefined]]);
    const lines = text.split('\n');
    for (const s of found) assert.match(lines[s.line - 1]!.slice(s.column - 1), /^"Principal"/);
  });

  it('stays quiet for a condition, a Deny, a named principal, a single statement object that is narrow, and broken JSON', () => {
    assert.deepEqual(publicPolicyStatements(policy({ Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } })), []);
    assert.deepEqual(publicPolicyStatements(policy({ Effect: 'Deny', Principal: '*', Action: 'ecr:DeleteRepository' })), []);
    assert.deepEqual(publicPolicyStatements(JSON.stringify({ Statement: { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: '*' } })), []);
    assert.deepEqual(publicPolicyStatements('{"Statement": ['), []);
  });

  it('a single statement object (not a list) is statement 0', () => {
    assert.deepEqual(publicPolicyStatements(JSON.stringify({ Statement: { Effect: 'Allow', Principal: '*', Action: '*' } })).map((s) => s.index), [0]);
  });

  it('severity thresholds order info < warning < error', () => {
    const finding: ReadinessFinding = { file: 'Dockerfile', line: 1, column: 1, rule: 'dockerfile/root-user', severity: 'warning', message: 'm' };
    assert.ok(atOrAbove(finding.severity, 'warning') && !atOrAbove(finding.severity, 'error'));
    assert.ok(atOrAbove('error', 'warning') && atOrAbove('warning', 'warning') && !atOrAbove('info', 'warning') && !atOrAbove('warning', 'error'));
  });
});
