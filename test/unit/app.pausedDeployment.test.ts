/** Continue / Roll Back of a paused deployment, against a fake ServiceDeployments edge (no network). */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { ServiceDeployment, ServiceDeploymentBrief } from '@aws-sdk/client-ecs';
import { answerPausedDeployment, findPausedDeployment } from '../../src/app/deploy/pausedDeployment';
import type { AwsAccess } from '../../src/app/ports';

const REF = { cluster: 'sales-prod', service: 'checkout' };
const ARN = (n: number) => `arn:aws:ecs:us-east-1:123456789012:service-deployment/sales-prod/checkout/${n}`;

function fakeAccess(briefs: ServiceDeploymentBrief[] | 'unsupported', deployments: Record<string, ServiceDeployment>) {
  const continued: Array<{ arn: string; hookId: string; action: string }> = [];
  const serviceDeployments = {
    listServiceDeployments: async () => (briefs === 'unsupported' ? { supported: false as const } : { supported: true as const, value: briefs }),
    describeServiceDeployment: async (_ecs: unknown, arn: string) => ({ supported: true as const, value: deployments[arn] }),
    continueServiceDeployment: async (_ecs: unknown, arn: string, hookId: string, action: string) => {
      continued.push({ arn, hookId, action });
      // ECS moves on: the hook no longer waits.
      deployments[arn] = { ...deployments[arn], lifecycleHookDetails: [{ hookId, status: 'SUCCEEDED' }] };
    },
  };
  const access = { edge: { serviceDeployments }, clients: { ecs: {} } } as unknown as AwsAccess;
  return { access, continued };
}

const paused: ServiceDeployment = {
  serviceDeploymentArn: ARN(2),
  status: 'IN_PROGRESS',
  lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
  deploymentConfiguration: { strategy: 'BLUE_GREEN' },
  lifecycleHookDetails: [{ hookId: 'hook-1', targetType: 'PAUSE', status: 'AWAITING_ACTION', timeoutAction: 'CONTINUE' }],
};

describe('paused deployments', () => {
  it('finds the deployment a PAUSE hook holds, among those under way', async () => {
    const { access } = fakeAccess(
      [
        { serviceDeploymentArn: ARN(1), status: 'SUCCESSFUL' },
        { serviceDeploymentArn: ARN(2), status: 'IN_PROGRESS' },
      ],
      { [ARN(2)]: paused },
    );
    const found = await findPausedDeployment(access, REF);
    assert.equal(found.kind, 'paused');
    assert.ok(found.kind === 'paused');
    assert.equal(found.paused.serviceDeploymentArn, ARN(2));
    assert.deepEqual(found.paused.hook, { hookId: 'hook-1', stage: 'POST_TEST_TRAFFIC_SHIFT', expiresAt: undefined, timeoutAction: 'CONTINUE' });
  });

  it('answers the hook once: a retry finds nothing paused and sends nothing', async () => {
    const { access, continued } = fakeAccess([{ serviceDeploymentArn: ARN(2), status: 'IN_PROGRESS' }], { [ARN(2)]: paused });
    const progress: string[] = [];
    const first = await answerPausedDeployment(access, REF, 'ROLLBACK', { progress: (m) => progress.push(m) });
    assert.equal(first.kind, 'answered');
    assert.deepEqual(continued, [{ arn: ARN(2), hookId: 'hook-1', action: 'ROLLBACK' }]);
    assert.deepEqual(progress, ['Rolling back the deployment held at POST_TEST_TRAFFIC_SHIFT']);
    const again = await answerPausedDeployment(access, REF, 'ROLLBACK');
    assert.equal(again.kind, 'none');
    assert.equal(continued.length, 1);
  });

  it('says why when nothing waits, and when the endpoint has no such API', async () => {
    const none = await findPausedDeployment(fakeAccess([{ serviceDeploymentArn: ARN(1), status: 'SUCCESSFUL' }], {}).access, REF);
    assert.deepEqual(none, { kind: 'none', why: 'Nothing is paused on checkout: no deployment is under way.' });
    const running = await findPausedDeployment(fakeAccess([{ serviceDeploymentArn: ARN(3), status: 'IN_PROGRESS' }], { [ARN(3)]: { ...paused, lifecycleHookDetails: [] } }).access, REF);
    assert.equal(running.kind, 'none');
    assert.match(running.kind === 'none' ? running.why : '', /deployment under way is not waiting at a PAUSE hook/);
    const unsupported = await findPausedDeployment(fakeAccess('unsupported', {}).access, REF);
    assert.equal(unsupported.kind, 'unsupported');
  });
});
