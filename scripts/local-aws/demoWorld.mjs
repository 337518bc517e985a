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

// Shaped like real ELBv2 ARNs; the engine checks their presence and shape, it does not look them up.
const TARGET_GROUP = (name, id) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/${id}`;
export const DEMO_LOAD_BALANCERS = [
  {
    targetGroupArn: TARGET_GROUP('mcp-bluegreen-blue', '6d0ecf831eec9f09'),
    containerName: 'mcp-server',
    containerPort: 8000,
    advancedConfiguration: {
      alternateTargetGroupArn: TARGET_GROUP('mcp-bluegreen-green', '1f2a3b4c5d6e7f80'),
      productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/mcp-alb/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee',
      testListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/mcp-alb/50dc6c495c0c9188/3c3b2a1f0e9d8c7b/1a2b3c4d5e6f7a8b',
      roleArn: 'arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers',
    },
  },
];

export async function seedDemoExtras({ ecr, ecs, logs, engine, reference, repositoryUri, fakeManifest }) {
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
      loadBalancers: DEMO_LOAD_BALANCERS,
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
