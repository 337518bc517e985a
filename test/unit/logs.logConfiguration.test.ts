import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { logTargetsFromContainers, streamMatches } from '../../src/core/logs/logConfiguration';

const awslogs = (group: string, prefix?: string, region?: string) => ({
  logDriver: 'awslogs',
  options: { 'awslogs-group': group, ...(prefix ? { 'awslogs-stream-prefix': prefix } : {}), ...(region ? { 'awslogs-region': region } : {}) },
});

describe('log targets from a task definition', () => {
  it('reads the awslogs group, region and the stream prefix of each container', () => {
    const result = logTargetsFromContainers([{ name: 'mcp-server', logConfiguration: awslogs('/ecs/mcp-server-production', 'ecs', 'us-east-1') }]);
    assert.deepEqual(result, {
      targets: [{ logGroupName: '/ecs/mcp-server-production', region: 'us-east-1', streamPrefixes: ['ecs/mcp-server/'], containers: ['mcp-server'] }],
      unreadable: [],
    });
  });

  it('joins containers that share a group, and reads the whole group when one has no prefix', () => {
    const shared = logTargetsFromContainers([
      { name: 'app', logConfiguration: awslogs('/ecs/app', 'ecs') },
      { name: 'sidecar', logConfiguration: awslogs('/ecs/app', 'ecs') },
      { name: 'other', logConfiguration: awslogs('/ecs/other', 'svc') },
    ]);
    assert.deepEqual(shared.targets.map((t) => [t.logGroupName, t.streamPrefixes, t.containers]), [
      ['/ecs/app', ['ecs/app/', 'ecs/sidecar/'], ['app', 'sidecar']],
      ['/ecs/other', ['svc/other/'], ['other']],
    ]);
    const whole = logTargetsFromContainers([{ name: 'a', logConfiguration: awslogs('/g', 'ecs') }, { name: 'b', logConfiguration: awslogs('/g') }]);
    assert.equal(whole.targets[0].streamPrefixes, undefined);
  });

  it('keeps groups of different regions apart', () => {
    const result = logTargetsFromContainers([{ name: 'a', logConfiguration: awslogs('/g', 'p', 'us-east-1') }, { name: 'b', logConfiguration: awslogs('/g', 'p', 'eu-west-1') }]);
    assert.deepEqual(result.targets.map((t) => t.region), ['us-east-1', 'eu-west-1']);
  });

  it('reads FireLens with the CloudWatch output', () => {
    const result = logTargetsFromContainers([{ name: 'app', logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'cloudwatch_logs', region: 'us-west-2', log_group_name: '/fl/app', log_stream_prefix: 'from-fluent-bit-' } } }]);
    assert.deepEqual(result.targets, [{ logGroupName: '/fl/app', region: 'us-west-2', streamPrefixes: ['from-fluent-bit-'], containers: ['app'] }]);
  });

  it('explains other drivers and missing configurations, container by container', () => {
    const result = logTargetsFromContainers([
      { name: 'app', logConfiguration: awslogs('/ecs/app', 'ecs') },
      { name: 'splunk', logConfiguration: { logDriver: 'splunk', options: { 'splunk-url': 'https://splunk' } } },
      { name: 'datadog', logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'datadog' } } },
      { name: 'silent' },
      { name: 'broken', logConfiguration: { logDriver: 'awslogs', options: {} } },
    ]);
    assert.equal(result.targets.length, 1);
    assert.deepEqual(result.unreadable.map((u) => u.container), ['splunk', 'datadog', 'silent', 'broken']);
    assert.match(result.unreadable[0].message, /Container "splunk" sends its logs through the "splunk" log driver, not to CloudWatch Logs/);
    assert.match(result.unreadable[1].message, /FireLens \(output "datadog"\)/);
    assert.match(result.unreadable[2].message, /no logConfiguration/);
    assert.match(result.unreadable[3].message, /without an awslogs-group/);
  });

  it('matches streams by prefix, or all streams without one', () => {
    assert.ok(streamMatches({ streamPrefixes: ['ecs/app/'] }, 'ecs/app/123'));
    assert.ok(!streamMatches({ streamPrefixes: ['ecs/app/'] }, 'ecs/application/123'));
    assert.ok(streamMatches({ streamPrefixes: undefined }, 'anything'));
  });
});
