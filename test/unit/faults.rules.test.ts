/**
 * Issue 12's pure parts: how a failure is summarised (the step, the code, an HTML page as its status and
 * host), what a failure that may hide a change is, the input rules, and the content match that recognises
 * the revision a lost register made. The wire behaviour is in test/integration/faults.*.test.ts.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { AfterUpdateError, DeployError } from '../../src/core/deploy/deployError';
import { registerInputOf, registersSameContent } from '../../src/core/deploy/taskDefinition';
import { describeAwsError, escapeControl, failedCallText, isThrottling, isTransientFailure } from '../../src/core/errors/awsErrors';
import { ecsResourceProblem, endpointUrlProblem, regionProblem, secondsProblem } from '../../src/core/connection/inputRules';
import { fargateWithSidecars } from '../support/ecsFixtures';

/** An error as the SDK throws it after the edge's clients recorded the call site (src/aws/clients.ts). */
function failed(name: string, message: string, extra: Record<string, unknown> = {}, site = { awsOperation: 'DescribeServices', awsHost: 'ecs.example:443' }) {
  const error = Object.assign(new Error(message), { name, ...extra });
  for (const [key, value] of Object.entries(site)) Object.defineProperty(error, key, { value, enumerable: false });
  return error;
}

const htmlPage = () =>
  failed('SyntaxError', `Unexpected token '<', "<html><bod"... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.`, {
    $metadata: { httpStatusCode: 502 },
    $response: { statusCode: 502, headers: { 'content-type': 'text/html' } },
  });

describe('failure summaries', () => {
  it('an HTML page is its status and host with the step named, on one line', () => {
    assert.equal(failedCallText(htmlPage()), 'DescribeServices failed (HTTP 502 from ecs.example:443)');
    const d = describeAwsError(htmlPage(), { endpoint: 'https://ecs.example' });
    assert.equal(d.message, 'DescribeServices failed (HTTP 502 from ecs.example:443): the answer was not from AWS. Retry; if it persists, check the endpoint URL and any proxy.');
    assert.deepEqual(d.nextStep, { kind: 'checkEndpoint', endpoint: 'https://ecs.example' });
  });

  it('an AWS error keeps its code; a network fault its Node code', () => {
    assert.equal(failedCallText(failed('ThrottlingException', 'Rate exceeded', { $metadata: { httpStatusCode: 400 } })), 'DescribeServices failed (ThrottlingException)');
    assert.equal(failedCallText(failed('Error', 'socket hang up', { code: 'ECONNRESET' })), 'DescribeServices failed (ECONNRESET)');
  });

  it('NotFound names the region it looked in and offers another', () => {
    const d = describeAwsError(failed('ClusterNotFoundException', 'Cluster not found.', { $metadata: { httpStatusCode: 400 } }), { region: 'eu-west-1' });
    assert.match(d.message, /^DescribeServices failed \(ClusterNotFoundException\): Cluster not found\. \(looked in region eu-west-1: /);
    assert.equal(d.nextStep.kind, 'chooseRegion');
  });

  it('a deploy that failed after the update offers to check the service or roll back; other phrased errors are shown as they are', () => {
    const after = new AfterUpdateError('following the rollout failed: x; the service now names f:2.', { cluster: 'c', service: 's' }, 'arn:f:2', 'arn:f:1');
    assert.deepEqual(describeAwsError(after).nextStep, { kind: 'checkService', cluster: 'c', service: 's', rollBackTo: 'arn:f:1' });
    assert.equal(describeAwsError(after).message, 'following the rollout failed: x; the service now names f:2.');
    assert.equal(describeAwsError(new DeployError('Service "s" does not exist.')).message, 'Service "s" does not exist.');
  });

  it('transient: throttling, network, 5xx, HTML; not: a 4xx AWS refusal, a cancel', () => {
    assert.ok(isTransientFailure(htmlPage()));
    assert.ok(isTransientFailure(failed('Error', 'socket hang up', { code: 'ECONNRESET' })));
    assert.ok(isTransientFailure(failed('ThrottlingException', 'Rate exceeded', { $metadata: { httpStatusCode: 400 } })));
    assert.ok(isThrottling(failed('ThrottlingException', 'Rate exceeded', { $metadata: { httpStatusCode: 400 } })));
    assert.ok(!isTransientFailure(failed('ClientException', 'bad', { $metadata: { httpStatusCode: 400 } })));
    assert.ok(!isTransientFailure(failed('AbortError', 'aborted')));
  });

  it('control characters are shown, never obeyed', () => {
    assert.equal(escapeControl('a\nb\r\t\u001b[2J'), 'a\\nb\\r\\t\\x1b[2J');
  });
});

describe('input rules', () => {
  it('regions, endpoints, ECS names and ARNs', () => {
    for (const ok of ['us-east-1', 'us-gov-west-1', 'cn-northwest-1', 'eu-central-2']) assert.equal(regionProblem(ok), undefined, ok);
    assert.match(regionProblem('mars') ?? '', /not an AWS region code/);
    assert.equal(endpointUrlProblem('http://127.0.0.1:4566'), undefined);
    assert.match(endpointUrlProblem('https://user:secret@ecs.example') ?? '', /must not carry a user name or password/);
    assert.equal(ecsResourceProblem('service', 'arn:aws:ecs:us-east-1:123456789012:service/sales-prod/web'), undefined);
    assert.match(ecsResourceProblem('cluster', 'arn:aws:ecs:us-east-1:123456789012:service/x') ?? '', /not an ECS cluster ARN/);
    assert.match(ecsResourceProblem('cluster', 'a;b') ?? '', /not a cluster name/);
  });

  it('durations: positive, finite, and within what a timer can wait', () => {
    assert.equal(secondsProblem('timeout', '90', { min: 0.001, max: 604800 }), undefined);
    assert.match(secondsProblem('timeout', '1e9', { min: 0.001, max: 604800 }) ?? '', /between 0\.001 and 604800/);
    assert.match(secondsProblem('timeout', 'Infinity', { min: 0.001, max: 604800 }) ?? '', /positive number/);
    assert.match(secondsProblem('timeout', '', { min: 0.001, max: 604800 }) ?? '', /positive number/);
  });
});

describe('registersSameContent: the revision a lost register made', () => {
  it('matches however ECS orders fields or echoes empty lists, and not with another image', () => {
    const described = fargateWithSidecars();
    const input = registerInputOf(described).input;
    const echoed = { ...described, taskDefinition: { placementConstraints: [], ...described.taskDefinition, containerDefinitions: described.taskDefinition.containerDefinitions!.map((c) => ({ volumesFrom: [], ...c })) } };
    assert.ok(registersSameContent(echoed, JSON.parse(JSON.stringify(input))));
    const other = { ...input, containerDefinitions: input.containerDefinitions!.map((c, i) => (i === 0 ? { ...c, image: `${c.image}-other` } : c)) };
    assert.ok(!registersSameContent(described, other));
  });
});
