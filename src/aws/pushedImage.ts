/**
 * After a push: the image as the ECR API sees it. Against AWS the push itself created it; the API is
 * asked for the digest only when the CLI did not print one. With a registry endpoint (an emulator
 * whose registry and API are separate processes, like moto beside a registry) the manifest is read
 * back from the registry and recorded with PutImage when the API does not list it yet, so the
 * Repositories view shows what was pushed. An emulator that links both (LocalStack) is left alone.
 */
import { DescribeImagesCommand, PutImageCommand, type ECRClient, type ImageDetail, type ImageIdentifier } from '@aws-sdk/client-ecr';
import { isErrorNamed } from '../core/errors/named';
import type { RegistryCredentials } from '../docker/login';
import { readManifest, type RegistryManifest } from '../docker/registryApi';
import type { CallOptions } from './ecr';

export async function findImage(ecr: ECRClient, repositoryName: string, imageId: ImageIdentifier, options: CallOptions = {}): Promise<ImageDetail | undefined> {
  try {
    const out = await ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [imageId] }), { abortSignal: options.signal });
    return out.imageDetails?.[0];
  } catch (error) {
    if (isErrorNamed(error, 'ImageNotFoundException')) return undefined;
    throw error;
  }
}

/** Puts the tags the API does not list yet for this manifest. Returns the tags it added. */
export async function recordPushedImage(
  ecr: ECRClient,
  request: { repositoryName: string; tags: string[]; manifest: RegistryManifest },
  options: CallOptions = {},
): Promise<string[]> {
  const known = await findImage(ecr, request.repositoryName, { imageDigest: request.manifest.digest }, options);
  const missing = request.tags.filter((tag) => !known?.imageTags?.includes(tag));
  for (const tag of missing) {
    try {
      await ecr.send(
        new PutImageCommand({
          repositoryName: request.repositoryName,
          imageTag: tag,
          imageManifest: request.manifest.body,
          imageManifestMediaType: request.manifest.mediaType || undefined,
          imageDigest: request.manifest.digest,
        }),
        { abortSignal: options.signal },
      );
    } catch (error) {
      if (!isErrorNamed(error, 'ImageAlreadyExistsException')) throw error;
    }
  }
  return missing;
}

export interface ConfirmedPush {
  digest: string | undefined;
  /** Tags written to the API because the emulator's registry did not tell it. */
  recordedTags: string[];
}

export async function confirmPushedImage(
  ecr: ECRClient,
  request: { repositoryName: string; tags: string[]; digest: string | undefined; registryEndpoint: string | undefined; credentials: RegistryCredentials },
  options: CallOptions = {},
): Promise<ConfirmedPush> {
  if (request.registryEndpoint) {
    const manifest = await readManifest(request.registryEndpoint, request.repositoryName, request.digest ?? request.tags[0], request.credentials, options.signal);
    const recordedTags = await recordPushedImage(ecr, { repositoryName: request.repositoryName, tags: request.tags, manifest }, options);
    return { digest: manifest.digest, recordedTags };
  }
  if (request.digest) return { digest: request.digest, recordedTags: [] };
  const image = await findImage(ecr, request.repositoryName, { imageTag: request.tags[0] }, options);
  return { digest: image?.imageDigest, recordedTags: [] };
}
