/**
 * A listing shown a page at a time ("Load more"), whatever the endpoint does with maxResults: ECR
 * pages by nextToken, emulators may answer everything at once. Items are kept in memory once read;
 * a page on screen is `pageSize` matching items more than the last, fetching only when memory runs out.
 * Order is the caller's sort over everything read so far: exact once the listing is complete.
 */

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export type PageFetcher<T> = (nextToken: string | undefined, signal: AbortSignal) => Promise<Page<T>>;

export interface PagedListingOptions<T> {
  pageSize: number;
  compare: (a: T, b: T) => number;
  /** Text a filter is matched against (case-insensitive substring). */
  searchText: (item: T) => string;
}

export class PagedListing<T> {
  private loaded: T[] = [];
  private nextToken: string | undefined;
  private complete = false;
  private shownCount = 0;
  private started = false;
  private filterText = '';
  private readonly seenTokens = new Set<string>();
  private pending: Promise<void> | undefined;
  /** API pages read so far: what the listing has cost. */
  fetches = 0;

  constructor(
    private readonly fetchPage: PageFetcher<T>,
    private readonly options: PagedListingOptions<T>,
  ) {}

  get filter(): string {
    return this.filterText;
  }

  /** A new filter shows its first page; items already read are reused. */
  setFilter(text: string): void {
    this.filterText = text.trim().toLowerCase();
    this.shownCount = 0;
    this.started = false;
  }

  get isComplete(): boolean {
    return this.complete;
  }

  get loadedCount(): number {
    return this.loaded.length;
  }

  /** Every item read so far, whatever the filter: what figures over the whole listing are computed from. */
  loadedItems(): readonly T[] {
    return this.loaded;
  }

  /** Whether the first page was asked for since the listing was made or re-filtered. */
  get hasStarted(): boolean {
    return this.started;
  }

  private matching(): T[] {
    const filter = this.filterText;
    const items = filter ? this.loaded.filter((item) => this.options.searchText(item).toLowerCase().includes(filter)) : this.loaded;
    return [...items].sort(this.options.compare);
  }

  /** Shows `pageSize` more matching items, reading pages from the endpoint only while memory has too few. */
  loadMore(signal: AbortSignal): Promise<void> {
    // Two "Load more" clicks (or a click during a refresh) share one walk.
    this.pending ??= this.walk(signal)
      .catch((error: unknown) => {
        // A first page that never came leaves the listing unstarted, so the next reader asks again.
        if (this.shownCount === 0) this.started = false;
        throw error;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /** Resolves when a walk in progress (a read ahead, another reader's) has ended, whether or not it succeeded. */
  async settled(): Promise<void> {
    await this.pending?.catch(() => undefined);
  }

  private async walk(signal: AbortSignal): Promise<void> {
    this.started = true;
    const target = this.shownCount + this.options.pageSize;
    let matching = this.matching().length;
    while (matching < target && !this.complete) {
      signal.throwIfAborted();
      const page = await this.fetchPage(this.nextToken, signal);
      this.fetches++;
      this.loaded.push(...page.items);
      const token = page.nextToken;
      // A token seen before means the endpoint is looping: stop instead of listing forever.
      if (!token || this.seenTokens.has(token)) this.complete = true;
      else this.seenTokens.add(token);
      this.nextToken = token;
      matching = this.matching().length;
    }
    this.shownCount = Math.min(target, matching);
  }

  /** What is on screen: the first `shownCount` matching items in order. */
  visible(): T[] {
    return this.matching().slice(0, this.shownCount);
  }

  /** More items exist in memory or at the endpoint. */
  hasMore(): boolean {
    return this.matching().length > this.shownCount || !this.complete;
  }

  /** Forgets an item the extension itself removed (a deleted image), without reading again. */
  remove(predicate: (item: T) => boolean): void {
    const before = this.loaded.length;
    this.loaded = this.loaded.filter((item) => !predicate(item));
    this.shownCount = Math.max(0, this.shownCount - (before - this.loaded.length));
  }
}
