/**
 * Keys remembered with the timestamp of their event, forgettable oldest-first. Both dedupe windows
 * (event ids for polling, content keys for live tail) are bounded by pruning it by time and by size.
 */
export class TimeIndexedMap<V> {
  private readonly entries = new Map<string, { timestamp: number; value: V }>();
  /** Distinct timestamps, ascending; events mostly arrive in order, so inserts are appends. */
  private readonly times: number[] = [];
  private readonly keysAt = new Map<number, string[]>();

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, timestamp: number, value: V): void {
    const existing = this.entries.get(key);
    if (existing) {
      existing.value = value;
      return;
    }
    this.entries.set(key, { timestamp, value });
    let keys = this.keysAt.get(timestamp);
    if (!keys) {
      keys = [];
      this.keysAt.set(timestamp, keys);
      this.insertTime(timestamp);
    }
    keys.push(key);
  }

  /** Forgets every key whose timestamp is below `timestamp`. */
  pruneBelow(timestamp: number): void {
    let count = 0;
    while (count < this.times.length && this.times[count] < timestamp) count++;
    this.dropOldest(count);
  }

  /**
   * Forgets the oldest timestamps (whole timestamps at a time) until at most `maxSize` keys remain.
   * Returns the lowest timestamp still fully remembered (every key at or after it is kept), or
   * undefined when nothing had to go.
   */
  pruneToSize(maxSize: number): number | undefined {
    if (this.entries.size <= maxSize) return undefined;
    let count = 0;
    let remaining = this.entries.size;
    while (remaining > maxSize && count < this.times.length) remaining -= this.keysAt.get(this.times[count++])!.length;
    const lastDropped = this.times[count - 1];
    this.dropOldest(count);
    return lastDropped + 1;
  }

  private dropOldest(count: number): void {
    for (const time of this.times.splice(0, count)) {
      for (const key of this.keysAt.get(time)!) this.entries.delete(key);
      this.keysAt.delete(time);
    }
  }

  private insertTime(timestamp: number): void {
    const times = this.times;
    if (times.length === 0 || times[times.length - 1] < timestamp) {
      times.push(timestamp);
      return;
    }
    let low = 0;
    let high = times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (times[mid] < timestamp) low = mid + 1;
      else high = mid;
    }
    times.splice(low, 0, timestamp);
  }
}
