/** Image count and size of a repository row: exact when every page is in, a lower bound (with "+") before. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { figuresText, repositoryFigures } from '../../src/core/ecr/repositoryFigures';
import { formatBytes } from '../../src/core/text/format';
import { PagedListing } from '../../src/core/ecr/pagedListing';

describe('repository figures', () => {
  it('counts each digest once and sums its size', () => {
    const f = repositoryFigures(
      [
        { imageDigest: 'sha256:a', imageSizeInBytes: 100_000_000 },
        { imageDigest: 'sha256:a', imageSizeInBytes: 100_000_000 },
        { imageDigest: 'sha256:b', imageSizeInBytes: 240_000_000 },
      ],
      true,
    );
    assert.deepEqual(f, { images: 2, sizeBytes: 340_000_000, complete: true });
    assert.equal(figuresText(f, formatBytes), '2 images · 340 MB');
  });

  it('one image, no images, and a listing not read to its end', () => {
    assert.equal(figuresText(repositoryFigures([{ imageDigest: 'x', imageSizeInBytes: 45_200_000 }], true), formatBytes), '1 image · 45.2 MB');
    assert.equal(figuresText(repositoryFigures([], true), formatBytes), 'no images');
    const partial = repositoryFigures(Array.from({ length: 1000 }, (_, i) => ({ imageDigest: `d${i}`, imageSizeInBytes: 25_100_000 })), false);
    assert.equal(figuresText(partial, formatBytes), '1,000+ images · 25.1 GB+');
  });

  it('from a paged listing: "+" until the last page, exact after, whatever the filter shows', async () => {
    const pages = [
      { items: [{ imageDigest: 'a', imageSizeInBytes: 10, tag: 'v1' }, { imageDigest: 'b', imageSizeInBytes: 20, tag: 'v2' }], nextToken: 't1' },
      { items: [{ imageDigest: 'c', imageSizeInBytes: 30, tag: 'latest' }] },
    ];
    const listing = new PagedListing((token) => Promise.resolve(token ? pages[1] : pages[0]), { pageSize: 2, compare: () => 0, searchText: (i) => i.tag });
    listing.setFilter('v');
    await listing.loadMore(new AbortController().signal);
    assert.equal(figuresText(repositoryFigures(listing.loadedItems(), listing.isComplete), formatBytes), '2+ images · 30 B+');
    await listing.loadMore(new AbortController().signal);
    assert.equal(figuresText(repositoryFigures(listing.loadedItems(), listing.isComplete), formatBytes), '3 images · 60 B');
    assert.equal(listing.visible().length, 2, 'the filter still shows only v-tags');
  });
});
