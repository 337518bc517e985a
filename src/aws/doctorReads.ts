/**
 * The ECR, ECS and CloudWatch Logs reads Diagnose Service makes that no other feature needs: an image by tag or
 * digest, a repository's policy, a service's stopped tasks and the last lines of one log stream. Read-only,
 * cancellable; "not there" is an answer (undefined), not an error.
 */
import { DescribeImagesCommand, GetRepositoryPolicyCommand, type ECRClient, type ImageDetail } from '@aws-sdk/client-ecr';
import { DescribeTasksCommand, paginateListTasks, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { GetLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { chunk } from '../core/async/batches';
import { isErrorNamed } from '../core/errors/named';
import type { CallOptions } from './ecr';

export type ImageLookup = { kind: 'found'; image: ImageDetail } | { kind: 'no-image' } | { kind: 'no-repository' };

/** One image of a repository by tag or digest: DescribeImages with its id. */
export async function lookUpImage(ecr: ECRClient, repository: { registryId?: string; repositoryName: string }, imageId: { imageTag?: string; imageDigest?: string }, options: CallOptions = {}): Promise<ImageLookup> {
  try {
    const out = await ecr.send(new DescribeImagesCommand({ registryId: repository.registryId, repositoryName: repository.repositoryName, imageIds: [imageId] }), { abortSignal: options.signal });
    const image = out.imageDetails?.[0];
    return image ? { kind: 'found', image } : { kind: 'no-image' };
  } catch (error) {
    if (isErrorNamed(error, 'ImageNotFoundException')) return { kind: 'no-image' };
    if (isErrorNamed(error, 'RepositoryNotFoundException')) return { kind: 'no-repository' };
    throw error;
  }
}

/** The repository's policy text, or undefined when it has none (RepositoryPolicyNotFoundException). */
export async function getRepositoryPolicy(ecr: ECRClient, repository: { registryId?: string; repositoryName: string }, options: CallOptions = {}): Promise<string | undefined> {
  try {
    const out = await ecr.send(new GetRepositoryPolicyCommand({ registryId: repository.registryId, repositoryName: repository.repositoryName }), { abortSignal: options.signal });
    return out.policyText;
  } catch (error) {
    if (isErrorNamed(error, 'RepositoryPolicyNotFoundException')) return undefined;
    throw error;
  }
}

/** The service's stopped tasks (ECS keeps them about an hour), newest stop first, at most `max`. */
export async function listStoppedTasks(ecs: ECSClient, cluster: string, serviceName: string, options: CallOptions & { max?: number } = {}): Promise<Task[]> {
  const max = options.max ?? 100;
  const arns: string[] = [];
  const pages = paginateListTasks({ client: ecs, pageSize: Math.min(100, max), stopOnSameToken: true }, { cluster, serviceName, desiredStatus: 'STOPPED' }, { abortSignal: options.signal });
  for await (const page of pages) {
    arns.push(...(page.taskArns ?? []));
    if (arns.length >= max) break;
  }
  const tasks: Task[] = [];
  // DescribeTasks takes at most 100 tasks per call.
  for (const batch of chunk(arns.slice(0, max), 100)) {
    const out = await ecs.send(new DescribeTasksCommand({ cluster, tasks: batch }), { abortSignal: options.signal });
    tasks.push(...(out.tasks ?? []));
  }
  const stoppedAt = (t: Task) => (t.stoppedAt ?? t.stoppingAt ?? t.createdAt)?.getTime() ?? 0;
  return tasks.sort((a, b) => stoppedAt(b) - stoppedAt(a));
}

/** The last `limit` messages of one log stream, oldest first; undefined when the group or stream does not exist. */
export async function lastLogMessages(logs: CloudWatchLogsClient, logGroupName: string, logStreamName: string, limit: number, options: CallOptions = {}): Promise<string[] | undefined> {
  try {
    const out = await logs.send(new GetLogEventsCommand({ logGroupName, logStreamName, limit, startFromHead: false }), { abortSignal: options.signal });
    return (out.events ?? []).map((e) => e.message ?? '').slice(-limit);
  } catch (error) {
    if (isErrorNamed(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
}
export { describeLogGroup } from './logGroups';
