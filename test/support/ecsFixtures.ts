/**
 * DescribeTaskDefinition / DescribeServices / DescribeTasks answers in the shape the SDK returns them
 * (timestamps parsed into Date), modelled on real responses: the read-only fields ECS adds, sidecars,
 * secrets, health checks, FireLens, EFS volumes, EC2 bridge networking.
 */
import { createHash } from 'node:crypto';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { Deployment, ECSClient, RegisterTaskDefinitionCommandInput, Service, ServiceEvent, Task } from '@aws-sdk/client-ecs';
import type { DeployAccess, DeployEdge } from '../../src/app/deploy/access';
import type { ImagePlatformReading } from '../../src/core/deploy/platform';
import type { DescribedTaskDefinition as Described } from '../../src/core/deploy/taskDefinition';

export const ACCOUNT = '123456789012';
export const ECR_HOST = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
export const APP_REPOSITORY_URI = `${ECR_HOST}/quilt-mcp-server`;

/** Fargate, X86_64, an app with two sidecars (Datadog agent, FireLens router), secrets, health checks, tags. */
export function fargateWithSidecars(): Described {
  return {
    taskDefinition: {
      taskDefinitionArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/mcp-server-production:7`,
      containerDefinitions: [
        {
          name: 'mcp-server',
          image: `${APP_REPOSITORY_URI}:v1.0.0`,
          cpu: 0,
          portMappings: [{ containerPort: 8000, hostPort: 8000, protocol: 'tcp', name: 'http', appProtocol: 'http' }],
          essential: true,
          environment: [
            { name: 'LOG_LEVEL', value: 'info' },
            { name: 'QUILT_CATALOG_URL', value: 'https://catalog.example.com' },
          ],
          environmentFiles: [{ value: 'arn:aws:s3:::sales-config/mcp.env', type: 's3' }],
          mountPoints: [{ sourceVolume: 'shared-cache', containerPath: '/var/cache/mcp', readOnly: false }],
          volumesFrom: [],
          secrets: [
            { name: 'JWT_SECRET', valueFrom: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:mcp-jwt-AbCdEf` },
            { name: 'DB_PASSWORD', valueFrom: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/sales/db-password` },
          ],
          dependsOn: [{ containerName: 'log-router', condition: 'START' }],
          linuxParameters: { initProcessEnabled: true },
          ulimits: [{ name: 'nofile', softLimit: 65536, hardLimit: 65536 }],
          logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'cloudwatch', region: 'us-east-1', log_group_name: '/ecs/mcp-server-production', log_stream_prefix: 'ecs/' } },
          healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8000/healthz || exit 1'], interval: 30, timeout: 5, retries: 3, startPeriod: 10 },
          systemControls: [],
        },
        {
          name: 'datadog-agent',
          image: 'public.ecr.aws/datadog/agent:7.52.0',
          cpu: 64,
          memoryReservation: 256,
          portMappings: [{ containerPort: 8126, hostPort: 8126, protocol: 'tcp' }],
          essential: false,
          environment: [
            { name: 'ECS_FARGATE', value: 'true' },
            { name: 'DD_APM_ENABLED', value: 'true' },
          ],
          mountPoints: [],
          volumesFrom: [],
          secrets: [{ name: 'DD_API_KEY', valueFrom: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:datadog-api-key-XyZ123` }],
          healthCheck: { command: ['CMD-SHELL', 'agent health'], interval: 30, timeout: 5, retries: 3, startPeriod: 15 },
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/datadog', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'dd' } },
          systemControls: [],
        },
        {
          name: 'log-router',
          image: '906394416424.dkr.ecr.us-east-1.amazonaws.com/aws-for-fluent-bit:stable',
          cpu: 0,
          memoryReservation: 51,
          portMappings: [],
          essential: true,
          environment: [],
          mountPoints: [],
          volumesFrom: [],
          user: '0',
          firelensConfiguration: { type: 'fluentbit', options: { 'enable-ecs-log-metadata': 'true' } },
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/firelens', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'firelens' } },
          systemControls: [],
        },
      ],
      family: 'mcp-server-production',
      taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/mcp-server-task`,
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
      networkMode: 'awsvpc',
      revision: 7,
      volumes: [{ name: 'shared-cache', efsVolumeConfiguration: { fileSystemId: 'fs-0a1b2c3d', rootDirectory: '/', transitEncryption: 'ENABLED', authorizationConfig: { accessPointId: 'fsap-0123456789abcdef0', iam: 'ENABLED' } } }],
      status: 'ACTIVE',
      requiresAttributes: [
        { name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' },
        { name: 'ecs.capability.execution-role-awslogs' },
        { name: 'ecs.capability.efsAuth' },
        { name: 'com.amazonaws.ecs.capability.ecr-auth' },
        { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.19' },
        { name: 'ecs.capability.secrets.asm.environment-variables' },
        { name: 'ecs.capability.secrets.ssm.environment-variables' },
        { name: 'ecs.capability.container-health-check' },
        { name: 'ecs.capability.firelens.fluentbit' },
        { name: 'ecs.capability.efs' },
        { name: 'com.amazonaws.ecs.capability.task-iam-role' },
        { name: 'ecs.capability.container-ordering' },
        { name: 'ecs.capability.task-eni' },
        { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.29' },
      ],
      placementConstraints: [],
      compatibilities: ['EC2', 'FARGATE'],
      runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
      requiresCompatibilities: ['FARGATE'],
      cpu: '1024',
      memory: '2048',
      ephemeralStorage: { sizeInGiB: 30 },
      registeredAt: new Date('2026-11-20T09:14:03.512Z'),
      registeredBy: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci-pipeline`,
      enableFaultInjection: false,
    },
    tags: [
      { key: 'team', value: 'sales' },
      { key: 'cost-center', value: 'cc-1234' },
    ],
  };
}

/** EC2 launch type, bridge networking, no runtimePlatform, host volume, placement constraint, no tags. */
export function ec2Bridge(): Described {
  return {
    taskDefinition: {
      taskDefinitionArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/reports-worker:42`,
      containerDefinitions: [
        {
          name: 'worker',
          image: `${ECR_HOST}/reports-worker:2024.11.3`,
          cpu: 512,
          memory: 1024,
          memoryReservation: 768,
          links: ['redis:cache'],
          portMappings: [{ containerPort: 9000, hostPort: 0, protocol: 'tcp' }],
          essential: true,
          command: ['python', '-m', 'worker', '--queue', 'reports'],
          environment: [{ name: 'REDIS_URL', value: 'redis://cache:6379/0' }],
          mountPoints: [{ sourceVolume: 'scratch', containerPath: '/scratch' }],
          volumesFrom: [],
          secrets: [{ name: 'API_TOKEN', valueFrom: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/reports/api-token` }],
          dockerLabels: { 'com.example.team': 'reports' },
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/reports-worker', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'worker' } },
          stopTimeout: 120,
          systemControls: [],
        },
        {
          name: 'redis',
          image: 'redis:7-alpine',
          cpu: 128,
          memory: 256,
          portMappings: [],
          essential: true,
          environment: [],
          mountPoints: [],
          volumesFrom: [],
          healthCheck: { command: ['CMD', 'redis-cli', 'ping'], interval: 10, timeout: 2, retries: 3 },
          systemControls: [],
        },
      ],
      family: 'reports-worker',
      networkMode: 'bridge',
      revision: 42,
      volumes: [{ name: 'scratch', host: { sourcePath: '/mnt/scratch' } }],
      status: 'ACTIVE',
      requiresAttributes: [
        { name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' },
        { name: 'com.amazonaws.ecs.capability.ecr-auth' },
        { name: 'ecs.capability.secrets.ssm.environment-variables' },
        { name: 'ecs.capability.container-health-check' },
        { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.19' },
        { name: 'ecs.capability.instance-type', value: 'm6i.large', targetType: 'container-instance' },
      ],
      placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ m6i.*' }],
      compatibilities: ['EXTERNAL', 'EC2'],
      requiresCompatibilities: ['EC2'],
      registeredAt: new Date('2024-11-03T17:40:00.000Z'),
      registeredBy: `arn:aws:iam::${ACCOUNT}:user/ops`,
    },
    tags: [],
  };
}

/** A CloudFormation-made revision: AWS-managed tags beside the user's, and deregistered (INACTIVE). */
export function cloudFormationInactive(): Described {
  const base = fargateWithSidecars();
  return {
    taskDefinition: {
      ...base.taskDefinition,
      taskDefinitionArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/mcp-server-production:6`,
      revision: 6,
      status: 'INACTIVE',
      deregisteredAt: new Date('2026-11-21T10:00:00.000Z'),
    },
    tags: [
      { key: 'aws:cloudformation:stack-name', value: 'sales-prod' },
      { key: 'aws:cloudformation:logical-id', value: 'McpTaskDefinition' },
      { key: 'team', value: 'sales' },
    ],
  };
}

/** Freezes a value deeply, so a test proves the rewrite never mutates what DescribeTaskDefinition returned. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

// ---- DescribeServices / DescribeTasks snapshots for the rollout judgement ----

export const CLUSTER_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/sales-prod`;
export const SERVICE_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/sales-prod/sales-prod-mcp-server-production`;
export const OLD_TD = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/mcp-server-production:7`;
export const NEW_TD = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/mcp-server-production:8`;
export const OLD_DEPLOYMENT = 'ecs-svc/1111111111111111111';
export const NEW_DEPLOYMENT = 'ecs-svc/2222222222222222222';

export function deployment(overrides: Partial<Deployment> & Pick<Deployment, 'id' | 'status' | 'taskDefinition'>): Deployment {
  return {
    desiredCount: 2,
    pendingCount: 0,
    runningCount: 0,
    failedTasks: 0,
    createdAt: new Date('2026-11-27T12:00:00.000Z'),
    updatedAt: new Date('2026-11-27T12:00:00.000Z'),
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    platformFamily: 'Linux',
    networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0aa11bb22cc33dd44'], securityGroups: ['sg-0123456789abcdef0'], assignPublicIp: 'DISABLED' } },
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: `ECS deployment ${overrides.id} in progress.`,
    ...overrides,
  };
}

export function event(at: number, message: string): ServiceEvent {
  return { id: `ev-${at}-${message.length}`, createdAt: new Date(at), message };
}

export function service(deployments: Deployment[], overrides: Partial<Service> = {}): Service {
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  return {
    serviceArn: SERVICE_ARN,
    serviceName: 'sales-prod-mcp-server-production',
    clusterArn: CLUSTER_ARN,
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: deployments.reduce((n, d) => n + (d.runningCount ?? 0), 0),
    pendingCount: deployments.reduce((n, d) => n + (d.pendingCount ?? 0), 0),
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    taskDefinition: primary?.taskDefinition,
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 200, minimumHealthyPercent: 100 },
    deployments,
    events: [],
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: 'ECS' },
    ...overrides,
  };
}

let taskCounter = 0;
export function task(deploymentId: string, lastStatus: 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'STOPPED', health: Record<string, 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN'> = {}, overrides: Partial<Task> = {}): Task {
  // Real task ids are 32 hex digits; derived from a counter so runs are repeatable.
  const id = createHash('md5').update(String(++taskCounter)).digest('hex');
  return {
    taskArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task/sales-prod/${id}`,
    clusterArn: CLUSTER_ARN,
    startedBy: deploymentId,
    group: 'service:sales-prod-mcp-server-production',
    lastStatus,
    desiredStatus: lastStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING',
    launchType: 'FARGATE',
    healthStatus: Object.values(health).includes('UNHEALTHY') ? 'UNHEALTHY' : Object.values(health).every((h) => h === 'HEALTHY') && Object.keys(health).length ? 'HEALTHY' : 'UNKNOWN',
    containers: Object.entries(health).map(([name, healthStatus]) => ({ name, healthStatus, lastStatus })),
    ...overrides,
  };
}

// ---- A fake of the deploy's AWS edge, for the application layer's tests ----

export interface EdgeScript {
  /** DescribeServices answers in turn; the last one repeats. */
  services: Array<Service | undefined>;
  /** UpdateService answers in turn; the last one repeats. */
  updates?: Service[];
  /** Tasks for the n-th DescribeServices answer (0-based), or the same tasks for every poll. */
  tasks?: Task[] | ((poll: number) => Task[]);
  /** DescribeTaskDefinition by ARN; the default is fargateWithSidecars() named by the ARN asked for. */
  taskDefinitions?: Record<string, Described>;
  /** ListTaskDefinitions' ACTIVE revisions of the family. */
  revisions?: string[];
  platform?: ImagePlatformReading;
  /** Called at each DescribeServices, with its 0-based number. */
  onDescribeService?: (n: number) => void;
}

export interface EdgeCall {
  op: string;
  args: unknown[];
}

/** The amd64 reading of an image index: what a linux/amd64 build pushes. */
export const AMD64: ImagePlatformReading = { kind: 'known', platforms: [{ os: 'linux', architecture: 'amd64' }], source: 'index' };
/** An arm64-only image (an Apple Silicon build): wrong for an X86_64 task definition. */
export const ARM64: ImagePlatformReading = { kind: 'known', platforms: [{ os: 'linux', architecture: 'arm64' }], source: 'index' };

/**
 * A scripted deploy edge (`DeployEdge`): answers from `script`, records every call in `calls`, sends
 * nothing anywhere. Registering returns the input as revision 8 (NEW_TD).
 */
export function fakeDeployAccess(script: EdgeScript): { access: DeployAccess; calls: EdgeCall[]; ops: () => string[] } {
  const calls: EdgeCall[] = [];
  let described = -1;
  let updated = 0;
  const record = (op: string, ...args: unknown[]) => calls.push({ op, args });
  const currentService = () => script.services[Math.min(Math.max(described, 0), script.services.length - 1)];
  const taskDefinition = (arn: string): Described => {
    const known = script.taskDefinitions?.[arn];
    if (known) return known;
    const td = fargateWithSidecars();
    td.taskDefinition.taskDefinitionArn = arn;
    td.taskDefinition.revision = Number(/:(\d+)$/.exec(arn)?.[1] ?? 7);
    return td;
  };
  const edge: DeployEdge = {
    ecs: {
      async describeService(_ecs, cluster, name) {
        record('describeService', cluster, name);
        described++;
        script.onDescribeService?.(described);
        return currentService();
      },
      async requireService(_ecs, cluster, name) {
        record('requireService', cluster, name);
        described++;
        const found = currentService();
        if (!found) throw Object.assign(new Error(`Service "${name}" does not exist in cluster "${cluster}".`), { name: 'DeployError', phrased: true });
        return found;
      },
      async describeTaskDefinition(_ecs, arn) {
        record('describeTaskDefinition', arn);
        return taskDefinition(arn);
      },
      async listServiceTasks(_ecs, cluster, name, options) {
        record('listServiceTasks', cluster, name, options?.maxPerStatus);
        const tasks = script.tasks;
        return typeof tasks === 'function' ? tasks(described) : (tasks ?? []);
      },
    },
    deploy: {
      async registerTaskDefinition(_ecs, input: RegisterTaskDefinitionCommandInput) {
        record('registerTaskDefinition', input);
        return { ...input, taskDefinitionArn: NEW_TD, revision: 8, status: 'ACTIVE' } as never;
      },
      async deregisterTaskDefinition(_ecs, arn) {
        record('deregisterTaskDefinition', arn);
      },
      async updateService(_ecs, update) {
        record('updateService', update);
        const updates = script.updates ?? [];
        return updates[Math.min(updated++, updates.length - 1)] ?? service([]);
      },
      async listRevisionArns(_ecs, family) {
        record('listRevisionArns', family);
        return [...(script.revisions ?? [])];
      },
      async describeRevisions(_ecs, arns) {
        record('describeRevisions', [...arns]);
        return arns.map((arn) => taskDefinition(arn).taskDefinition);
      },
      async readImagePlatform(_ecr, image) {
        record('readImagePlatform', image);
        return script.platform ?? AMD64;
      },
    },
  };
  const clients = { ecs: {} as ECSClient, ecr: {} as ECRClient, connection: { region: 'us-east-1' } as DeployAccess['clients']['connection'] };
  return { access: { edge, clients }, calls, ops: () => calls.map((c) => c.op) };
}
