/**
 * Blue/green, linear and canary deploys through the built CLI against the local AWS: the bake, the PAUSE
 * hook answered from --on-pause or by `ecr-deploy continue`, a rollback asked for at the pause, a
 * deployment replaced by someone else's, and the stages each strategy goes through.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { CreateServiceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import * as ecsEdge from '../../src/aws/ecs';
import { REFERENCE } from '../support/referenceWorld';
import { useReferenceMoto } from '../support/referenceMoto';
import { blueGreenLoadBalancers, ROLLOUT, seedRolloutWorld } from '../support/rolloutWorld';
import { runCliProcess } from '../support/cliProcess';
import { waitFor } from '../support/localAws';

interface DeployJson {
  taskDefinitionArn: string;
  result: { outcome: string; reason: string; strategy: string; serviceDeploymentArn: string | null; stagesSeen: string[] };
}

describe('deploy strategies against the local AWS', () => {
  const env = useReferenceMoto();
  const cli = (service: string, ...args: string[]) => runCliProcess([...args, '--endpoint-url', env.moto.endpoint, '--region', 'us-east-1', '--cluster', REFERENCE.cluster, '--service', service]);
  const taskDefinitionOf = async (service: string) => (await ecsEdge.describeService(env.clients.ecs, REFERENCE.cluster, service))?.taskDefinition;
  const settled = (service: string) =>
    waitFor(() => ecsEdge.describeService(env.clients.ecs, REFERENCE.cluster, service), (s) => s?.runningCount === 2 && s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED', {
      what: `${service} at steady state`,
    });
  let world: { blueGreenTaskDefinitionArn: string };
  const withRolloutWorld = async () => {
    world = await seedRolloutWorld(env.clients, env.moto.endpoint, env.seeded);
    await settled(ROLLOUT.blueGreenService);
  };

  it('blue/green, answered CONTINUE at the pause: goes through test traffic, production traffic and the bake to SUCCESSFUL', async () => {
    await withRolloutWorld();
    const result = await cli(ROLLOUT.blueGreenService, 'deploy', '--tag', ROLLOUT.goodTag, '--on-pause', 'continue', '--output', 'json', '--poll-interval', '0.1');
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const out = JSON.parse(result.stdout) as DeployJson;
    assert.equal(out.result.outcome, 'succeeded', out.result.reason);
    assert.equal(out.result.strategy, 'BLUE_GREEN');
    assert.match(out.result.serviceDeploymentArn ?? '', /:service-deployment\//);
    // Stages that last (the pause, the bake) are seen by any poll; the shifts may pass between two polls.
    for (const stage of ['POST_TEST_TRAFFIC_SHIFT', 'BAKE_TIME']) assert.ok(out.result.stagesSeen.includes(stage), `${stage} in ${out.result.stagesSeen.join(', ')}`);
    assert.ok(out.result.stagesSeen.indexOf('POST_TEST_TRAFFIC_SHIFT') < out.result.stagesSeen.indexOf('BAKE_TIME'), 'in ECS order');
    assert.match(result.stderr, /Paused at POST_TEST_TRAFFIC_SHIFT: answering CONTINUE \(--on-pause continue\)/);
    assert.equal(await taskDefinitionOf(ROLLOUT.blueGreenService), out.taskDefinitionArn);
  });

  it('blue/green, answered ROLLBACK at the pause: a failure of this deploy, and the service stays on its revision', async () => {
    await withRolloutWorld();
    const result = await cli(ROLLOUT.blueGreenService, 'deploy', '--tag', ROLLOUT.goodTag, '--on-pause', 'rollback', '--output', 'json', '--poll-interval', '0.1');
    assert.equal(result.code, 1, result.stdout);
    const out = JSON.parse(result.stdout) as DeployJson;
    assert.equal(out.result.outcome, 'failed');
    assert.match(out.result.reason, /ROLLBACK_SUCCESSFUL/);
    assert.equal(await taskDefinitionOf(ROLLOUT.blueGreenService), world.blueGreenTaskDefinitionArn);
  });

  it('--on-pause wait (the default) prints the exact `ecr-deploy continue` command and follows until the timeout', async () => {
    await withRolloutWorld();
    const result = await cli(ROLLOUT.blueGreenService, 'deploy', '--tag', ROLLOUT.goodTag, '--poll-interval', '0.1', '--timeout', '4');
    assert.equal(result.code, 1);
    assert.match(result.stdout, new RegExp(`Paused at POST_TEST_TRAFFIC_SHIFT, waiting for approval\\. ECS will ROLLBACK at \\S+ if nobody answers\\. To go on: ecr-deploy continue --cluster ${REFERENCE.cluster} --service ${ROLLOUT.blueGreenService} {3}To roll back: ecr-deploy continue --cluster ${REFERENCE.cluster} --service ${ROLLOUT.blueGreenService} --rollback`));
    assert.match(result.stdout, /Result: timed-out\. Not finished after 4 s: blue\/green: test traffic shifted · waiting for Continue or Roll Back/);
  });

  it('`ecr-deploy continue` answers the paused hook once; with nothing paused it exits 1 and sends nothing', async () => {
    await withRolloutWorld();
    const started = await cli(ROLLOUT.blueGreenService, 'deploy', '--tag', ROLLOUT.goodTag, '--no-wait', '--output', 'json');
    assert.equal(started.code, 0, started.stderr);
    await waitFor(
      () => cli(ROLLOUT.blueGreenService, 'continue', '--output', 'json'),
      (r) => r.code === 0,
      { what: 'a paused deployment to continue', intervalMs: 200 },
    ).then((r) => {
      const out = JSON.parse(r.stdout) as { action: string; lifecycleStage: string; serviceDeploymentArn: string };
      assert.equal(out.action, 'CONTINUE');
      assert.equal(out.lifecycleStage, ROLLOUT.pauseStage);
    });
    const again = await cli(ROLLOUT.blueGreenService, 'continue');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^ecr-deploy continue: Nothing is paused on sales-prod-mcp-server-bluegreen: /);
    const settledAfter = await settled(ROLLOUT.blueGreenService);
    assert.equal(settledAfter?.taskDefinition, (JSON.parse(started.stdout) as DeployJson).taskDefinitionArn, 'continued to the new revision');
  });

  it('a deployment replaced by someone else\'s while it waits is a failure of this deploy, never a success', async () => {
    await withRolloutWorld();
    const following = cli(ROLLOUT.blueGreenService, 'deploy', '--tag', ROLLOUT.goodTag, '--output', 'json', '--poll-interval', '0.1', '--timeout', '30');
    await waitFor(
      () => ecsEdge.describeService(env.clients.ecs, REFERENCE.cluster, ROLLOUT.blueGreenService),
      (s) => Boolean(s && s.taskDefinition !== world.blueGreenTaskDefinitionArn),
      { what: 'our update to land' },
    );
    await new Promise((r) => setTimeout(r, 1500)); // into the pause
    await env.clients.ecs.send(new UpdateServiceCommand({ cluster: REFERENCE.cluster, service: ROLLOUT.blueGreenService, taskDefinition: world.blueGreenTaskDefinitionArn, forceNewDeployment: true }));
    const result = await following;
    assert.equal(result.code, 1, result.stdout);
    const out = JSON.parse(result.stdout) as DeployJson;
    assert.equal(out.result.outcome, 'failed');
    assert.match(out.result.reason, /STOPPED|replaced/);
  });

  for (const [strategy, config] of [
    ['LINEAR', { linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 1 } }],
    ['CANARY', { canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 1 } }],
  ] as const) {
    it(`${strategy.toLowerCase()}: shifts production traffic in steps and succeeds after the bake`, async () => {
      const service = `mcp-${strategy.toLowerCase()}`;
      await env.clients.ecs.send(
        new CreateServiceCommand({
          cluster: REFERENCE.cluster,
          serviceName: service,
          taskDefinition: env.seeded.taskDefinitionArn,
          desiredCount: 2,
          launchType: 'FARGATE',
          networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-12345678'], securityGroups: ['sg-12345678'] } },
          loadBalancers: await blueGreenLoadBalancers(env.moto.endpoint, service),
          deploymentConfiguration: { strategy, bakeTimeInMinutes: 1, ...config },
        }),
      );
      await settled(service);
      const result = await cli(service, 'deploy', '--tag', 'jwt-auth-v1.0.0', '--output', 'json', '--poll-interval', '0.1');
      assert.equal(result.code, 0, result.stderr + result.stdout);
      const out = JSON.parse(result.stdout) as DeployJson;
      assert.equal(out.result.outcome, 'succeeded', out.result.reason);
      assert.equal(out.result.strategy, strategy);
      assert.ok(out.result.stagesSeen.includes('PRODUCTION_TRAFFIC_SHIFT') && out.result.stagesSeen.includes('BAKE_TIME'), out.result.stagesSeen.join(', '));
      assert.equal(await taskDefinitionOf(service), out.taskDefinitionArn);
    });
  }
});
