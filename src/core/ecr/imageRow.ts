/**
 * How an image reads in the Repositories view and the CLI's table: its tags (or `<untagged>`), then
 * pushed ago, size and what its scan found. Shapes follow ECR's DescribeImages ImageDetail.
 */
import { formatAge, formatBytes, formatTimestamp } from '../text/format';
import { scanDetailLines, scanSummaryText, type FindingsSummaryLike, type ScanStatusLike } from '../scan/summary';
import { sortTags } from './tagPolicy';

export interface ImageLike {
  imageDigest?: string;
  imageTags?: string[];
  imagePushedAt?: Date;
  imageSizeInBytes?: number;
  imageManifestMediaType?: string;
  artifactMediaType?: string;
  lastRecordedPullTime?: Date;
  imageScanStatus?: ScanStatusLike;
  imageScanFindingsSummary?: FindingsSummaryLike;
}

export const UNTAGGED_LABEL = '<untagged>';

export function imageLabel(image: ImageLike): string {
  return image.imageTags?.length ? sortTags(image.imageTags).join(', ') : UNTAGGED_LABEL;
}

export function imageDescription(image: ImageLike, now: Date = new Date()): string {
  const scan = scanSummaryText(image.imageScanStatus, image.imageScanFindingsSummary);
  return [formatAge(image.imagePushedAt, now), formatBytes(image.imageSizeInBytes), scan].filter(Boolean).join(' · ');
}

/** Tooltip lines: identity first, then scan, then where it came from. `platforms` when a manifest list was read. */
export function imageDetailLines(image: ImageLike, platforms?: readonly string[]): string[] {
  const lines = [`Digest: ${image.imageDigest ?? 'unknown'}`];
  if (image.imageTags?.length) lines.push(`Tags: ${sortTags(image.imageTags).join(', ')}`);
  lines.push(`Pushed: ${formatTimestamp(image.imagePushedAt)}`);
  lines.push(`Size: ${formatBytes(image.imageSizeInBytes)}`);
  if (image.imageManifestMediaType) lines.push(`Media type: ${image.imageManifestMediaType}`);
  if (image.artifactMediaType) lines.push(`Artifact: ${image.artifactMediaType}`);
  if (platforms?.length) lines.push(`Platforms: ${platforms.join(', ')}`);
  if (image.lastRecordedPullTime) lines.push(`Last pulled: ${formatTimestamp(image.lastRecordedPullTime)}`);
  lines.push(...scanDetailLines(image.imageScanStatus, image.imageScanFindingsSummary));
  return lines;
}

/** Newest push first; digest order breaks ties so the list does not reshuffle between reads. */
export function compareNewestFirst(a: ImageLike, b: ImageLike): number {
  return (b.imagePushedAt?.getTime() ?? 0) - (a.imagePushedAt?.getTime() ?? 0) || (a.imageDigest ?? '').localeCompare(b.imageDigest ?? '');
}

/** What the tag filter matches: each tag on its own line, or `<untagged>` so untagged images can be found too. */
export function imageSearchText(image: ImageLike): string {
  return image.imageTags?.length ? image.imageTags.join('\n') : UNTAGGED_LABEL;
}
