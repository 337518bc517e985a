/**
 * The AWS calls a deploy makes besides reading ECS (src/aws/ecs.ts): register a revision, update the
 * service, list and describe the revisions to roll back to, read an image's platform, and list the
 * tagged images to choose from. Every call is cancellable.
 */
import {
  DeregisterTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  paginateListTaskDefinitions,
  type ContainerDefinition,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type Service,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { BatchGetImageCommand, GetDownloadUrlForLayerCommand, paginateDescribeImages, type ECRClient, type ImageDetail } from '@aws-sdk/client-ecr';
import { parseEcrRepositoryUri, parseImageReference, repositoryUriOf } from '../core/ecr/imageReference';
import { INDEX_MEDIA_TYPES, MANIFEST_MEDIA_TYPES, platformOfConfig, platformsInManifest, type ImagePlatformReading } from '../core/deploy/platform';
import { DeployError } from '../core/deploy/deployError';
import { describeTaskDefinition } from './ecs';
import type { CallOptions } from './ecr';

export type { ContainerDefinition, ImageDetail, Service, TaskDefinition };

/** Throttled registers tried in all: a throttled request was refused whole, so sending it again is safe. */
const REGISTER_THROTTLE_ATTEMPTS = 3;
const REGISTER_THROTTLE_BASE_MS = 500;

function isThrottled(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: { throttling?: boolean } } | undefined;
  return Boolean(e?.$retryable?.throttling) || /^(Throttling|ThrottlingException|TooManyRequestsException|RequestLimitExceeded|ThrottledException)$/.test(e?.name ?? '');
}

/**
 * Takes the SDK's retry away from RegisterTaskDefinition (a command-level middleware of the same name
 * overrides the client's): every resend after a lost answer, a reset or a 5xx may register one more
 * revision. Only throttling is retried here, since ECS refused that request whole; anything else goes
 * back to the use case, which looks for the revision the call may have registered before trying again.
 */
function sendOnceUnlessThrottled(command: RegisterTaskDefinitionCommand, signal: AbortSignal | undefined): void {
  command.middlewareStack.add(
    (next) => async (args) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await next(args);
        } catch (error) {
          if (!isThrottled(error) || attempt >= REGISTER_THROTTLE_ATTEMPTS || signal?.aborted) throw error;
          const delay = REGISTER_THROTTLE_BASE_MS * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    },
    { step: 'finalizeRequest', priority: 'high', name: 'retryMiddleware', override: true, tags: ['RETRY'] },
  );
}

export async function registerTaskDefinition(ecs: ECSClient, input: RegisterTaskDefinitionCommandInput, options: CallOptions = {}): Promise<TaskDefinition> {
  const command = new RegisterTaskDefinitionCommand(input);
  sendOnceUnlessThrottled(command, options.signal);
  const out = await ecs.send(command, { abortSignal: options.signal });
  if (!out.taskDefinition?.taskDefinitionArn) throw new DeployError('RegisterTaskDefinition returned no task definition.');
  return out.taskDefinition;
}

/** Marks a revision INACTIVE: what a deploy does with the revision it registered for an update that did not happen. */
export async function deregisterTaskDefinition(ecs: ECSClient, taskDefinitionArn: string, options: CallOptions = {}): Promise<void> {
  await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }), { abortSignal: options.signal });
}

export interface ServiceUpdate {
  cluster: string;
  service: string;
  taskDefinition: string;
  forceNewDeployment?: boolean;
}

export async function updateService(ecs: ECSClient, update: ServiceUpdate, options: CallOptions = {}): Promise<Service> {
  const out = await ecs.send(
    new UpdateServiceCommand({ cluster: update.cluster, service: update.service, taskDefinition: update.taskDefinition, forceNewDeployment: update.forceNewDeployment ?? false }),
    { abortSignal: options.signal },
  );
  if (!out.service) throw new DeployError('UpdateService returned no service.');
  return out.service;
}

/** Every ACTIVE revision ARN of a family (ordering is the caller's: endpoints differ in how they sort). */
export async function listRevisionArns(ecs: ECSClient, family: string, options: CallOptions = {}): Promise<string[]> {
  const arns: string[] = [];
  const input = { familyPrefix: family, status: 'ACTIVE', sort: 'DESC' } as const;
  for await (const page of paginateListTaskDefinitions({ client: ecs, pageSize: 100, stopOnSameToken: true }, { ...input }, { abortSignal: options.signal })) {
    arns.push(...(page.taskDefinitionArns ?? []));
  }
  return arns;
}

export async function describeRevisions(ecs: ECSClient, arns: readonly string[], options: CallOptions = {}): Promise<TaskDefinition[]> {
  const described: TaskDefinition[] = [];
  for (const arn of arns) described.push((await describeTaskDefinition(ecs, arn, options)).taskDefinition);
  return described;
}

export interface PlatformOptions extends CallOptions {
  /** The region the ECR client talks to: an image in another region is not looked up there. */
  region?: string;
  /** Reads a blob from its presigned URL; the default is the global fetch. */
  fetchBlob?: (url: string, signal?: AbortSignal) => Promise<string>;
}

async function fetchText(url: string, signal?: AbortSignal): Promise<string> {
  const res = await fetch(url, { signal });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.text();
}

/** A short, URL-free account of why a call failed. */
function whyFailed(operation: string, error: unknown): string {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status) return `${operation} answered HTTP ${status}${status >= 500 ? ': the endpoint may not implement it' : ''}`;
  return `${operation}: ${error instanceof Error ? error.message.split('\n')[0].slice(0, 160) : String(error)}`;
}

/**
 * The platforms an ECR image provides: from its index, else from its config blob. Fails when the image
 * does not exist (a deploy must not register a revision that points nowhere); "unknown" when the
 * platform cannot be read, with the reason.
 */
export async function readImagePlatform(ecr: ECRClient, image: string, options: PlatformOptions = {}): Promise<ImagePlatformReading> {
  const repository = parseEcrRepositoryUri(repositoryUriOf(image));
  if (!repository) return { kind: 'unknown', reason: `${repositoryUriOf(image)} is not an ECR repository` };
  if (options.region && repository.region !== options.region) {
    return { kind: 'unknown', reason: `the image is in ${repository.region}, the connection in ${options.region}` };
  }
  const ref = parseImageReference(image);
  const imageId = ref.digest ? { imageDigest: ref.digest } : { imageTag: ref.tag ?? 'latest' };
  const out = await ecr.send(
    new BatchGetImageCommand({ registryId: repository.registryId, repositoryName: repository.repositoryName, imageIds: [imageId], acceptedMediaTypes: [...INDEX_MEDIA_TYPES, ...MANIFEST_MEDIA_TYPES] }),
    { abortSignal: options.signal },
  );
  const found = out.images?.[0];
  if (!found?.imageManifest) {
    const failure = out.failures?.[0];
    throw new DeployError(`Image ${image} is not in ECR (${failure?.failureCode ?? 'not found'}${failure?.failureReason ? `: ${failure.failureReason}` : ''}).`);
  }
  const manifest = platformsInManifest(found.imageManifest, found.imageManifestMediaType);
  if (manifest.kind === 'index') return { kind: 'known', platforms: manifest.platforms, source: 'index' };
  if (manifest.kind === 'unreadable') return { kind: 'unknown', reason: manifest.reason };
  let url;
  try {
    url = await ecr.send(
      new GetDownloadUrlForLayerCommand({ registryId: repository.registryId, repositoryName: repository.repositoryName, layerDigest: manifest.configDigest }),
      { abortSignal: options.signal },
    );
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { kind: 'unknown', reason: whyFailed('GetDownloadUrlForLayer', error) };
  }
  if (!url.downloadUrl) return { kind: 'unknown', reason: 'GetDownloadUrlForLayer returned no URL for the image config' };
  try {
    const platform = platformOfConfig(await (options.fetchBlob ?? fetchText)(url.downloadUrl, options.signal));
    return platform ? { kind: 'known', platforms: [platform], source: 'config' } : { kind: 'unknown', reason: 'the image config names no os/architecture' };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    // The presigned URL is a credential of sorts: the reason quotes the error, never the URL.
    return { kind: 'unknown', reason: whyFailed('downloading the image config', error) };
  }
}

/** Tagged images read for a picker: enough for any real choice, bounded for repositories with thousands. */
export const PICKER_IMAGE_LIMIT = 3000;

/** The tagged images of a repository, newest push first, for choosing what to deploy. */
export async function taggedImages(ecr: ECRClient, repository: { registryId?: string; repositoryName: string }, options: CallOptions = {}): Promise<ImageDetail[]> {
  const images: ImageDetail[] = [];
  const input = { registryId: repository.registryId, repositoryName: repository.repositoryName, filter: { tagStatus: 'TAGGED' as const } };
  for await (const page of paginateDescribeImages({ client: ecr, pageSize: 1000, stopOnSameToken: true }, input, { abortSignal: options.signal })) {
    images.push(...(page.imageDetails ?? []));
    if (images.length >= PICKER_IMAGE_LIMIT) break;
  }
  return images.sort((a, b) => (b.imagePushedAt?.getTime() ?? 0) - (a.imagePushedAt?.getTime() ?? 0));
}
