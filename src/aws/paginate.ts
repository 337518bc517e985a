import type { Page } from '../core/ecr/pagedListing';

export type { Page };

/**
 * Follows nextToken until the last page. A token seen twice ends the walk: a misbehaving endpoint
 * must not make a listing spin forever.
 */
export async function* paginate<T>(fetchPage: (nextToken: string | undefined) => Promise<Page<T>>, signal?: AbortSignal): AsyncGenerator<T[]> {
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    signal?.throwIfAborted();
    const page = await fetchPage(token);
    yield page.items;
    token = page.nextToken;
    if (token !== undefined) {
      if (seen.has(token)) return;
      seen.add(token);
    }
  } while (token);
}

export async function collectAll<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const items of pages) all.push(...items);
  return all;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Maps with at most `limit` calls in flight, keeping the input order in the result. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
