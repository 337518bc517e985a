/**
 * Starts the project's local AWS (`node scripts/local-aws.mjs --empty --time-scale F`: moto behind the ECS
 * rollout engine) on a free port for a test file, with SDK clients pointed at it, and the behaviour endpoints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { freePort, TEST_AWS_ENV } from './moto';

export type Behaviour = 'healthy' | 'crash' | 'unhealthy' | 'cannot-pull';

export interface LocalAws {
  endpoint: string;
  /** The local-aws process, to check that it (and the moto it started) stops. */
  child: ChildProcess;
  ecs: ECSClient;
  ecr: ECRClient;
  setBehaviour(image: string, behaviour: Behaviour): Promise<{ image: string; behaviour: Behaviour; imageDigest?: string }>;
  setHookResult(hookTargetArn: string, result: 'SUCCEEDED' | 'FAILED'): Promise<void>;
  reset(): Promise<void>;
  /** Real containers on this Docker engine for images in this registry (`POST /_local/docker`); returns the label its containers carry. */
  attachDocker(dockerHost: string, registry: string): Promise<{ label: string }>;
  stop(): Promise<void>;
  /** Output of the process so far (for failure messages). */
  output(): string;
}

const SCRIPT = path.resolve(__dirname, '..', '..', '..', 'scripts', 'local-aws.mjs');

async function post(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

export async function startLocalAws({ timeScale = 0.02, args = ['--empty'] }: { timeScale?: number; args?: string[] } = {}): Promise<LocalAws> {
  Object.assign(process.env, TEST_AWS_ENV);
  const port = await freePort();
  const child = spawn(process.execPath, [SCRIPT, ...args, '--time-scale', String(timeScale), '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local-aws printed no endpoint within 30 s: ${log}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-8000);
      const m = /^endpoint (http:\/\/127\.0\.0\.1:\d+)$/m.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-8000);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local-aws exited (${code}) before it was ready: ${log}`));
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  const ecs = new ECSClient(config);
  const ecr = new ECRClient(config);
  return {
    endpoint,
    child,
    ecs,
    ecr,
    setBehaviour: (image, behaviour) => post(`${endpoint}/_local/ecs/behaviours`, { image, behaviour }) as Promise<{ image: string; behaviour: Behaviour; imageDigest?: string }>,
    async setHookResult(hookTargetArn, result) {
      await post(`${endpoint}/_local/ecs/hooks`, { hookTargetArn, result });
    },
    async reset() {
      await post(`${endpoint}/_local/reset`, {});
    },
    async attachDocker(dockerHost, registry) {
      const out = (await post(`${endpoint}/_local/docker`, { dockerHost, registry })) as { docker: { label: string } };
      return { label: out.docker.label };
    },
    output: () => log,
    stop() {
      ecs.destroy();
      ecr.destroy();
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

/** Polls `read` until `done` holds for its result; fails with the last result after `timeoutMs`. */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, { timeoutMs = 20_000, intervalMs = 15, what = 'condition' } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last, null, 1)?.slice(0, 3000)}`);
}

/** A cluster and task definition revisions of one family in the local AWS, for engine tests. */
export async function registerRevision(ecs: ECSClient, family: string, image: string, { healthCheck = false } = {}): Promise<string> {
  const out = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'app',
          image,
          essential: true,
          portMappings: [{ containerPort: 8000, protocol: 'tcp' }],
          ...(healthCheck ? { healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8000/healthz || exit 1'], interval: 10, timeout: 5, retries: 3, startPeriod: 0 } } : {}),
        },
      ],
    }),
  );
  return out.taskDefinition!.taskDefinitionArn!;
}

export const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-12345678'], securityGroups: ['sg-12345678'], assignPublicIp: 'DISABLED' as const } };

/**
 * What ECS needs for BLUE_GREEN, LINEAR and CANARY: a target group behind a load balancer, an alternate target group
 * and listener rules, made in moto's ELBv2 by the local AWS (`POST /_local/elbv2/blue-green`).
 */
export async function blueGreenLoadBalancers(aws: LocalAws, name = 'web') {
  const made = (await post(`${aws.endpoint}/_local/elbv2/blue-green`, { name })) as { targetGroupArn: string; alternateTargetGroupArn: string; productionListenerRule: string; testListenerRule: string };
  return [
    {
      targetGroupArn: made.targetGroupArn,
      containerName: 'app',
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
