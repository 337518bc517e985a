/** "Validate Deployment" verdicts over service states shaped like real ECS (and like moto's). */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { assessService } from '../../src/core/deploy/serviceHealth';
import { NEW_DEPLOYMENT, NEW_TD, OLD_DEPLOYMENT, OLD_TD, deployment, event, fargateWithSidecars, service, task } from '../support/ecsFixtures';

const td = fargateWithSidecars().taskDefinition;
const completed = (over = {}) => deployment({ id: NEW_DEPLOYMENT, status: 'PRIMARY', taskDefinition: NEW_TD, runningCount: 2, rolloutState: 'COMPLETED', ...over });
const bothHealthy = () => task(NEW_DEPLOYMENT, 'RUNNING', { 'mcp-server': 'HEALTHY', 'datadog-agent': 'HEALTHY' });

describe('validate deployment', () => {
  it('healthy: COMPLETED, desired count running, every checked container HEALTHY; says image and revision', () => {
    const a = assessService({ service: service([completed()], { events: [event(Date.now(), 'has reached a steady state.')] }), tasks: [bothHealthy(), bothHealthy()], taskDefinition: td });
    assert.equal(a.verdict, 'healthy');
    assert.match(a.reasons[0], /^2\/2 tasks run mcp-server-production:8, rollout COMPLETED, health checks of mcp-server, datadog-agent HEALTHY\.$/);
    assert.equal(a.images['mcp-server'], td.containerDefinitions![0].image);
    assert.equal(a.events[0].message, 'has reached a steady state.');
  });

  it('unhealthy: a failing health check, fewer running than desired, or a FAILED rollout, worst first', () => {
    const sick = task(NEW_DEPLOYMENT, 'RUNNING', { 'mcp-server': 'UNHEALTHY', 'datadog-agent': 'HEALTHY' });
    const a = assessService({ service: service([completed({ runningCount: 1, pendingCount: 1, rolloutState: 'IN_PROGRESS' })]), tasks: [sick], taskDefinition: td });
    assert.equal(a.verdict, 'unhealthy');
    assert.match(a.reasons[0], /Only 1 of 2 tasks are running \(1 pending\)|Health checks failing/);
    assert.ok(a.reasons.some((r) => /mcp-server UNHEALTHY/.test(r)));
    const failed = assessService({ service: service([completed({ rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' })]), tasks: [bothHealthy(), bothHealthy()], taskDefinition: td });
    assert.equal(failed.verdict, 'unhealthy');
    assert.match(failed.reasons[0], /FAILED: tasks failed to start/);
  });

  it('in progress: two deployments, or health checks still starting', () => {
    const rolling = assessService({ service: service([completed({ rolloutState: 'IN_PROGRESS' }), deployment({ id: OLD_DEPLOYMENT, status: 'ACTIVE', taskDefinition: OLD_TD, runningCount: 2 })]), tasks: [bothHealthy(), bothHealthy()], taskDefinition: td });
    assert.equal(rolling.verdict, 'in-progress');
    const starting = assessService({ service: service([completed()]), tasks: [bothHealthy(), task(NEW_DEPLOYMENT, 'RUNNING', { 'mcp-server': 'UNKNOWN', 'datadog-agent': 'HEALTHY' })], taskDefinition: td });
    assert.equal(starting.verdict, 'in-progress');
    assert.match(starting.reasons[0], /not passed yet: task [0-9a-f]{8}: mcp-server UNKNOWN/);
  });

  it('unverified on what moto shows: the deployment runs another revision than the service names, and no task is listed', () => {
    const moto = service([deployment({ id: OLD_DEPLOYMENT, status: 'PRIMARY', taskDefinition: OLD_TD, runningCount: 2, rolloutState: 'COMPLETED' })], { taskDefinition: NEW_TD });
    const a = assessService({ service: moto, tasks: [], taskDefinition: td });
    assert.equal(a.verdict, 'unverified');
    assert.match(a.reasons.join(' '), /names mcp-server-production:8 but its PRIMARY deployment \(ecs-svc\/1+\) runs mcp-server-production:7/);
    assert.match(a.reasons.join(' '), /lists no task of deployment ecs-svc\/1+: the health checks of mcp-server, datadog-agent cannot be confirmed/);
  });

  it('a service without health checks and zero desired is healthy without tasks', () => {
    const a = assessService({ service: service([completed({ desiredCount: 0, runningCount: 0 })], { desiredCount: 0 }), tasks: [], taskDefinition: { containerDefinitions: [{ name: 'x', image: 'y' }] } });
    assert.equal(a.verdict, 'healthy');
    assert.match(a.reasons[0], /no container health check defined/);
  });
});
