/**
 * The image a scan command is about: the image node it was run on (`{ kind: 'image', repository,
 * image }` from the explorer), an image given by another feature, or one picked from the palette.
 */
import * as vscode from 'vscode';
import type { ImageIdentity } from '../../core/scan/scanFindings';
import { formatAge } from '../../core/text/format';
import type { AwsSession } from '../connection/awsSession';

interface ImageNodeLike {
  repository: { repositoryName?: string };
  image: { imageDigest?: string; imageTags?: string[] };
}

function isImageNode(value: unknown): value is ImageNodeLike {
  const v = value as Partial<ImageNodeLike> | undefined;
  return typeof v?.repository?.repositoryName === 'string' && typeof v.image === 'object' && v.image !== null;
}

function isImageIdentity(value: unknown): value is ImageIdentity {
  const v = value as Partial<ImageIdentity> | undefined;
  return typeof v?.repositoryName === 'string' && (typeof v.imageTag === 'string' || typeof v.imageDigest === 'string');
}

export function imageFromArgument(value: unknown): ImageIdentity | undefined {
  if (isImageNode(value)) return { repositoryName: value.repository.repositoryName!, imageTag: value.image.imageTags?.[0], imageDigest: value.image.imageDigest };
  if (isImageIdentity(value)) return { repositoryName: value.repositoryName, imageTag: value.imageTag, imageDigest: value.imageDigest };
  return undefined;
}

/** The repository a node or argument names (image or repository node, or a plain name). */
export function repositoryFromArgument(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const image = imageFromArgument(value);
  if (image) return image.repositoryName;
  const repository = (value as { repository?: { repositoryName?: unknown } } | undefined)?.repository?.repositoryName;
  return typeof repository === 'string' ? repository : undefined;
}

/** Repository, then image (newest push first), from the palette. */
export async function pickImage(session: AwsSession, title: string): Promise<ImageIdentity | undefined> {
  const { edge, clients } = await session.access();
  const repositories = edge.ecr.listRepositories(clients.ecr).then((list) =>
    list.map((r) => ({ label: r.repositoryName ?? '?', description: r.imageScanningConfiguration?.scanOnPush ? 'scan on push' : undefined })).sort((a, b) => a.label.localeCompare(b.label)),
  );
  const repository = await vscode.window.showQuickPick(repositories, { title, placeHolder: 'Repository' });
  if (!repository) return undefined;
  const images = edge.scan.listImagesNewestFirst(clients.ecr, repository.label).then((list) =>
    list.map((image) => ({
      label: image.imageTags?.length ? image.imageTags.join(', ') : '<untagged>',
      description: image.imagePushedAt ? formatAge(image.imagePushedAt) : '',
      detail: image.imageDigest,
      image,
    })),
  );
  const picked = await vscode.window.showQuickPick(images, { title, placeHolder: `Image of ${repository.label}`, matchOnDetail: true });
  if (!picked) return undefined;
  return { repositoryName: repository.label, imageTag: picked.image.imageTags?.[0], imageDigest: picked.image.imageDigest };
}
