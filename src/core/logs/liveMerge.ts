/**
 * Joins live-tail frames with FilterLogEvents backfills (the history before a session, the gap
 * across a reconnect) without losing or doubling events. Live-tail events carry no eventId, so an
 * event is known by its content: group, stream, timestamp and message. Identical events are counted:
 * each source sees a part of the truth, every event of the part at most once, so the truth per key
 * is at least the larger of the two counts, and exactly that when one source saw them all. An event
 * is delivered when its source's count for the key goes above what was delivered so far.
 *
 * Live sessions never overlap in time, so their counts add up; backfills are deduplicated among
 * themselves by eventId before they get here.
 */
import type { LogEvent } from './events';
import { TimeIndexedMap } from './timeIndex';

export type MergeSource = 'live' | 'backfill';

interface Counts {
  live: number;
  backfill: number;
}

/** Two 32-bit multiplicative hashes: keys stay short however long the message. */
function hashText(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return `${(h1 >>> 0).toString(36)}${(h2 >>> 0).toString(36)}`;
}

export function contentKey(event: LogEvent): string {
  return `${event.logGroupName ?? ''}\u0000${event.logStreamName}\u0000${event.timestamp}\u0000${event.message.length}\u0000${hashText(event.message)}`;
}

export class LiveMerge {
  private readonly counts = new TimeIndexedMap<Counts>();
  /** Keys below this timestamp were forgotten: a backfill must not start before it. */
  floor = Number.NEGATIVE_INFINITY;

  constructor(private readonly maxKeys: number) {}

  /** True when `event`, seen by `source`, has not been delivered yet (and counts it delivered). */
  offer(source: MergeSource, event: LogEvent): boolean {
    const key = contentKey(event);
    const counts = this.counts.get(key) ?? { live: 0, backfill: 0 };
    const delivered = Math.max(counts.live, counts.backfill);
    counts[source]++;
    this.counts.set(key, event.timestamp, counts);
    return counts[source] > delivered;
  }

  /** The events of `events` not delivered yet, in their order. */
  filter(source: MergeSource, events: readonly LogEvent[]): LogEvent[] {
    return events.filter((event) => this.offer(source, event));
  }

  forgetBelow(timestamp: number): void {
    if (timestamp <= this.floor) return;
    this.counts.pruneBelow(timestamp);
    this.floor = timestamp;
  }

  enforceCap(): void {
    const floor = this.counts.pruneToSize(this.maxKeys);
    if (floor !== undefined && floor > this.floor) this.floor = floor;
  }

  get size(): number {
    return this.counts.size;
  }
}
