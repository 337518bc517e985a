/**
 * Issue 12, items 1 and 2: the built CLI deploys through the project's fault proxy (test/support/faultProxy.ts)
 * in front of the local AWS, which loses answers, resets connections, throttles and answers HTML 5xx on the
 * operations a test picks. Each test asserts what is left in the local AWS (which revisions are ACTIVE, which
 * one the service names) and the exact words the user is told.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import * as ecsEdge from '../../src/aws/ecs';
import { REFERENCE } from '../support/referenceWorld';
import { useReferenceMoto } from '../support/referenceMoto';
import { runCliProcess } from '../support/cliProcess';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';

const FAMILY = REFERENCE.taskFamily;

describe('deploy through faults: what changed is told, nothing is left half done', () => {
  const env = useReferenceMoto();
  let proxy: FaultProxy;
  before(async () => {
    proxy = await startFaultProxy(env.moto.endpoint);
  });
  after(() => proxy.stop());

  /** The CLI through the proxy; `attempts` is the SDK's AWS_MAX_ATTEMPTS (its default is 3). */
  const deploy = (args: string[], attempts = '3') =>
    runCliProcess(['deploy', '--endpoint-url', proxy.endpoint, '--region', 'us-east-1', '--cluster', REFERENCE.cluster, '--service', REFERENCE.service, '--tag', 'jwt-auth-v1.0.0', '--poll-interval', '0.1', ...args], {
      AWS_MAX_ATTEMPTS: attempts,
    });
  /** The ACTIVE revisions of the family, as `family:N`, oldest first. */
  const activeRevisions = async () =>
    ((await env.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: FAMILY, status: 'ACTIVE' }))).taskDefinitionArns ?? [])
      .map((arn) => arn.split('/').pop()!)
      .sort((a, b) => Number(a.split(':')[1]) - Number(b.split(':')[1]));
  const serviceRevision = async () => (await ecsEdge.describeService(env.clients.ecs, REFERENCE.cluster, REFERENCE.service))?.taskDefinition?.split('/').pop();

  it('RegisterTaskDefinition answer lost, SDK retries on: the revision it registered is adopted, no orphan, exactly one register sent', async () => {
    proxy.plan([{ operation: 'RegisterTaskDefinition', occurrences: [1], fault: { kind: 'lost-answer' } }]);
    const result = await deploy(['--output', 'json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await activeRevisions(), [`${FAMILY}:1`, `${FAMILY}:2`], 'the lost answer registered :2, and nothing else was registered');
    assert.equal(await serviceRevision(), `${FAMILY}:2`);
    assert.equal(proxy.count('RegisterTaskDefinition'), 1, 'the SDK did not send the register again');
    assert.equal(result.stderr, `ecr-deploy deploy: RegisterTaskDefinition failed (ECONNRESET), but ECS had registered ${FAMILY}:2 (same family and content, registered by this deploy): using it.\n`);
    assert.equal((JSON.parse(result.stdout) as { result: { outcome: string } }).result.outcome, 'succeeded');
  });

  it('RegisterTaskDefinition reset before it reached ECS, SDK retries off: nothing was registered, so the deploy sends it once more itself and deploys', async () => {
    proxy.plan([{ operation: 'RegisterTaskDefinition', occurrences: [1], fault: { kind: 'reset' } }]);
    const result = await deploy(['--output', 'json'], '1');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await activeRevisions(), [`${FAMILY}:1`, `${FAMILY}:2`]);
    assert.equal(await serviceRevision(), `${FAMILY}:2`);
    assert.equal(proxy.count('RegisterTaskDefinition'), 2);
  });

  it('UpdateService keeps failing (HTML 500): the revision this deploy registered is deregistered, the service is unchanged, one line says so', async () => {
    proxy.plan([{ operation: 'UpdateService', occurrences: 'all', fault: { kind: 'html', status: 500 } }]);
    const result = await deploy([]);
    assert.equal(result.code, 1, result.stdout);
    assert.deepEqual(await activeRevisions(), [`${FAMILY}:1`], ':2 was deregistered');
    assert.equal(await serviceRevision(), `${FAMILY}:1`);
    const host = new URL(proxy.endpoint).host;
    assert.equal(
      result.stderr,
      `ecr-deploy deploy: UpdateService failed (HTTP 500 from ${host}): the service still names ${FAMILY}:1; ${FAMILY}:2, registered for this deploy, was deregistered. Retry the deploy.\n`,
    );
  });

  it('UpdateService answer lost after ECS acted: the service names the new revision, the deploy follows it to success', async () => {
    proxy.plan([{ operation: 'UpdateService', occurrences: [1], fault: { kind: 'lost-answer' } }]);
    const result = await deploy(['--output', 'json'], '1');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await serviceRevision(), `${FAMILY}:2`);
    assert.deepEqual(await activeRevisions(), [`${FAMILY}:1`, `${FAMILY}:2`]);
    assert.equal(result.stderr, `ecr-deploy deploy: UpdateService's answer was lost (ECONNRESET); the service now names ${FAMILY}:2, following that deployment.\n`);
    assert.equal((JSON.parse(result.stdout) as { result: { outcome: string } }).result.outcome, 'succeeded');
  });

  it('DescribeServices fails during the follow (HTML 503, three throttles, a reset): retried with backoff, said on one line, the verdict is still reached', async () => {
    proxy.plan([
      { operation: 'DescribeServices', occurrences: [2], fault: { kind: 'html', status: 503 } },
      { operation: 'DescribeServices', occurrences: [3, 4, 5], fault: { kind: 'throttle' } },
      { operation: 'DescribeServices', occurrences: [6], fault: { kind: 'reset' } },
    ]);
    const result = await deploy([], '1');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await serviceRevision(), `${FAMILY}:2`);
    const retrying = result.stdout.split('\n').filter((l) => l.includes('retrying'));
    assert.ok(retrying.length >= 1, result.stdout);
    for (const line of retrying) assert.match(line, /^\[ *[\dms. ]+\] DescribeServices failed \((HTTP 503 from [\d.:]+|ThrottlingException|ECONNRESET)\); retrying in \d+(\.\d+)? s \(the service names mcp-server-production:2\)$/);
    assert.match(result.stdout, /Result: succeeded\./);
  });

  it('DescribeServices never answers again: the follow ends at its timeout and the one error line says which revision is live and how to check or roll back', async () => {
    proxy.plan([{ operation: 'DescribeServices', occurrences: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30], fault: { kind: 'html', status: 500 } }]);
    const result = await deploy(['--timeout', '2'], '1');
    assert.equal(result.code, 1, result.stdout);
    assert.equal(await serviceRevision(), `${FAMILY}:2`, 'the update itself went through');
    const host = new URL(proxy.endpoint).host;
    assert.equal(
      result.stderr,
      `ecr-deploy deploy: following the rollout failed: DescribeServices failed (HTTP 500 from ${host}); the service now names ${FAMILY}:2. ` +
        `Check: ecr-deploy validate --cluster ${REFERENCE.cluster} --service ${REFERENCE.service}; roll back: ecr-deploy rollback --cluster ${REFERENCE.cluster} --service ${REFERENCE.service}\n`,
    );
  });
});
