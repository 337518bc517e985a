/** Copy an image's URI or digest; delete images (every tag of each goes with it). */
import * as vscode from 'vscode';
import { imageInRepository } from '../../core/ecr/imageReference';
import { imageDetailsMarkdown, type ImageUses } from '../../core/ecr/imageDetails';
import { imageLabel } from '../../core/ecr/imageRow';
import { servicesRunningImage } from '../../app/explorer/imageUses';
import { plural, shortDigest } from '../../core/text/format';
import { sortTags } from '../../core/ecr/tagPolicy';
import type { Services } from '../context';
import { withCancellableProgress } from '../progress';
import type { CommandTable } from '../commands';
import type { ExplorerNode, ImageNode } from './nodes';

function isImageNode(value: unknown): value is ImageNode {
  return typeof value === 'object' && value !== null && (value as ExplorerNode).kind === 'image';
}

/** The URIs of an image: one per tag (latest and releases first), then the digest, which never moves. */
export function imageUris(node: ImageNode): string[] {
  const uri = node.repository.repositoryUri ?? '';
  const tags = sortTags(node.image.imageTags ?? []);
  return [...tags.map((tag) => imageInRepository(uri, { tag })), imageInRepository(uri, { digest: node.image.imageDigest })];
}

async function copyImageUri(node: unknown): Promise<string | undefined> {
  if (!isImageNode(node)) {
    void vscode.window.showInformationMessage('Copy Image URI works on an image in the Repositories view.');
    return undefined;
  }
  const uris = imageUris(node);
  // Several tags: the person picks which reference they mean; one tag (or none) needs no question.
  const uri =
    uris.length > 2
      ? (await vscode.window.showQuickPick(uris.map((u, i) => ({ label: u, description: i === uris.length - 1 ? 'by digest: never moves' : undefined })), { title: 'Copy Image URI' }))?.label
      : uris[0];
  if (!uri) return undefined;
  await vscode.env.clipboard.writeText(uri);
  vscode.window.setStatusBarMessage(`Copied ${uri}`, 5000);
  return uri;
}

async function copyDigest(node: unknown): Promise<string | undefined> {
  if (!isImageNode(node) || !node.image.imageDigest) return undefined;
  await vscode.env.clipboard.writeText(node.image.imageDigest);
  vscode.window.setStatusBarMessage(`Copied ${shortDigest(node.image.imageDigest)}`, 5000);
  return node.image.imageDigest;
}

/** Deletes the image the command was invoked on, or every selected image, after one confirmation. */
export async function deleteImages(services: Services, node: unknown, selection?: unknown): Promise<number> {
  const chosen = (Array.isArray(selection) && selection.some(isImageNode) ? selection : [node]).filter(isImageNode);
  if (!chosen.length) return 0;
  const byRepository = new Map<string, ImageNode[]>();
  for (const n of chosen) byRepository.set(n.repository.repositoryArn ?? '', [...(byRepository.get(n.repository.repositoryArn ?? '') ?? []), n]);
  const names = chosen.slice(0, 5).map((n) => imageLabel(n.image) === '<untagged>' ? shortDigest(n.image.imageDigest) : imageLabel(n.image));
  const tagCount = chosen.reduce((sum, n) => sum + (n.image.imageTags?.length ?? 0), 0);
  const confirmed = await vscode.window.showWarningMessage(
    chosen.length === 1 ? `Delete image ${names[0]} from ${chosen[0].repository.repositoryName}?` : `Delete ${chosen.length} images?`,
    {
      modal: true,
      detail: `${chosen.length > 1 ? `${names.join('; ')}${chosen.length > 5 ? '; …' : ''}\n\n` : ''}The image${chosen.length === 1 ? '' : 's'} and ${tagCount === 1 ? 'its tag' : `all ${tagCount} tags`} are deleted (BatchDeleteImage). A service whose task definition names ${chosen.length === 1 ? 'it' : 'them'} cannot start new tasks. This cannot be undone.`,
    },
    'Delete',
  );
  if (confirmed !== 'Delete') return 0;
  const { edge, clients } = await services.session.access();
  let deleted = 0;
  const failures: string[] = [];
  for (const nodes of byRepository.values()) {
    const repository = nodes[0].repository;
    const result = await edge.ecr.deleteImages(clients.ecr, repository.repositoryName ?? '', nodes.map((n) => n.image.imageDigest ?? ''));
    const gone = new Set(result.deleted.map((id) => id.imageDigest ?? ''));
    deleted += nodes.filter((n) => gone.has(n.image.imageDigest ?? '')).length;
    failures.push(...result.failures.map((f) => `${shortDigest(f.imageId?.imageDigest)}: ${f.failureReason ?? f.failureCode}`));
    services.repositoriesView.removeImages(services.repositoriesView.repositoryNode(repository.repositoryName ?? ''), repository, gone);
  }
  if (failures.length) void vscode.window.showErrorMessage(`ECR did not delete ${plural(failures.length, 'image')}: ${failures.join('; ')}`);
  else void vscode.window.showInformationMessage(`Deleted ${plural(deleted, 'image')}.`);
  return deleted;
}

/**
 * Enter or click on an image: its details page, with its platforms (a manifest list) and the services that
 * run it, read first under a cancellable progress notification (a few calls: clusters, services, each
 * distinct task definition once). The page is written once, whole: a Markdown preview of a virtual document
 * does not reliably follow later changes of it.
 */
export async function showImageDetails(services: Services, node: unknown): Promise<vscode.Uri | undefined> {
  if (!isImageNode(node)) {
    void vscode.window.showInformationMessage('Image details work on an image in the Repositories view: select a tag there and press Enter.');
    return undefined;
  }
  const repositoryName = node.repository.repositoryName ?? '';
  const repositoryUri = node.repository.repositoryUri ?? '';
  const region = services.session.connection.region ?? 'no-region';
  const label = imageLabel(node.image).split(', ')[0];
  const path = `/${region}/${repositoryName}/${label} ${shortDigest(node.image.imageDigest, 8)}`;
  let platforms: readonly string[] | undefined;
  let uses: ImageUses;
  try {
    const access = await services.session.access();
    const [platformsRead, usesRead] = await withCancellableProgress(`Reading where ${repositoryName}:${label} runs`, (signal) =>
      Promise.allSettled([access.edge.ecr.imagePlatforms(access.clients.ecr, repositoryName, node.image, { signal }), servicesRunningImage(access, repositoryUri, node.image, signal)]),
    );
    if (platformsRead.status === 'fulfilled') platforms = platformsRead.value;
    uses = usesRead.status === 'fulfilled' ? { state: 'read', ...usesRead.value } : { state: 'failed', reason: services.session.describe(usesRead.reason).message };
  } catch (error) {
    uses = { state: 'failed', reason: services.session.describe(error).message };
  }
  if (uses.state === 'failed' && /cancel/i.test(uses.reason)) return undefined;
  return services.reports.show(path, imageDetailsMarkdown({ repositoryName, repositoryUri, image: node.image, platforms, uses }));
}

export function imageCommands(services: Services): CommandTable {
  return {
    'ecrDeploy.copyImageUri': (node?: unknown) => copyImageUri(node),
    'ecrDeploy.copyImageDigest': (node?: unknown) => copyDigest(node),
    'ecrDeploy.deleteImage': (node?: unknown, selection?: unknown) => deleteImages(services, node, selection),
    'ecrDeploy.showImageDetails': (node?: unknown) => showImageDetails(services, node),
  };
}
