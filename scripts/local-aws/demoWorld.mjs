// What the local AWS adds to the reference world (test/support/referenceWorld.ts) so the demo shows real
// rollouts: a good and a broken tag of the demo repository (the broken one crashes, so the circuit breaker
// rolls back), and a second service with BLUE_GREEN, a one-minute bake and a PAUSE hook at POST_TEST_TRAFFIC_SHIFT.
import { PutImageCommand } from '@aws-sdk/client-ecr';
import { CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';

export const DEMO = {
  goodTag: 'v1.1.0',
  brokenTag: 'v1.2.0-broken',
  blueGreenService: 'sales-prod-mcp-server-bluegreen',
  blueGreenFamily: 'mcp-server-bluegreen',
  blueGreenLogGroup: '/ecs/mcp-server-bluegreen',
};

/** The service's load balancer, made in moto's ELBv2 (blue and green target groups, production and test rules). */
export function demoLoadBalancers(made) {
  return [
    {
      targetGroupArn: made.targetGroupArn,
      containerName: 'mcp-server',
      containerPort: 8000,
      advancedConfiguration: {
        alternateTargetGroupArn: made.alternateTargetGroupArn,
        productionListenerRule: made.productionListenerRule,
        testListenerRule: made.testListenerRule,
        roleArn: 'arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers',
      },
    },
  ];
}

export async function seedDemoExtras({ ecr, ecs, logs, engine, elb, reference, repositoryUri, fakeManifest }) {
  for (const tag of [DEMO.goodTag, DEMO.brokenTag]) {
    await ecr.send(new PutImageCommand({ repositoryName: reference.repository, imageManifest: fakeManifest(`${reference.repository}-${tag}`), imageTag: tag }));
  }
  await engine.setBehaviour(`${repositoryUri}:${DEMO.brokenTag}`, 'crash');

  await logs.send(new CreateLogGroupCommand({ logGroupName: DEMO.blueGreenLogGroup }));
  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: DEMO.blueGreenFamily,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
      executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      containerDefinitions: [
        {
          name: 'mcp-server',
          image: `${repositoryUri}:v1.0.0`,
          essential: true,
          portMappings: [{ containerPort: 8000, protocol: 'tcp' }],
          healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8000/healthz || exit 1'], interval: 30, timeout: 5, retries: 3, startPeriod: 10 },
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': DEMO.blueGreenLogGroup, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' } },
        },
      ],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster: reference.cluster,
      serviceName: DEMO.blueGreenService,
      taskDefinition: td.taskDefinition.taskDefinitionArn,
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'], assignPublicIp: 'DISABLED' } },
      loadBalancers: demoLoadBalancers(await elb.createBlueGreenLoadBalancer('mcp-bluegreen')),
      deploymentConfiguration: {
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: 1,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutConfiguration: { timeoutInMinutes: 30, action: 'ROLLBACK' } }],
      },
    }),
  );
}
