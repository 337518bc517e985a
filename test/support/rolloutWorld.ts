/**
 * What the reference world gains where deployments really roll out (the local AWS): a good tag and a
 * broken one of the demo repository (the broken one crashes, so the circuit breaker rolls it back), and a
 * second service that deploys blue/green with a one-minute bake and a PAUSE hook after the test traffic
 * shift, behind a load balancer made in moto's ELBv2. The demo (`npm start`, `local-aws.mjs` without
 * `--empty`) and the rollout tests seed it.
 */
import { PutImageCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { CreateServiceCommand, RegisterTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { CreateLogGroupCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { fakeManifest, REFERENCE } from './referenceWorld';

export const ROLLOUT = {
  /** A new image whose tasks start and pass their health checks. */
  goodTag: 'v1.1.0',
  /** A new image whose essential container exits 1 at start. */
  brokenTag: 'v1.2.0-broken',
  blueGreenService: 'sales-prod-mcp-server-bluegreen',
  blueGreenFamily: 'mcp-server-bluegreen',
  blueGreenLogGroup: '/ecs/mcp-server-bluegreen',
  bakeTimeInMinutes: 1,
  pauseStage: 'POST_TEST_TRAFFIC_SHIFT',
} as const;

interface BlueGreenLoadBalancer {
  targetGroupArn: string;
  alternateTargetGroupArn: string;
  productionListenerRule: string;
  testListenerRule?: string;
}

async function postLocal<T>(endpoint: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${endpoint}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${path}: HTTP ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

/** One awsJson1.1 call through the local AWS (to moto), for a service the project has no SDK client of. */
export async function awsJson(endpoint: string, service: string, target: string, body: unknown): Promise<unknown> {
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, authorization: `AWS4-HMAC-SHA256 Credential=test/${date}/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${target}: HTTP ${res.status} ${text}`);
  return JSON.parse(text || '{}');
}

/** A load balancer in moto's ELBv2 with blue and green target groups and listener rules, as a blue/green service needs. */
export async function blueGreenLoadBalancers(endpoint: string, name: string, containerName: string = REFERENCE.container) {
  const made = await postLocal<BlueGreenLoadBalancer>(endpoint, '/_local/elbv2/blue-green', { name });
  return [
    {
      targetGroupArn: made.targetGroupArn,
      containerName,
      containerPort: 8000,
      advancedConfiguration: {
        alternateTargetGroupArn: made.alternateTargetGroupArn,
        productionListenerRule: made.productionListenerRule,
        ...(made.testListenerRule ? { testListenerRule: made.testListenerRule } : {}),
        roleArn: 'arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers',
      },
    },
  ];
}

export interface RolloutWorld {
  blueGreenTaskDefinitionArn: string;
}

/** Seeds the rollout world on top of `seedReferenceWorld`'s, in the local AWS at `endpoint`. */
export async function seedRolloutWorld(
  { ecr, ecs, logs }: { ecr: ECRClient; ecs: ECSClient; logs: CloudWatchLogsClient },
  endpoint: string,
  seeded: { repositoryUri: string },
): Promise<RolloutWorld> {
  for (const tag of [ROLLOUT.goodTag, ROLLOUT.brokenTag]) {
    await ecr.send(new PutImageCommand({ repositoryName: REFERENCE.repository, imageManifest: fakeManifest(`${REFERENCE.repository}-${tag}`), imageTag: tag }));
  }
  await postLocal(endpoint, '/_local/ecs/behaviours', { image: `${seeded.repositoryUri}:${ROLLOUT.brokenTag}`, behaviour: 'crash' });
  // The secret the reference task definition reads (by partial ARN, as ECS allows): a task of a pushed image runs
  // as a real container only once its secrets resolve.
  await awsJson(endpoint, 'secretsmanager', 'secretsmanager.CreateSecret', { Name: REFERENCE.secretName, SecretString: 'demo-jwt-signing-key' });

  await logs.send(new CreateLogGroupCommand({ logGroupName: ROLLOUT.blueGreenLogGroup }));
  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: ROLLOUT.blueGreenFamily,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
      executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      containerDefinitions: [
        {
          name: REFERENCE.container,
          image: `${seeded.repositoryUri}:v1.0.0`,
          essential: true,
          portMappings: [{ containerPort: 8000, protocol: 'tcp' }],
          healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8000/healthz || exit 1'], interval: 30, timeout: 5, retries: 3, startPeriod: 10 },
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': ROLLOUT.blueGreenLogGroup, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' } },
        },
      ],
    }),
  );
  const blueGreenTaskDefinitionArn = td.taskDefinition?.taskDefinitionArn ?? '';
  await ecs.send(
    new CreateServiceCommand({
      cluster: REFERENCE.cluster,
      serviceName: ROLLOUT.blueGreenService,
      taskDefinition: blueGreenTaskDefinitionArn,
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'], assignPublicIp: 'DISABLED' } },
      loadBalancers: await blueGreenLoadBalancers(endpoint, 'mcp-bluegreen'),
      deploymentConfiguration: {
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: ROLLOUT.bakeTimeInMinutes,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: [ROLLOUT.pauseStage], timeoutConfiguration: { timeoutInMinutes: 30, action: 'ROLLBACK' } }],
      },
    }),
  );
  return { blueGreenTaskDefinitionArn };
}
