/**
 * The rollout judgement over scripted DescribeServices/DescribeTasks sequences, shaped like real ECS
 * answers. moto cannot produce any of these (update_service creates no deployment), so they are
 * written out here.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Service, Task } from '@aws-sdk/client-ecs';
import { advanceRollout, beginRollout, defaultFailedTaskThreshold, findUpdateDeployment, type RolloutStart, type RolloutState, type RolloutStatus } from '../../src/core/deploy/rollout';
import { NEW_DEPLOYMENT, NEW_TD, OLD_DEPLOYMENT, OLD_TD, deployment, event, service, task } from '../support/ecsFixtures';

const T0 = Date.parse('2026-11-27T12:00:00.000Z');
const MIN = 60_000;

function start(overrides: Partial<RolloutStart> = {}): RolloutStart {
  return {
    deploymentId: NEW_DEPLOYMENT,
    taskDefinitionArn: NEW_TD,
    previousTaskDefinitionArn: OLD_TD,
    startedAt: T0,
    timeoutMs: 15 * MIN,
    healthCheckedContainers: ['mcp-server'],
    circuitBreaker: { enable: true, rollback: true },
    ...overrides,
  };
}

const oldPrimary = (over = {}) => deployment({ id: OLD_DEPLOYMENT, status: 'PRIMARY', taskDefinition: OLD_TD, runningCount: 2, rolloutState: 'COMPLETED', createdAt: new Date(T0 - 86_400_000), ...over });
const oldActive = (running: number) => deployment({ id: OLD_DEPLOYMENT, status: 'ACTIVE', taskDefinition: OLD_TD, runningCount: running, rolloutState: 'COMPLETED', createdAt: new Date(T0 - 86_400_000) });
const ours = (over: Parameters<typeof deployment>[0] extends infer D ? Partial<D> : never = {}) => deployment({ id: NEW_DEPLOYMENT, status: 'PRIMARY', taskDefinition: NEW_TD, createdAt: new Date(T0), ...over });
const healthy = () => task(NEW_DEPLOYMENT, 'RUNNING', { 'mcp-server': 'HEALTHY' });

/** Feeds snapshots one by one and returns every status, so a test shows the whole story. */
function run(rolloutStart: RolloutStart, steps: Array<{ minutes: number; service: Service | undefined; tasks?: Task[] }>): RolloutStatus[] {
  let state: RolloutState = beginRollout(rolloutStart);
  return steps.map((s) => {
    state = advanceRollout(state, { at: rolloutStart.startedAt + s.minutes * MIN, service: s.service, tasks: s.tasks ?? [] });
    return state.status;
  });
}

/** What `aws ecs wait services-stable` checks: one deployment and running == desired. */
const looksStable = (s: Service) => s.deployments?.length === 1 && s.runningCount === s.desiredCount;

describe('rollout judgement', () => {
  it('success: this deployment goes IN_PROGRESS -> COMPLETED and its tasks report HEALTHY', () => {
    const statuses = run(start(), [
      { minutes: 0.1, service: service([ours({ pendingCount: 2 }), oldActive(2)]) },
      { minutes: 1, service: service([ours({ runningCount: 1, pendingCount: 1 }), oldActive(2)]), tasks: [task(NEW_DEPLOYMENT, 'RUNNING', { 'mcp-server': 'UNKNOWN' })] },
      { minutes: 3, service: service([ours({ runningCount: 2, rolloutState: 'COMPLETED' })]), tasks: [healthy(), healthy()] },
    ]);
    assert.deepEqual(statuses.map((s) => s.outcome), ['in-progress', 'in-progress', 'succeeded']);
    assert.match(statuses[0].reason, /IN_PROGRESS: 0\/2 running, 2 pending, 0 failed/);
    assert.match(statuses[2].reason, /COMPLETED: 2\/2 tasks run mcp-server-production:8, health checks of mcp-server HEALTHY/);
  });

  it('COMPLETED is not enough while a health check has not passed yet', () => {
    const completed = service([ours({ runningCount: 2, rolloutState: 'COMPLETED' })]);
    const statuses = run(start(), [
      { minutes: 2, service: completed, tasks: [healthy(), task(NEW_DEPLOYMENT, 'RUNNING', { 'mcp-server': 'UNKNOWN' })] },
      { minutes: 3, service: completed, tasks: [healthy(), healthy()] },
    ]);
    assert.equal(statuses[0].outcome, 'in-progress');
    assert.match(statuses[0].reason, /waiting for health checks: task [0-9a-f]{8}: mcp-server UNKNOWN/);
    assert.equal(statuses[1].outcome, 'succeeded');
  });

  it('a circuit-breaker rollback that ends "stable" is a failure, with the stopped tasks\' reasons', () => {
    const crashed = task(NEW_DEPLOYMENT, 'STOPPED', {}, {
      stoppedReason: 'Essential container in task exited',
      stopCode: 'EssentialContainerExited',
      containers: [{ name: 'mcp-server', exitCode: 1, lastStatus: 'STOPPED' }],
    });
    // An old task ECS stopped on purpose while replacing it: not a reason for the failure.
    const replaced = task(NEW_DEPLOYMENT, 'STOPPED', {}, { stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1111111111111111111)', stopCode: 'ServiceSchedulerInitiated' });
    const rollback = deployment({
      id: 'ecs-svc/3333333333333333333', status: 'PRIMARY', taskDefinition: OLD_TD, createdAt: new Date(T0 + 4 * MIN),
      rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${OLD_DEPLOYMENT}.`,
    });
    const end = service([{ ...rollback, runningCount: 2, rolloutState: 'COMPLETED' }], {
      events: [event(T0 + 6 * MIN, '(service sales-prod-mcp-server-production) has reached a steady state.'), event(T0 + 4 * MIN, `(service sales-prod-mcp-server-production) deployment ${NEW_DEPLOYMENT} deployment failed: tasks failed to start.`)],
    });
    assert.ok(looksStable(end), 'the end state passes a "services-stable" check');
    const statuses = run(start(), [
      { minutes: 1, service: service([ours({ pendingCount: 2, failedTasks: 1 }), oldActive(2)]), tasks: [crashed, replaced] },
      { minutes: 6, service: end },
    ]);
    assert.deepEqual(statuses.map((s) => s.outcome), ['in-progress', 'failed']);
    const verdict = statuses[1];
    assert.equal(verdict.replacedBy?.isRollback, true);
    assert.match(verdict.reason, /ECS rolled the service back to mcp-server-production:7 .*this rollout of mcp-server-production:8 failed.*may look stable, but it runs the old revision/);
    assert.match(verdict.reason, /1 task stopped: Essential container in task exited; mcp-server: exit code 1\./, 'the reason survives the task leaving DescribeTasks');
    assert.doesNotMatch(verdict.reason, /Scaling activity/, 'a task replaced on purpose is not a failure');
    assert.match(verdict.reason, /deployment failed: tasks failed to start/);
  });

  it('a rollback seen only at its end (first poll after everything happened) is still a failure', () => {
    const rolledBack = service([deployment({ id: 'ecs-svc/3333333333333333333', status: 'PRIMARY', taskDefinition: OLD_TD, runningCount: 2, rolloutState: 'COMPLETED', createdAt: new Date(T0 + MIN) })]);
    const [verdict] = run(start(), [{ minutes: 10, service: rolledBack }]);
    assert.equal(verdict.outcome, 'failed');
    assert.equal(verdict.replacedBy?.isRollback, true);
  });

  it('rolloutState FAILED is a failure with ECS\'s reason, and says ECS rolls back', () => {
    const [verdict] = run(start(), [
      { minutes: 5, service: service([ours({ rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.', failedTasks: 3 }), oldActive(2)]) },
    ]);
    assert.equal(verdict.outcome, 'failed');
    assert.match(verdict.reason, /FAILED: ECS deployment circuit breaker: tasks failed to start\.\. ECS is rolling back to mcp-server-production:7\./);
  });

  it('stuck pending: no failure, no progress, ends as timed-out with the newest event as the reason', () => {
    const noPlace = event(T0 + 2 * MIN, '(service sales-prod-mcp-server-production) was unable to place a task because no container instance met all of its requirements.');
    const pending = service([ours({ pendingCount: 2 }), oldActive(2)], { events: [noPlace] });
    const statuses = run(start(), [
      { minutes: 1, service: pending },
      { minutes: 8, service: pending },
      { minutes: 14.9, service: pending },
      { minutes: 15, service: pending },
    ]);
    assert.deepEqual(statuses.map((s) => s.outcome), ['in-progress', 'in-progress', 'in-progress', 'timed-out']);
    assert.match(statuses[3].reason, /^Not finished after 15 min: IN_PROGRESS: 0\/2 running, 2 pending, 0 failed\. .*unable to place a task/);
  });

  it('timeout: a custom deadline counts from the update', () => {
    const statuses = run(start({ timeoutMs: 90_000 }), [
      { minutes: 1, service: service([ours({ runningCount: 1, pendingCount: 1 }), oldActive(1)]) },
      { minutes: 1.5, service: service([ours({ runningCount: 1, pendingCount: 1 }), oldActive(1)]) },
    ]);
    assert.deepEqual(statuses.map((s) => s.outcome), ['in-progress', 'timed-out']);
    assert.match(statuses[1].reason, /Not finished after 1 min 30 s/);
  });

  it('replaced by someone else\'s deployment: a failure that names the other revision, not a rollback', () => {
    const other = deployment({ id: 'ecs-svc/4444444444444444444', status: 'PRIMARY', taskDefinition: OLD_TD.replace(':7', ':9'), createdAt: new Date(T0 + 2 * MIN) });
    const [first, second] = run(start(), [
      { minutes: 1, service: service([ours({ runningCount: 1, pendingCount: 1 }), oldActive(1)]) },
      { minutes: 3, service: service([other, ours({ status: 'ACTIVE', runningCount: 1 })]) },
    ]);
    assert.equal(first.outcome, 'in-progress');
    assert.equal(second.outcome, 'failed');
    assert.equal(second.replacedBy?.isRollback, false);
    assert.equal(second.replacedBy?.deploymentId, 'ecs-svc/4444444444444444444');
    assert.match(second.reason, /Deployment ecs-svc\/4444444444444444444 \(mcp-server-production:9\) replaced this one before it completed/);
  });

  it('tasks failing health checks without a circuit breaker: failed once failed tasks reach the threshold', () => {
    const killed = (n: number) =>
      Array.from({ length: n }, () => task(NEW_DEPLOYMENT, 'STOPPED', {}, { stoppedReason: 'Task failed container health checks', stopCode: 'ServiceSchedulerInitiated' }));
    const noBreaker = start({ circuitBreaker: { enable: false, rollback: false } });
    const statuses = run(noBreaker, [
      { minutes: 1, service: service([ours({ runningCount: 2, failedTasks: 0 }), oldActive(2)]), tasks: [task(NEW_DEPLOYMENT, 'RUNNING', { 'mcp-server': 'UNHEALTHY' })] },
      { minutes: 2, service: service([ours({ runningCount: 1, pendingCount: 1, failedTasks: 2 }), oldActive(2)]), tasks: killed(2) },
      { minutes: 3, service: service([ours({ runningCount: 1, pendingCount: 1, failedTasks: 3 }), oldActive(2)]), tasks: killed(1) },
    ]);
    assert.deepEqual(statuses.map((s) => s.outcome), ['in-progress', 'in-progress', 'failed']);
    assert.deepEqual(statuses[0].unhealthyTasks.length, 1);
    assert.match(statuses[2].reason, /3 tasks of mcp-server-production:8 failed to start or to stay healthy \(threshold 3, no circuit breaker/);
    assert.match(statuses[2].reason, /Task failed container health checks/);
    assert.equal(statuses[2].stoppedTasks.length, 3);
  });

  it('tasks unhealthy after COMPLETED: never success; the timeout names the unhealthy task', () => {
    const completed = service([ours({ runningCount: 2, rolloutState: 'COMPLETED' })]);
    const sick = () => [healthy(), task(NEW_DEPLOYMENT, 'RUNNING', { 'mcp-server': 'UNHEALTHY' })];
    const statuses = run(start(), [
      { minutes: 3, service: completed, tasks: sick() },
      { minutes: 15, service: completed, tasks: sick() },
    ]);
    assert.deepEqual(statuses.map((s) => s.outcome), ['in-progress', 'timed-out']);
    assert.match(statuses[1].reason, /health checks failing: task [0-9a-f]{8}: mcp-server UNHEALTHY/);
  });

  it('without a circuit breaker and without rolloutState: success once it runs the desired count and no other deployment remains', () => {
    const noBreaker = start({ circuitBreaker: { enable: false, rollback: false }, healthCheckedContainers: [] });
    const statuses = run(noBreaker, [
      { minutes: 1, service: service([ours({ runningCount: 2, rolloutState: undefined }), oldActive(2)]) },
      { minutes: 2, service: service([ours({ runningCount: 2, rolloutState: undefined })]) },
    ]);
    assert.deepEqual(statuses.map((s) => s.outcome), ['in-progress', 'succeeded']);
    assert.match(statuses[1].reason, /running the desired count with no other deployment left: 2\/2 tasks run mcp-server-production:8, no container health check defined/);
  });

  it('with a circuit breaker, counts alone are not success: ECS has not said COMPLETED yet', () => {
    const [status] = run(start({ healthCheckedContainers: [] }), [{ minutes: 2, service: service([ours({ runningCount: 2, rolloutState: 'IN_PROGRESS' })]) }]);
    assert.equal(status.outcome, 'in-progress');
  });

  it('health cannot be confirmed when ECS lists no task of the deployment: waits, then times out saying so', () => {
    const completed = service([ours({ runningCount: 2, rolloutState: 'COMPLETED' })]);
    const statuses = run(start(), [
      { minutes: 1, service: completed },
      { minutes: 15, service: completed },
    ]);
    assert.deepEqual(statuses.map((s) => s.outcome), ['in-progress', 'timed-out']);
    assert.match(statuses[1].reason, /no task of this deployment is listed yet, so the health checks of mcp-server are not confirmed/);
  });

  it('what moto answers after update_service (no deployment of the new revision) is "unverified", never success', () => {
    // moto 5.2.1 keeps the service's one deployment from create_service, still naming the old revision,
    // with rolloutState COMPLETED when MOTO_ECS_SERVICE_RUNNING >= desired.
    const motoService = service([oldPrimary()], { taskDefinition: NEW_TD });
    assert.ok(looksStable(motoService));
    const [verdict] = run(start({ deploymentId: undefined }), [{ minutes: 0.1, service: motoService }]);
    assert.equal(verdict.outcome, 'unverified');
    assert.match(verdict.reason, /ECS reported no deployment of mcp-server-production:8: the service now names mcp-server-production:8, but no new deployment appeared: its PRIMARY deployment \(ecs-svc\/1+, created before this update\) runs mcp-server-production:7 and says COMPLETED\. .*nothing about the new revision was verified/);
  });

  it('adopts the deployment from a snapshot when UpdateService did not name it, if it is unmistakably this update\'s', () => {
    const statuses = run(start({ deploymentId: undefined, healthCheckedContainers: [] }), [
      { minutes: 1, service: service([ours({ runningCount: 2, rolloutState: 'COMPLETED' })]) },
    ]);
    assert.equal(statuses[0].outcome, 'succeeded');
    assert.equal(statuses[0].deploymentId, NEW_DEPLOYMENT);
  });

  it('never adopts a deployment from before the update, even one naming the new revision (a rollback on moto)', () => {
    // Rolling back to revision 7 on moto: its one deployment, made before the update, names revision 7.
    const stale = oldPrimary({ createdAt: new Date(T0 - 1000) });
    const rollbackStart = start({ deploymentId: undefined, taskDefinitionArn: OLD_TD, previousTaskDefinitionArn: NEW_TD, earlierDeploymentIds: [OLD_DEPLOYMENT] });
    const [verdict] = run(rollbackStart, [{ minutes: 0.1, service: service([stale]) }]);
    assert.equal(verdict.outcome, 'unverified');
    assert.equal(verdict.deploymentId, undefined);
  });

  it('a final verdict is kept: later snapshots do not change it', () => {
    let state = beginRollout(start({ healthCheckedContainers: [] }));
    state = advanceRollout(state, { at: T0 + MIN, service: service([ours({ runningCount: 2, rolloutState: 'COMPLETED' })]), tasks: [] });
    const after = advanceRollout(state, { at: T0 + 2 * MIN, service: undefined, tasks: [] });
    assert.equal(after, state);
    assert.equal(after.status.outcome, 'succeeded');
  });

  it('a deleted service fails the rollout', () => {
    const [gone] = run(start(), [{ minutes: 1, service: undefined }]);
    const [draining] = run(start(), [{ minutes: 1, service: service([ours()], { status: 'DRAINING' }) }]);
    assert.equal(gone.outcome, 'failed');
    assert.match(gone.reason, /MISSING/);
    assert.equal(draining.outcome, 'failed');
  });

  it('keeps only events since the update, newest first', () => {
    const events = [event(T0 - 10 * MIN, 'old news'), event(T0 + 2 * MIN, 'second'), event(T0 + MIN, 'first')];
    const [status] = run(start(), [{ minutes: 3, service: service([ours(), oldActive(2)], { events }) }]);
    assert.deepEqual(status.events.map((e) => e.message), ['second', 'first']);
  });

  it('failed-task threshold follows ECS\'s circuit breaker: half the desired count, between 3 and 200', () => {
    assert.deepEqual([1, 2, 6, 7, 100, 1000].map(defaultFailedTaskThreshold), [3, 3, 3, 4, 50, 200]);
  });
});

describe('finding the deployment an update created', () => {
  it('is the new PRIMARY running the requested revision', () => {
    const before = [oldPrimary()];
    const after = [ours(), oldActive(2)];
    assert.equal(findUpdateDeployment(before, after, NEW_TD)?.id, NEW_DEPLOYMENT);
  });

  it('is nothing when the PRIMARY is old, or new but for another revision (moto after a forced update)', () => {
    assert.equal(findUpdateDeployment([oldPrimary()], [oldPrimary()], NEW_TD), undefined);
    assert.equal(findUpdateDeployment([oldPrimary()], [oldPrimary({ id: 'ecs-svc/999' })], NEW_TD), undefined);
  });
});
