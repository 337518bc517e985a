/**
 * ECS's ServiceDeployments API: the record of each deployment every strategy keeps (status, lifecycle
 * stage, hooks awaiting action), and the two ways a person acts on one: continue or roll back a paused
 * hook, stop (and roll back) a deployment. Local emulators may not have it: `unsupported` says so
 * instead of failing, and the follow loop then judges from DescribeServices as before.
 */
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  StopServiceDeploymentCommand,
  ListServiceDeploymentsCommand,
  type DeploymentLifecycleHookAction,
  type ECSClient,
  type ServiceDeployment,
  type ServiceDeploymentBrief,
  type ServiceRevision,
} from '@aws-sdk/client-ecs';
import { isErrorNamed } from '../core/errors/named';
import type { CallOptions } from './ecr';

export type { DeploymentLifecycleHookAction, ServiceDeployment, ServiceDeploymentBrief, ServiceRevision };

/** What an endpoint without the API answers: an unknown operation, or (moto) an HTML 500 page. */
export function isUnsupportedOperation(error: unknown): boolean {
  if (isErrorNamed(error, 'UnknownOperationException', 'InvalidAction', 'NotImplemented', 'NotImplementedException')) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  // An answer that is not JSON at all is never ECS speaking: the endpoint does not know the operation.
  return (status === 500 || status === 501 || status === 404) && isErrorNamed(error, 'SyntaxError', 'Error');
}

export type Supported<T> = { supported: true; value: T } | { supported: false };

async function supported<T>(call: () => Promise<T>): Promise<Supported<T>> {
  try {
    return { supported: true, value: await call() };
  } catch (error) {
    if (isUnsupportedOperation(error)) return { supported: false };
    throw error;
  }
}

/** The service's deployments created after `createdAfter` (newest first), every page. */
export function listServiceDeployments(ecs: ECSClient, cluster: string, service: string, options: CallOptions & { createdAfter?: Date } = {}): Promise<Supported<ServiceDeploymentBrief[]>> {
  return supported(async () => {
    // The SDK has no paginator for this operation: follow nextToken, and stop on one seen before.
    const all: ServiceDeploymentBrief[] = [];
    const seen = new Set<string>();
    let nextToken: string | undefined;
    do {
      const out = await ecs.send(
        new ListServiceDeploymentsCommand({ cluster, service, nextToken, maxResults: 20, ...(options.createdAfter ? { createdAt: { after: options.createdAfter } } : {}) }),
        { abortSignal: options.signal },
      );
      all.push(...(out.serviceDeployments ?? []));
      nextToken = out.nextToken && !seen.has(out.nextToken) ? out.nextToken : undefined;
      if (nextToken) seen.add(nextToken);
    } while (nextToken);
    return all.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
  });
}

/** One service deployment in full (stage, hooks, rollback); undefined when ECS does not know the ARN. */
export function describeServiceDeployment(ecs: ECSClient, serviceDeploymentArn: string, options: CallOptions = {}): Promise<Supported<ServiceDeployment | undefined>> {
  return supported(async () => {
    const out = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [serviceDeploymentArn] }), { abortSignal: options.signal });
    return out.serviceDeployments?.[0];
  });
}

/** Service revisions by ARN (at most 20 per call, as ECS takes them). */
export function describeServiceRevisions(ecs: ECSClient, serviceRevisionArns: readonly string[], options: CallOptions = {}): Promise<Supported<ServiceRevision[]>> {
  return supported(async () => {
    if (!serviceRevisionArns.length) return [];
    const out = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [...serviceRevisionArns].slice(0, 20) }), { abortSignal: options.signal });
    return out.serviceRevisions ?? [];
  });
}

/** Answers a PAUSE hook awaiting action: CONTINUE to the next stage, or ROLLBACK. */
export async function continueServiceDeployment(ecs: ECSClient, serviceDeploymentArn: string, hookId: string, action: DeploymentLifecycleHookAction, options: CallOptions = {}): Promise<void> {
  await ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn, hookId, action }), { abortSignal: options.signal });
}

/** Stops a deployment under way; with ROLLBACK (the default) ECS returns the service to the revision it ran before. */
export async function stopServiceDeployment(ecs: ECSClient, serviceDeploymentArn: string, stopType: 'ROLLBACK' | 'ABORT' = 'ROLLBACK', options: CallOptions = {}): Promise<void> {
  await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn, stopType }), { abortSignal: options.signal });
}
