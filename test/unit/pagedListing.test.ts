import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { PagedListing, type Page } from '../../src/core/ecr/pagedListing';

interface Item {
  id: number;
  tag: string;
}

/** An endpoint that pages by token, or (pageSize undefined) answers everything at once like moto. */
function endpoint(items: Item[], pageSize?: number) {
  const calls: Array<string | undefined> = [];
  const fetch = async (token: string | undefined): Promise<Page<Item>> => {
    calls.push(token);
    const start = token ? Number(token) : 0;
    const end = pageSize ? start + pageSize : items.length;
    return { items: items.slice(start, end), nextToken: end < items.length ? String(end) : undefined };
  };
  return { fetch, calls };
}

const items = (n: number): Item[] => Array.from({ length: n }, (_, i) => ({ id: i, tag: i % 3 === 0 ? `dev-${i}` : `v${i}.0.0` }));
const byIdDescending = { compare: (a: Item, b: Item) => b.id - a.id, searchText: (i: Item) => i.tag };
const signal = new AbortController().signal;

describe('PagedListing', () => {
  it('reads one API page per "page" on a paging endpoint', async () => {
    const api = endpoint(items(25), 10);
    const listing = new PagedListing(api.fetch, { pageSize: 10, ...byIdDescending });
    await listing.loadMore(signal);
    assert.equal(listing.visible().length, 10);
    assert.deepEqual(api.calls, [undefined]);
    assert.ok(listing.hasMore());
    await listing.loadMore(signal);
    await listing.loadMore(signal);
    assert.deepEqual(api.calls, [undefined, '10', '20']);
    assert.equal(listing.visible().length, 25);
    assert.equal(listing.hasMore(), false);
    assert.deepEqual(listing.visible().map((i) => i.id), [...Array(25).keys()].reverse(), 'complete: exact order');
  });

  it('shows a page at a time from memory when the endpoint ignores maxResults', async () => {
    const api = endpoint(items(2500));
    const listing = new PagedListing(api.fetch, { pageSize: 1000, ...byIdDescending });
    await listing.loadMore(signal);
    assert.equal(listing.visible().length, 1000);
    assert.equal(listing.visible()[0].id, 2499, 'newest first across everything');
    assert.ok(listing.hasMore());
    await listing.loadMore(signal);
    await listing.loadMore(signal);
    assert.equal(listing.visible().length, 2500);
    assert.equal(api.calls.length, 1, 'the rest came from memory');
    assert.equal(listing.hasMore(), false);
  });

  it('a filter walks pages until it has a page of matches, reusing what was read', async () => {
    const api = endpoint(items(90), 10);
    const listing = new PagedListing(api.fetch, { pageSize: 5, ...byIdDescending });
    await listing.loadMore(signal);
    listing.setFilter('DEV-');
    await listing.loadMore(signal);
    assert.equal(listing.visible().length, 5);
    assert.ok(listing.visible().every((i) => i.tag.startsWith('dev-')));
    assert.equal(api.calls.length, 2, 'ten items read, four matched: one more page');
    listing.setFilter('');
    await listing.loadMore(signal);
    assert.equal(api.calls.length, 2, 'clearing the filter reads nothing new');
  });

  it('stops on a repeated token and shares a walk between concurrent clicks', async () => {
    let calls = 0;
    const looping = new PagedListing(async () => ({ items: [{ id: ++calls, tag: 'x' }], nextToken: 'same' }), { pageSize: 10, ...byIdDescending });
    await Promise.all([looping.loadMore(signal), looping.loadMore(signal)]);
    assert.equal(calls, 2);
    assert.equal(looping.isComplete, true);
  });

  it('stops when aborted', async () => {
    const abort = new AbortController();
    const listing = new PagedListing(async () => {
      abort.abort();
      return { items: [{ id: 1, tag: 'x' }], nextToken: 't' };
    }, { pageSize: 10, ...byIdDescending });
    await assert.rejects(listing.loadMore(abort.signal), { name: 'AbortError' });
  });

  it('forgets removed items without reading again', async () => {
    const api = endpoint(items(5));
    const listing = new PagedListing(api.fetch, { pageSize: 10, ...byIdDescending });
    await listing.loadMore(signal);
    listing.remove((i) => i.id === 4);
    assert.deepEqual(listing.visible().map((i) => i.id), [3, 2, 1, 0]);
    assert.equal(api.calls.length, 1);
  });

  it('whatever the endpoint page size, Load more eventually shows every item once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 60 }), fc.option(fc.integer({ min: 1, max: 25 }), { nil: undefined }), fc.integer({ min: 1, max: 20 }), async (n, apiPage, viewPage) => {
        const listing = new PagedListing(endpoint(items(n), apiPage).fetch, { pageSize: viewPage, ...byIdDescending });
        let clicks = 0;
        do {
          await listing.loadMore(signal);
          clicks++;
        } while (listing.hasMore() && clicks < 100);
        const ids = listing.visible().map((i) => i.id);
        return !listing.hasMore() && ids.length === n && new Set(ids).size === n && clicks <= Math.ceil(n / viewPage) + 1;
      }),
    );
  });
});
