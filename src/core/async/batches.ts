/** Splitting work into the batch sizes AWS APIs take, and running it with bounded concurrency. */

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

/** Every item of every page an SDK paginator yields. */
export async function collectPages<P, T>(pages: AsyncIterable<P>, itemsOf: (page: P) => readonly T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(itemsOf(page) ?? []));
  return all;
}
