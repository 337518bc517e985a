/**
 * The follow loop, the rollback-on-failure decision, the rollback use case and validate, from
 * src/app/deploy, against a scripted fake of the AWS edge: no VS Code, no network.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Service } from '@aws-sdk/client-ecs';
import { rollback, type RollbackPorts } from '../../src/app/deploy/rollback';
import { needsRollback, runUpdate, type RunOptions } from '../../src/app/deploy/runUpdate';
import { validateService } from '../../src/app/deploy/validate';
import { noRollbackText, outcomeOf, stoppedWatchingText } from '../../src/app/deploy/verdict';
import { beginRollout, type RolloutStatus } from '../../src/core/deploy/rollout';
import { isErrorNamed } from '../../src/core/errors/named';
import { NEW_DEPLOYMENT, NEW_TD, OLD_DEPLOYMENT, OLD_TD, deployment, event, fakeDeployAccess, service, task } from '../support/ecsFixtures';

const REF = { cluster: 'sales-prod', service: 'sales-prod-mcp-server-production' };
const BACK_DEPLOYMENT = 'ecs-svc/3333333333333333333';
const TD = (n: number) => OLD_TD.replace(/:\d+$/, `:${n}`);
const oldPrimary = () => deployment({ id: OLD_DEPLOYMENT, status: 'PRIMARY', taskDefinition: OLD_TD, runningCount: 2, rolloutState: 'COMPLETED' });
const oldActive = () => ({ ...oldPrimary(), status: 'ACTIVE' });
const ours = (over = {}) => deployment({ id: NEW_DEPLOYMENT, status: 'PRIMARY', taskDefinition: NEW_TD, createdAt: new Date(), pendingCount: 2, ...over });
const healthy = (id: string) => task(id, 'RUNNING', { 'mcp-server': 'HEALTHY', 'datadog-agent': 'HEALTHY' });
const breakerWithoutRollback = { deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } } };
const OPTIONS: RunOptions = { wait: true, timeoutMs: 60_000, intervalMs: 1, rollbackOnFailure: true };

describe('runUpdate: update, follow, and roll back when it is ours to do', () => {
  it('a FAILED rollout the breaker leaves alone: updates back to the previous revision and follows that as "rollback"', async () => {
    const failed = ours({ rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start', failedTasks: 3 });
    const back = deployment({ id: BACK_DEPLOYMENT, status: 'PRIMARY', taskDefinition: OLD_TD, createdAt: new Date() });
    const before = service([oldPrimary()], breakerWithoutRollback);
    const { access, calls } = fakeDeployAccess({
      services: [service([failed, oldActive()], breakerWithoutRollback), service([failed, oldActive()], breakerWithoutRollback), service([{ ...back, runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED' }], breakerWithoutRollback)],
      updates: [service([ours(), oldActive()], breakerWithoutRollback), service([back, { ...failed, status: 'ACTIVE' }], breakerWithoutRollback)],
      tasks: (poll) => (poll >= 2 ? [healthy(BACK_DEPLOYMENT), healthy(BACK_DEPLOYMENT)] : []),
    });
    const phases: string[] = [];
    const run = await runUpdate(access, REF.cluster, before, { taskDefinitionArn: NEW_TD }, { ...OPTIONS, onStatus: (s, phase) => phases.push(`${phase}:${s.outcome}`) });
    assert.equal(run.watch?.status.outcome, 'failed');
    assert.deepEqual(calls.filter((c) => c.op === 'updateService').map((c) => (c.args[0] as { taskDefinition: string }).taskDefinition), [NEW_TD, OLD_TD]);
    assert.equal(run.rollback?.taskDefinitionArn, OLD_TD);
    assert.equal(run.rollback?.deploymentId, BACK_DEPLOYMENT);
    assert.equal(run.rollback?.watch?.status.outcome, 'succeeded');
    assert.deepEqual(phases, ['deploy:failed', 'rollback:succeeded']);
  });

  it('after ECS\'s own circuit-breaker rollback: no second rollback, and it says why', async () => {
    const crashed = task(NEW_DEPLOYMENT, 'STOPPED', {}, { stoppedReason: 'Essential container in task exited' });
    const ecsRollback = deployment({ id: BACK_DEPLOYMENT, status: 'PRIMARY', taskDefinition: OLD_TD, runningCount: 2, rolloutState: 'COMPLETED', createdAt: new Date(), rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${OLD_DEPLOYMENT}.` });
    const { access, ops } = fakeDeployAccess({
      services: [service([ours({ failedTasks: 2 }), oldActive()]), service([ecsRollback], { events: [event(Date.now(), `deployment ${NEW_DEPLOYMENT} deployment failed: tasks failed to start.`)] })],
      updates: [service([ours(), oldActive()])],
      tasks: [crashed],
    });
    const run = await runUpdate(access, REF.cluster, service([oldPrimary()]), { taskDefinitionArn: NEW_TD }, OPTIONS);
    assert.equal(run.watch?.status.outcome, 'failed');
    assert.equal(run.rollback?.skipped, 'ECS already rolled back');
    assert.equal(noRollbackText(run.rollback!.skipped!), 'No rollback: ECS already rolled back.');
    assert.equal(ops().filter((op) => op === 'updateService').length, 1);
  });

  it('without rollbackOnFailure a failure is only reported', async () => {
    const failed = ours({ rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' });
    const { access, ops } = fakeDeployAccess({ services: [service([failed, oldActive()], breakerWithoutRollback)], updates: [service([ours(), oldActive()], breakerWithoutRollback)] });
    const run = await runUpdate(access, REF.cluster, service([oldPrimary()], breakerWithoutRollback), { taskDefinitionArn: NEW_TD }, { ...OPTIONS, rollbackOnFailure: false });
    assert.equal(run.watch?.status.outcome, 'failed');
    assert.equal(run.rollback, undefined);
    assert.equal(ops().filter((op) => op === 'updateService').length, 1);
  });

  it('stopping to watch ends the loop at once with "stopped-watching" and never rolls back', async () => {
    const controller = new AbortController();
    const { access, ops } = fakeDeployAccess({ services: [service([ours(), oldActive()])], updates: [service([ours(), oldActive()])], onDescribeService: (n) => n === 2 && controller.abort() });
    const run = await runUpdate(access, REF.cluster, service([oldPrimary()]), { taskDefinitionArn: NEW_TD }, { ...OPTIONS, signal: controller.signal });
    assert.equal(run.watch?.stoppedWatching, true);
    assert.equal(outcomeOf(run.watch), 'stopped-watching');
    assert.match(stoppedWatchingText(run.watch?.status), /^Stopped watching; the deployment continues in ECS\. Last status: IN_PROGRESS/);
    assert.equal(run.rollback, undefined);
    assert.equal(ops().filter((op) => op === 'updateService').length, 1);
  });

  it('a rollout that never ends times out at the deadline', async () => {
    const { access } = fakeDeployAccess({ services: [service([ours(), oldActive()])], updates: [service([ours(), oldActive()])] });
    const run = await runUpdate(access, REF.cluster, service([oldPrimary()]), { taskDefinitionArn: NEW_TD }, { ...OPTIONS, timeoutMs: 30, intervalMs: 5, rollbackOnFailure: false });
    assert.equal(run.watch?.status.outcome, 'timed-out');
  });

  it('wait: false updates and reads nothing more', async () => {
    const { access, ops } = fakeDeployAccess({ services: [service([oldPrimary()])], updates: [service([ours(), oldActive()])] });
    const run = await runUpdate(access, REF.cluster, service([oldPrimary()]), { taskDefinitionArn: NEW_TD }, { ...OPTIONS, wait: false });
    assert.equal(outcomeOf(run.watch), 'not-watched');
    assert.equal(run.deploymentId, NEW_DEPLOYMENT);
    assert.deepEqual(ops(), ['describeTaskDefinition', 'updateService']);
  });

  it('needsRollback: only a failure of ours with a known previous revision, and not while the breaker rolls back', () => {
    const start = { deploymentId: NEW_DEPLOYMENT, earlierDeploymentIds: [OLD_DEPLOYMENT], taskDefinitionArn: NEW_TD, previousTaskDefinitionArn: OLD_TD, startedAt: 0, timeoutMs: 1, healthCheckedContainers: [], circuitBreaker: { enable: true, rollback: true } };
    const status = (over: Partial<RolloutStatus>): RolloutStatus => ({ ...beginRollout(start).status, ...over });
    assert.deepEqual(needsRollback(status({ outcome: 'succeeded' }), start), { needed: false, why: 'the rollout succeeded' });
    assert.deepEqual(needsRollback(status({ outcome: 'failed', rolloutState: 'FAILED' }), start), { needed: false, why: 'the circuit breaker is rolling back' });
    assert.deepEqual(needsRollback(status({ outcome: 'timed-out' }), start), { needed: true, why: 'back to the previous revision' });
    assert.equal(needsRollback(status({ outcome: 'failed', replacedBy: { deploymentId: 'x', taskDefinitionArn: TD(9), isRollback: false } }), start).why, 'another deployment replaced this one; rolling back would undo it');
    assert.equal(needsRollback(status({ outcome: 'failed' }), { ...start, previousTaskDefinitionArn: '' }).why, 'the previous revision is unknown');
  });
});

describe('rollback: the target, the confirmation, the update followed (never itself rolled back)', () => {
  const current = service([deployment({ id: OLD_DEPLOYMENT, status: 'PRIMARY', taskDefinition: TD(7), runningCount: 2, rolloutState: 'COMPLETED' })]);
  const ports = (over: Partial<RollbackPorts> = {}): RollbackPorts => ({
    read: (_title, work) => work(undefined),
    confirm: async () => true,
    follow: (_prepared, run) => run(undefined, undefined),
    ...over,
  });
  const SETTINGS = { wait: false, timeoutMs: 60_000, intervalMs: 1 };

  it('by default: the newest ACTIVE revision below the current one', async () => {
    const { access, calls } = fakeDeployAccess({ services: [current], revisions: [TD(9), TD(7), TD(6), TD(5)], updates: [current] });
    const outcome = await rollback(access, REF, undefined, SETTINGS, ports());
    assert.equal(outcome.kind, 'ran');
    assert.equal(outcome.kind === 'ran' && outcome.prepared.target, TD(6));
    assert.deepEqual(calls.find((c) => c.op === 'listRevisionArns')?.args, ['mcp-server-production']);
    assert.equal((calls.find((c) => c.op === 'updateService')?.args[0] as { taskDefinition: string }).taskDefinition, TD(6));
  });

  it('a declined confirmation updates nothing', async () => {
    const { access, ops } = fakeDeployAccess({ services: [current], revisions: [TD(7), TD(6)] });
    const outcome = await rollback(access, REF, undefined, SETTINGS, ports({ confirm: async () => false }));
    assert.equal(outcome.kind, 'stopped');
    assert.ok(!ops().includes('updateService'));
  });

  it('a revision by number must be ACTIVE and not the current one: phrased errors that list the others', async () => {
    const { access } = fakeDeployAccess({ services: [current], revisions: [TD(7), TD(6), TD(4)] });
    await assert.rejects(rollback(access, REF, { revision: 5 }, SETTINGS, ports()), (error) => {
      assert.ok(isErrorNamed(error, 'DeployError'));
      assert.equal(error.message, 'mcp-server-production:5 is not an ACTIVE revision of mcp-server-production (other ACTIVE revisions: 6, 4).');
      return true;
    });
    await assert.rejects(rollback(access, REF, { revision: 7 }, SETTINGS, ports()), /^DeployError: The service already runs mcp-server-production:7\.$/);
  });

  it('a family with no other ACTIVE revision: nothing to do, in words', async () => {
    const { access } = fakeDeployAccess({ services: [current], revisions: [TD(7)] });
    assert.deepEqual(await rollback(access, REF, undefined, SETTINGS, ports({ chooseRevision: () => assert.fail('nothing to choose') })), { kind: 'nothing', message: 'mcp-server-production has no other ACTIVE revision to roll back to.' });
  });

  it('the person\'s choice: offered the candidates newest first, describing only as many as asked', async () => {
    const { access, calls } = fakeDeployAccess({ services: [current], revisions: [TD(4), TD(7), TD(6), TD(5)], updates: [current] });
    const outcome = await rollback(access, REF, undefined, SETTINGS, ports({
      async chooseRevision({ candidates, describe, service: read }) {
        assert.deepEqual(candidates, [TD(6), TD(5), TD(4)]);
        assert.equal(read, current);
        const summaries = await describe(2, undefined);
        assert.deepEqual(summaries.map((s) => s.label), ['mcp-server-production:6', 'mcp-server-production:5']);
        return TD(4);
      },
    }));
    assert.equal(outcome.kind === 'ran' && outcome.prepared.target, TD(4));
    assert.deepEqual(calls.find((c) => c.op === 'describeRevisions')?.args, [[TD(6), TD(5)]]);
  });

  it('an ARN given (the "Roll Back" action after a failed deploy) is taken as it is; a failed rollback is not rolled back', async () => {
    const failed = deployment({ id: BACK_DEPLOYMENT, status: 'PRIMARY', taskDefinition: TD(6), rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' });
    const { access, ops } = fakeDeployAccess({ services: [current, service([failed], breakerWithoutRollback)], updates: [service([failed], breakerWithoutRollback)] });
    const outcome = await rollback(access, REF, { taskDefinitionArn: TD(6) }, { ...SETTINGS, wait: true }, ports());
    assert.ok(!ops().includes('listRevisionArns'));
    assert.equal(outcome.kind === 'ran' && outcome.run.watch?.status.outcome, 'failed');
    assert.equal(outcome.kind === 'ran' && outcome.run.rollback, undefined);
    assert.equal(ops().filter((op) => op === 'updateService').length, 1);
  });
});

describe('validateService', () => {
  it('judges the service with its tasks and task definition, and says where it logs', async () => {
    const running: Service = service([deployment({ id: NEW_DEPLOYMENT, status: 'PRIMARY', taskDefinition: NEW_TD, runningCount: 2, rolloutState: 'COMPLETED' })]);
    const { access, calls } = fakeDeployAccess({ services: [running], tasks: [healthy(NEW_DEPLOYMENT), healthy(NEW_DEPLOYMENT)] });
    const validation = await validateService(access, { cluster: REF.cluster, service: 'arn-or-name' }, undefined);
    assert.equal(validation.assessment.verdict, 'healthy');
    assert.match(validation.logHint ?? '', /\/ecs\/datadog/);
    // Tasks are listed by the service's name, whatever the caller passed.
    assert.deepEqual(calls.find((c) => c.op === 'listServiceTasks')?.args.slice(0, 2), [REF.cluster, 'sales-prod-mcp-server-production']);
  });

  it('an unhealthy service is said to be so', async () => {
    const half: Service = service([deployment({ id: NEW_DEPLOYMENT, status: 'PRIMARY', taskDefinition: NEW_TD, runningCount: 1, rolloutState: 'COMPLETED' })]);
    const { access } = fakeDeployAccess({ services: [half], tasks: [healthy(NEW_DEPLOYMENT)] });
    assert.equal((await validateService(access, REF, undefined)).assessment.verdict, 'unhealthy');
  });
});
