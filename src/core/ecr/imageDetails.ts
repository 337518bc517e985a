/**
 * The details page of one image (Enter or click on a tag in Repositories): what it is, what its scan found,
 * and which services run it. Markdown, rendered by VS Code's preview; every value the tree row shortens is
 * written out here in full (the digest, the time, the size in bytes).
 */
import { parseImageReference, repositoryUriOf } from './imageReference';
import { imageLabel, type ImageLike } from './imageRow';
import { sortTags } from './tagPolicy';
import { formatBytes, formatTimestamp, plural } from '../text/format';
import { severityCounts } from '../scan/summary';

/** A service whose current task definition runs the image, in one of its containers. */
export interface ImageUse {
  cluster: string;
  service: string;
  container: string;
  /** The image as the task definition names it (by tag or by digest). */
  image: string;
  taskDefinitionArn: string;
}

/** Whether an image reference from a task definition names this image: its repository and one of its tags, or its digest. */
export function namesImage(reference: string, repositoryUri: string, image: ImageLike): boolean {
  if (repositoryUriOf(reference).toLowerCase() !== repositoryUri.toLowerCase()) return false;
  const { tag, digest } = parseImageReference(reference);
  if (digest) return digest === image.imageDigest;
  return (image.imageTags ?? []).includes(tag ?? 'latest');
}

/** What "Deployed to" says: the uses found, still looking, or why it could not look. */
export type ImageUses = { state: 'reading' } | { state: 'read'; uses: ImageUse[]; servicesRead: number } | { state: 'failed'; reason: string };

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

export function imageDetailsMarkdown(details: { repositoryName: string; repositoryUri: string; image: ImageLike; platforms?: readonly string[]; uses: ImageUses }): string {
  const { image } = details;
  const tags = sortTags(image.imageTags ?? []);
  const rows: Array<[string, string]> = [
    ['Repository', code(details.repositoryName)],
    ['Tags', tags.length ? tags.map(code).join(', ') : 'none (untagged)'],
    ['Digest', image.imageDigest ? code(image.imageDigest) : 'unknown'],
    ['Image URI', tags.length ? code(`${details.repositoryUri}:${tags[0]}`) : image.imageDigest ? code(`${details.repositoryUri}@${image.imageDigest}`) : 'unknown'],
    ['Pushed', formatTimestamp(image.imagePushedAt)],
    ['Size', image.imageSizeInBytes === undefined ? 'unknown' : `${formatBytes(image.imageSizeInBytes)} (${image.imageSizeInBytes.toLocaleString('en-US')} bytes, compressed layers)`],
    ['Platforms', details.platforms?.length ? details.platforms.join(', ') : 'one (not a multi-platform image list)'],
  ];
  if (image.imageManifestMediaType) rows.push(['Media type', code(image.imageManifestMediaType)]);
  if (image.lastRecordedPullTime) rows.push(['Last pulled', formatTimestamp(image.lastRecordedPullTime)]);
  const counts = severityCounts(image.imageScanFindingsSummary);
  const scanStatus = image.imageScanStatus?.status;
  const scan = counts.length
    ? counts.map(([severity, n]) => `${n} ${severity.toLowerCase()}`).join(', ')
    : scanStatus === 'COMPLETE' || scanStatus === 'ACTIVE'
      ? 'no findings'
      : scanStatus
        ? `${scanStatus.toLowerCase().replace(/_/g, ' ')}${image.imageScanStatus?.description ? ` (${image.imageScanStatus.description})` : ''}`
        : 'not scanned';
  rows.push(['Scan', scan]);
  const lines = [`# ${imageLabel(image)}`, '', '| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`), '', '## Deployed to', ''];
  const uses = details.uses;
  if (uses.state === 'reading') lines.push('Looking through the services of this region…');
  else if (uses.state === 'failed') lines.push(`Could not read the services: ${uses.reason}`);
  else if (!uses.uses.length) lines.push(`No service runs it (${plural(uses.servicesRead, 'service')} read in this region).`);
  else {
    lines.push('| Cluster | Service | Container | As |', '| --- | --- | --- | --- |');
    for (const use of uses.uses) lines.push(`| ${cell(use.cluster)} | ${cell(use.service)} | ${cell(use.container)} | ${code(use.image.slice(repositoryUriOf(use.image).length))} |`);
  }
  return `${lines.join('\n')}\n`;
}
