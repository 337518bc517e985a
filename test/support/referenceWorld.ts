/**
 * The reference workflow's world (DESIGN.md), seeded into an AWS endpoint through the SDK: used by the
 * integration and e2e tests and by the demo sandbox, so all three see the same account.
 */
import { createHash } from 'node:crypto';
import { CreateRepositoryCommand, PutImageCommand, PutLifecyclePolicyCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { IAMClient } from '@aws-sdk/client-iam';
import { seedExecutionRole } from './executionRole';
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

export const REFERENCE = {
  repository: 'quilt-mcp-server',
  /** Tags of the reference convention; `latest` and `v1.0.0` name the same image. */
  images: [
    ['latest', 'v1.0.0'],
    ['jwt-auth-v1.0.0'],
    ['improved-error-handling'],
    ['auto-role-assumption'],
    ['dev'],
    ['pr-123'],
    ['commit-abc123'],
  ],
  cluster: 'sales-prod',
  service: 'sales-prod-mcp-server-production',
  taskFamily: 'mcp-server-production',
  container: 'mcp-server',
  logGroup: '/ecs/mcp-server-production',
  logStreamPrefix: 'ecs',
  /** The Secrets Manager secret the task definition reads as JWT_SECRET. */
  secretName: 'mcp-jwt',
} as const;

export const REFERENCE_LIFECYCLE_POLICY = {
  rules: [
    { rulePriority: 1, description: 'Expire untagged images older than 7 days', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } },
    { rulePriority: 2, description: 'Expire dev- images older than 14 days', selection: { tagStatus: 'tagged', tagPrefixList: ['dev-'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } },
    { rulePriority: 3, description: 'Expire pr- images older than 3 days', selection: { tagStatus: 'tagged', tagPrefixList: ['pr-'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 3 }, action: { type: 'expire' } },
  ],
};

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** A Docker v2 manifest with distinct layers, as moto wants it for put_image. */
export function fakeManifest(seed: string, layers = 2): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 1500, digest: sha256(`config-${seed}`) },
    layers: Array.from({ length: layers }, (_, i) => ({
      mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
      size: 1_000_000 * (i + 1) + seed.length,
      digest: sha256(`layer-${seed}-${i}`),
    })),
  });
}

export interface SeedClients {
  ecr: ECRClient;
  ecs: ECSClient;
  logs: CloudWatchLogsClient;
  /** When given, the task execution role is made too (test/support/executionRole.ts). */
  iam?: IAMClient;
}

export interface SeededWorld {
  repositoryUri: string;
  taskDefinitionArn: string;
}

export async function seedReferenceWorld({ ecr, ecs, logs, iam }: SeedClients): Promise<SeededWorld> {
  const repo = await ecr.send(
    new CreateRepositoryCommand({ repositoryName: REFERENCE.repository, imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: 'MUTABLE' }),
  );
  const repositoryUri = repo.repository?.repositoryUri ?? '';
  for (const [i, tags] of REFERENCE.images.entries()) {
    const manifest = fakeManifest(`${REFERENCE.repository}-${i}`);
    for (const tag of tags) {
      await ecr.send(new PutImageCommand({ repositoryName: REFERENCE.repository, imageManifest: manifest, imageTag: tag }));
    }
  }
  await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: REFERENCE.repository, lifecyclePolicyText: JSON.stringify(REFERENCE_LIFECYCLE_POLICY) }));

  if (iam) await seedExecutionRole(iam, REFERENCE.secretName);
  await ecs.send(new CreateClusterCommand({ clusterName: REFERENCE.cluster }));
  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: REFERENCE.taskFamily,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
      executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      containerDefinitions: [
        {
          name: REFERENCE.container,
          image: `${repositoryUri}:v1.0.0`,
          essential: true,
          portMappings: [{ containerPort: 8000, protocol: 'tcp' }],
          environment: [{ name: 'LOG_LEVEL', value: 'info' }],
          secrets: [{ name: 'JWT_SECRET', valueFrom: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${REFERENCE.secretName}` }],
          healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8000/healthz || exit 1'], interval: 30, timeout: 5, retries: 3, startPeriod: 10 },
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': REFERENCE.logGroup, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': REFERENCE.logStreamPrefix },
          },
        },
      ],
      tags: [{ key: 'team', value: 'sales' }],
    }),
  );
  const taskDefinitionArn = td.taskDefinition?.taskDefinitionArn ?? '';
  await ecs.send(
    new CreateServiceCommand({
      cluster: REFERENCE.cluster,
      serviceName: REFERENCE.service,
      taskDefinition: taskDefinitionArn,
      desiredCount: 2,
      launchType: 'FARGATE',
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 200, minimumHealthyPercent: 100 },
    }),
  );

  await logs.send(new CreateLogGroupCommand({ logGroupName: REFERENCE.logGroup }));
  const stream = `${REFERENCE.logStreamPrefix}/${REFERENCE.container}/0123456789abcdef`;
  await logs.send(new CreateLogStreamCommand({ logGroupName: REFERENCE.logGroup, logStreamName: stream }));
  const now = Date.now();
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: REFERENCE.logGroup,
      logStreamName: stream,
      logEvents: [
        'INFO Starting quilt-mcp-server v1.0.0',
        'INFO Listening on 0.0.0.0:8000',
        'INFO GET /healthz 200 1ms',
      ].map((message, i) => ({ timestamp: now - 60_000 + i * 1000, message })),
    }),
  );
  return { repositoryUri, taskDefinitionArn };
}
