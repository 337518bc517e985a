/**
 * A repository's figures from its images: how many there are and their total size. Read a page at a time,
 * the figures are a lower bound until the last page is in, and they say so (`1,000+ images · 25.1 GB+`).
 */

export interface RepositoryFigures {
  images: number;
  /** The sum of ECR's imageSizeInBytes: layers that images share are counted in each. */
  sizeBytes: number;
  /** Every page was read: the figures are exact. */
  complete: boolean;
}

/** One entry per digest (an endpoint may list an image once per tag). */
export function repositoryFigures(images: ReadonlyArray<{ imageDigest?: string; imageSizeInBytes?: number }>, complete: boolean): RepositoryFigures {
  const sizes = new Map<string, number>();
  images.forEach((image, i) => sizes.set(image.imageDigest ?? `#${i}`, image.imageSizeInBytes ?? 0));
  let sizeBytes = 0;
  for (const size of sizes.values()) sizeBytes += size;
  return { images: sizes.size, sizeBytes, complete };
}

/** `12 images · 340 MB`, `1 image · 45.2 MB`, `1,000+ images · 25.1 GB+`, `no images`. */
export function figuresText(figures: RepositoryFigures, formatBytes: (bytes: number) => string): string {
  if (figures.complete && figures.images === 0) return 'no images';
  const more = figures.complete ? '' : '+';
  const count = `${figures.images.toLocaleString('en-US')}${more} ${figures.images === 1 && figures.complete ? 'image' : 'images'}`;
  return `${count} · ${formatBytes(figures.sizeBytes)}${more}`;
}
