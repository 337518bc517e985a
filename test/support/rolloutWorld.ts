/**
 * What the reference world gains where deployments really roll out (the local AWS): a good tag and a
 * broken one of the demo repository, and a second service that deploys blue/green with a one-minute bake
 * and a PAUSE hook after the test traffic shift. The demo seeds it, and so do the rollout tests.
 */
import { PutImageCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { CreateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { fakeManifest, REFERENCE } from './referenceWorld';

export const ROLLOUT = {
  /** A new image whose tasks start and pass their health checks. */
  goodTag: 'v1.0.1',
  /** A new image whose essential container exits 1 at start: the circuit breaker rolls it back. */
  brokenTag: 'broken-release',
  blueGreenService: 'sales-prod-mcp-server-bluegreen',
  bakeTimeInMinutes: 1,
  pauseStage: 'POST_TEST_TRAFFIC_SHIFT',
} as const;

/** What ECS needs to deploy blue/green: the production target group with an alternate, the listener rule and a role. */
const BLUE_GREEN_LOAD_BALANCERS = [
  {
    targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/mcp-blue/0123456789abcdef',
    containerName: REFERENCE.container,
    containerPort: 8000,
    advancedConfiguration: {
      alternateTargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/mcp-green/fedcba9876543210',
      productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/mcp/0123456789abcdef/0123456789abcdef/0123456789abcdef',
      roleArn: 'arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers',
    },
  },
];

async function setBehaviour(endpoint: string, image: string, behaviour: 'healthy' | 'crash'): Promise<void> {
  const res = await fetch(`${endpoint}/_local/ecs/behaviours`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ image, behaviour }) });
  if (!res.ok) throw new Error(`setting the behaviour of ${image}: HTTP ${res.status} ${await res.text()}`);
}

/** Seeds the rollout world on top of `seedReferenceWorld`'s, in the local AWS at `endpoint`. */
export async function seedRolloutWorld({ ecr, ecs }: { ecr: ECRClient; ecs: ECSClient }, endpoint: string, seeded: { repositoryUri: string; taskDefinitionArn: string }): Promise<void> {
  for (const tag of [ROLLOUT.goodTag, ROLLOUT.brokenTag]) {
    await ecr.send(new PutImageCommand({ repositoryName: REFERENCE.repository, imageManifest: fakeManifest(`${REFERENCE.repository}-${tag}`), imageTag: tag }));
  }
  await setBehaviour(endpoint, `${seeded.repositoryUri}:${ROLLOUT.brokenTag}`, 'crash');
  await ecs.send(
    new CreateServiceCommand({
      cluster: REFERENCE.cluster,
      serviceName: ROLLOUT.blueGreenService,
      taskDefinition: seeded.taskDefinitionArn,
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-12345678'], securityGroups: ['sg-12345678'], assignPublicIp: 'DISABLED' } },
      loadBalancers: BLUE_GREEN_LOAD_BALANCERS,
      deploymentConfiguration: {
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: ROLLOUT.bakeTimeInMinutes,
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: [ROLLOUT.pauseStage], timeoutConfiguration: { timeoutInMinutes: 30, action: 'ROLLBACK' } }],
      },
    }),
  );
}
