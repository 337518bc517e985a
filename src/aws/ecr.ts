/** ECR: repositories, images, repository settings and lifecycle policies. Paginated and cancellable. */
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DeleteLifecyclePolicyCommand,
  DeleteRepositoryPolicyCommand,
  GetRepositoryPolicyCommand,
  SetRepositoryPolicyCommand,
  DeleteRepositoryCommand,
  DescribeImagesCommand,
  DescribeRegistryCommand,
  DescribeRepositoriesCommand,
  GetLifecyclePolicyCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
  paginateDescribeImages,
  paginateDescribeRepositories,
  type ECRClient,
  type ImageDetail,
  type ImageFailure,
  type ImageIdentifier,
  type Repository,
} from '@aws-sdk/client-ecr';
import { chunk, collectPages } from '../core/async/batches';
import { isErrorNamed } from '../core/errors/named';
import type { Page } from '../core/ecr/pagedListing';

export type { ImageDetail, Repository };

export interface CallOptions {
  signal?: AbortSignal;
}

interface PageOptions extends CallOptions {
  nextToken?: string;
  maxResults?: number;
}

/** ECR's largest page for DescribeRepositories and DescribeImages. */
export const MAX_PAGE_SIZE = 1000;

export async function listRepositoriesPage(ecr: ECRClient, options: PageOptions = {}): Promise<Page<Repository>> {
  const out = await ecr.send(
    new DescribeRepositoriesCommand({ nextToken: options.nextToken, maxResults: options.maxResults ?? MAX_PAGE_SIZE }),
    { abortSignal: options.signal },
  );
  return { items: out.repositories ?? [], nextToken: out.nextToken };
}

/** Every repository, every page (the SDK's paginator stops on a token the endpoint repeats). */
export function listRepositories(ecr: ECRClient, options: CallOptions = {}): Promise<Repository[]> {
  const pages = paginateDescribeRepositories({ client: ecr, pageSize: MAX_PAGE_SIZE, stopOnSameToken: true }, {}, { abortSignal: options.signal });
  return collectPages(pages, (page) => page.repositories);
}

/** One repository by name; undefined when it does not exist (RepositoryNotFoundException). */
export async function describeRepository(ecr: ECRClient, repositoryName: string, options: CallOptions = {}): Promise<Repository | undefined> {
  try {
    const out = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] }), { abortSignal: options.signal });
    return out.repositories?.[0];
  } catch (error) {
    if (isErrorNamed(error, 'RepositoryNotFoundException')) return undefined;
    throw error;
  }
}

/** The account that owns the registry (for a registry with no repository yet to read it from). */
export async function registryId(ecr: ECRClient, options: CallOptions = {}): Promise<string | undefined> {
  const out = await ecr.send(new DescribeRegistryCommand({}), { abortSignal: options.signal });
  return out.registryId;
}

export async function listImagesPage(ecr: ECRClient, repositoryName: string, options: PageOptions = {}): Promise<Page<ImageDetail>> {
  const out = await ecr.send(
    new DescribeImagesCommand({ repositoryName, nextToken: options.nextToken, maxResults: options.maxResults ?? MAX_PAGE_SIZE }),
    { abortSignal: options.signal },
  );
  return { items: out.imageDetails ?? [], nextToken: out.nextToken };
}

/** Every image of a repository, every page. */
export function listImages(ecr: ECRClient, repositoryName: string, options: CallOptions = {}): Promise<ImageDetail[]> {
  const pages = paginateDescribeImages({ client: ecr, pageSize: MAX_PAGE_SIZE, stopOnSameToken: true }, { repositoryName }, { abortSignal: options.signal });
  return collectPages(pages, (page) => page.imageDetails);
}

export interface NewRepository {
  repositoryName: string;
  scanOnPush: boolean;
  immutableTags: boolean;
  /** AES256 (S3-managed keys) or KMS, with the AWS-managed key when kmsKey is empty. */
  encryption: { type: 'AES256' } | { type: 'KMS'; kmsKey?: string };
}

export async function createRepository(ecr: ECRClient, spec: NewRepository, options: CallOptions = {}): Promise<Repository> {
  const encryptionConfiguration =
    spec.encryption.type === 'KMS' ? { encryptionType: 'KMS' as const, ...(spec.encryption.kmsKey ? { kmsKey: spec.encryption.kmsKey } : {}) } : { encryptionType: 'AES256' as const };
  const out = await ecr.send(
    new CreateRepositoryCommand({
      repositoryName: spec.repositoryName,
      imageScanningConfiguration: { scanOnPush: spec.scanOnPush },
      imageTagMutability: spec.immutableTags ? 'IMMUTABLE' : 'MUTABLE',
      encryptionConfiguration,
    }),
    { abortSignal: options.signal },
  );
  if (!out.repository) throw new Error(`CreateRepository returned no repository for ${spec.repositoryName}`);
  return out.repository;
}

/** `force` deletes the images with it; without it ECR refuses a repository that has images (RepositoryNotEmptyException). */
export async function deleteRepository(ecr: ECRClient, repositoryName: string, force: boolean, options: CallOptions = {}): Promise<void> {
  await ecr.send(new DeleteRepositoryCommand({ repositoryName, force }), { abortSignal: options.signal });
}

export async function hasImages(ecr: ECRClient, repositoryName: string, options: CallOptions = {}): Promise<boolean> {
  const page = await listImagesPage(ecr, repositoryName, { ...options, maxResults: 1 });
  return page.items.length > 0;
}

export interface DeleteImagesResult {
  deleted: ImageIdentifier[];
  failures: ImageFailure[];
}

/** Deletes images by digest (every tag of each goes with it), 100 per BatchDeleteImage call. */
export async function deleteImages(ecr: ECRClient, repositoryName: string, digests: readonly string[], options: CallOptions = {}): Promise<DeleteImagesResult> {
  const result: DeleteImagesResult = { deleted: [], failures: [] };
  for (const batch of chunk([...new Set(digests)], 100)) {
    const out = await ecr.send(new BatchDeleteImageCommand({ repositoryName, imageIds: batch.map((imageDigest) => ({ imageDigest })) }), { abortSignal: options.signal });
    result.deleted.push(...(out.imageIds ?? []));
    result.failures.push(...(out.failures ?? []));
  }
  return result;
}

export async function setScanOnPush(ecr: ECRClient, repositoryName: string, scanOnPush: boolean, options: CallOptions = {}): Promise<void> {
  await ecr.send(new PutImageScanningConfigurationCommand({ repositoryName, imageScanningConfiguration: { scanOnPush } }), { abortSignal: options.signal });
}

export async function setImmutableTags(ecr: ECRClient, repositoryName: string, immutable: boolean, options: CallOptions = {}): Promise<void> {
  await ecr.send(new PutImageTagMutabilityCommand({ repositoryName, imageTagMutability: immutable ? 'IMMUTABLE' : 'MUTABLE' }), { abortSignal: options.signal });
}

/** The policy text, or undefined when the repository has none. */
export async function getLifecyclePolicy(ecr: ECRClient, repositoryName: string, options: CallOptions = {}): Promise<string | undefined> {
  try {
    const out = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName }), { abortSignal: options.signal });
    return out.lifecyclePolicyText;
  } catch (error) {
    if (isErrorNamed(error, 'LifecyclePolicyNotFoundException')) return undefined;
    throw error;
  }
}

export async function putLifecyclePolicy(ecr: ECRClient, repositoryName: string, lifecyclePolicyText: string, options: CallOptions = {}): Promise<void> {
  await ecr.send(new PutLifecyclePolicyCommand({ repositoryName, lifecyclePolicyText }), { abortSignal: options.signal });
}

/** Removes the policy; a repository without one is already in that state. */
export async function deleteLifecyclePolicy(ecr: ECRClient, repositoryName: string, options: CallOptions = {}): Promise<void> {
  try {
    await ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName }), { abortSignal: options.signal });
  } catch (error) {
    if (!isErrorNamed(error, 'LifecyclePolicyNotFoundException')) throw error;
  }
}

/** The repository policy text, or undefined when the repository has none. */
export async function getRepositoryPolicy(ecr: ECRClient, repositoryName: string, options: CallOptions = {}): Promise<string | undefined> {
  try {
    const out = await ecr.send(new GetRepositoryPolicyCommand({ repositoryName }), { abortSignal: options.signal });
    return out.policyText;
  } catch (error) {
    if (isErrorNamed(error, 'RepositoryPolicyNotFoundException')) return undefined;
    throw error;
  }
}

/** Replaces the policy (the same text twice is the same policy: safe to send again). */
export async function setRepositoryPolicy(ecr: ECRClient, repositoryName: string, policyText: string, options: CallOptions = {}): Promise<void> {
  await ecr.send(new SetRepositoryPolicyCommand({ repositoryName, policyText }), { abortSignal: options.signal });
}

/** Removes the policy; true when there was one (a repository without one is already in that state). */
export async function deleteRepositoryPolicy(ecr: ECRClient, repositoryName: string, options: CallOptions = {}): Promise<boolean> {
  try {
    await ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName }), { abortSignal: options.signal });
    return true;
  } catch (error) {
    if (isErrorNamed(error, 'RepositoryPolicyNotFoundException')) return false;
    throw error;
  }
}

const MANIFEST_LIST_TYPES = ['application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.oci.image.index.v1+json'];

export function isManifestList(image: Pick<ImageDetail, 'imageManifestMediaType'>): boolean {
  return MANIFEST_LIST_TYPES.includes(image.imageManifestMediaType ?? '');
}

interface ManifestListBody {
  manifests?: Array<{ digest?: string; platform?: { os?: string; architecture?: string; variant?: string } }>;
}

async function manifestLists(ecr: ECRClient, repositoryName: string, digests: readonly string[], options: CallOptions): Promise<ManifestListBody[]> {
  const bodies: ManifestListBody[] = [];
  for (const batch of chunk([...digests], 100)) {
    const out = await ecr.send(
      new BatchGetImageCommand({ repositoryName, imageIds: batch.map((imageDigest) => ({ imageDigest })), acceptedMediaTypes: MANIFEST_LIST_TYPES }),
      { abortSignal: options.signal },
    );
    for (const image of out.images ?? []) {
      try {
        bodies.push(JSON.parse(image.imageManifest ?? '{}') as ManifestListBody);
      } catch {
        // A manifest that is not JSON names no children.
      }
    }
  }
  return bodies;
}

/** Digests that manifest lists (multi-platform images) of the repository point to: ECR never expires those on its own. */
export async function manifestListChildren(ecr: ECRClient, repositoryName: string, images: readonly ImageDetail[], options: CallOptions = {}): Promise<Set<string>> {
  const lists = images.filter(isManifestList).map((i) => i.imageDigest ?? '').filter(Boolean);
  const children = new Set<string>();
  if (!lists.length) return children;
  for (const body of await manifestLists(ecr, repositoryName, lists, options)) {
    for (const entry of body.manifests ?? []) if (entry.digest) children.add(entry.digest);
  }
  return children;
}

/** `linux/amd64`, `linux/arm64/v8`… of a manifest list; undefined for a single-platform image. */
export async function imagePlatforms(ecr: ECRClient, repositoryName: string, image: ImageDetail, options: CallOptions = {}): Promise<string[] | undefined> {
  if (!isManifestList(image) || !image.imageDigest) return undefined;
  const [body] = await manifestLists(ecr, repositoryName, [image.imageDigest], options);
  return (body?.manifests ?? [])
    .map((m) => m.platform)
    .filter((p): p is NonNullable<typeof p> => Boolean(p?.os && p.architecture))
    .map((p) => [p.os, p.architecture, p.variant].filter(Boolean).join('/'));
}
