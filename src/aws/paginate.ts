import type { Page } from '../core/pagedListing';

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
