/** The ServiceDeployments verdict: every status ECS gives, the pause that waits for a person, the bake. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { readServiceDeployment, stageLabel, strategyLabel } from '../../src/core/deploy/serviceDeployment';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const deployment = (over: Partial<ServiceDeployment>): ServiceDeployment => ({
  serviceDeploymentArn: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/sales-prod/svc/abc',
  deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 },
  status: 'IN_PROGRESS',
  ...over,
});

describe('readServiceDeployment', () => {
  it('SUCCESSFUL is the only success', () => {
    const reading = readServiceDeployment(deployment({ status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP' }), { now: NOW });
    assert.equal(reading.outcome, 'succeeded');
    assert.equal(reading.strategy, 'BLUE_GREEN');
    assert.match(reading.reason, /blue\/green deployment finished: SUCCESSFUL/);
  });

  it('a rollback that succeeded is a failure of this deploy, quoting why ECS rolled back', () => {
    const reading = readServiceDeployment(deployment({ status: 'ROLLBACK_SUCCESSFUL', rollback: { reason: 'Lifecycle hook failed', serviceRevisionArn: 'rev/1' } }), { now: NOW });
    assert.equal(reading.outcome, 'failed');
    assert.match(reading.reason, /ROLLBACK_SUCCESSFUL\): Lifecycle hook failed/);
    assert.deepEqual(reading.rollback, { reason: 'Lifecycle hook failed', serviceRevisionArn: 'rev/1' });
  });

  it('ROLLBACK_FAILED and STOPPED fail; a rollback or a stop under way is not final yet', () => {
    assert.equal(readServiceDeployment(deployment({ status: 'ROLLBACK_FAILED' }), { now: NOW }).outcome, 'failed');
    const stopped = readServiceDeployment(deployment({ status: 'STOPPED', statusReason: 'Stopped by a person' }), { now: NOW });
    assert.equal(stopped.outcome, 'failed');
    assert.match(stopped.reason, /STOPPED\): Stopped by a person/);
    for (const status of ['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'STOP_REQUESTED', 'PENDING', 'IN_PROGRESS'] as const) {
      assert.equal(readServiceDeployment(deployment({ status }), { now: NOW }).outcome, 'in-progress', status);
    }
  });

  it('a PAUSE hook awaiting action is offered with its stage, its expiry and its timeout action', () => {
    const expiresAt = new Date('2026-12-01T12:30:00Z');
    const reading = readServiceDeployment(
      deployment({
        lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
        lifecycleHookDetails: [
          { hookId: 'h-lambda', targetType: 'AWS_LAMBDA', status: 'SUCCEEDED' },
          { hookId: 'h-pause', targetType: 'PAUSE', status: 'AWAITING_ACTION', expiresAt },
        ],
      }),
      { now: NOW },
    );
    assert.equal(reading.outcome, 'in-progress');
    assert.deepEqual(reading.awaiting, { hookId: 'h-pause', stage: 'POST_TEST_TRAFFIC_SHIFT', expiresAt, timeoutAction: 'ROLLBACK' });
    assert.equal(reading.reason, 'blue/green: test traffic shifted · waiting for Continue or Roll Back until 12:30 UTC, then ROLLBACK.');
  });

  it('no hook awaiting: nothing to offer', () => {
    const reading = readServiceDeployment(deployment({ lifecycleHookDetails: [{ hookId: 'h', status: 'IN_PROGRESS', targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:check' }] }), { now: NOW });
    assert.equal(reading.awaiting, undefined);
    assert.deepEqual(reading.hooksRunning, ['arn:aws:lambda:us-east-1:123456789012:function:check']);
    assert.match(reading.reason, /hook running: arn:aws:lambda/);
  });

  it('linear steps show the production traffic share; the bake shows the time left', () => {
    const shifting = readServiceDeployment(
      deployment({ deploymentConfiguration: { strategy: 'LINEAR' }, lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT', targetServiceRevision: { arn: 'rev/2', requestedProductionTrafficWeight: 30 } }),
      { now: NOW },
    );
    assert.equal(shifting.reason, 'linear: shifting production traffic · 30% of production traffic on the new revision.');
    const baking = readServiceDeployment(deployment({ lifecycleStage: 'BAKE_TIME' }), { now: NOW, bakeStartedAt: NOW - 15_000 });
    assert.equal(baking.bakeLeftMs, 45_000);
    assert.match(baking.reason, /baking · 45 s of bake left/);
  });

  it('a deployment without a strategy is a rolling one', () => {
    const reading = readServiceDeployment({ status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' }, { now: NOW });
    assert.equal(reading.strategy, 'ROLLING');
    assert.equal(reading.reason, 'rolling: starting the new tasks.');
  });

  it('labels', () => {
    assert.equal(strategyLabel('CANARY'), 'canary');
    assert.equal(stageLabel(undefined), 'starting');
  });
});
