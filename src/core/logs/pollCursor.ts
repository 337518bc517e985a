/**
 * Where the next FilterLogEvents query starts and ends, and which returned events are new.
 *
 * CloudWatch makes an event visible some time after its timestamp (producers buffer, ingestion lags),
 * so a query that ends "now" can miss an event stamped just before now. Every query at the live edge
 * therefore starts `overlapMs` before the previous one was made, and events seen before are recognised
 * by `eventId`. Ids are remembered only for timestamps a later query can still return: the window is
 * bounded by time and by a hard cap. Under the cap's pressure the overlap shrinks (an event later
 * than the shrunken overlap would be missed), never a duplicate nor an event not yet queried.
 *
 * A query's events are emitted sorted by timestamp, so the range a query covers is bounded: catching
 * up on a long "since" proceeds in slices sized to hold at most `maxBufferedEvents`.
 */
import { sortByTimestamp, type LogEvent } from './events';
import { TimeIndexedMap } from './timeIndex';

export interface PollCursorOptions {
  /** First timestamp to read. */
  startTime: number;
  /** Last timestamp to read, for a one-shot read; undefined follows the live edge forever. */
  endTime?: number;
  /** How far back each live-edge query reaches into what the previous one covered. */
  overlapMs: number;
  /** Hard cap of remembered event ids. */
  maxRememberedIds: number;
  /** Hard caps of one query's buffered events, before they are sorted and emitted. */
  maxBufferedEvents: number;
  maxBufferedChars: number;
  /** A shared id window, when several cursors read one group one after another (live-tail gaps). */
  window?: EventIdWindow;
}

export interface PollQuery {
  startTime: number;
  /** Inclusive, like FilterLogEvents' endTime. */
  endTime: number;
  /** When the query was planned: the overlap is measured back from it. */
  plannedAt: number;
  /** The query reaches the present; more events may appear in its range later. */
  atLiveEdge: boolean;
  /**
   * A one-millisecond range: every event in it has the same timestamp, so pages are already in order
   * and can be emitted as they come instead of being buffered.
   */
  streamPages: boolean;
}

/** Event ids with their timestamps, bounded (see TimeIndexedMap). */
export class EventIdWindow {
  readonly ids = new TimeIndexedMap<true>();
  /** Every id with a timestamp at or above this is remembered: queries never start below it. */
  floor = Number.NEGATIVE_INFINITY;

  /** True when the event was not seen before (and remembers it). Events without id always count as new. */
  admit(event: LogEvent): boolean {
    if (event.eventId === undefined) return true;
    if (this.ids.has(event.eventId)) return false;
    this.ids.set(event.eventId, event.timestamp, true);
    return true;
  }

  forgetBelow(timestamp: number): void {
    if (timestamp <= this.floor) return;
    this.ids.pruneBelow(timestamp);
    this.floor = timestamp;
  }

  enforceCap(maxIds: number): void {
    const floor = this.ids.pruneToSize(maxIds);
    if (floor !== undefined && floor > this.floor) this.floor = floor;
  }
}

const MAX_SLICE_MS = 14 * 86_400_000;

export class PollCursor {
  readonly window: EventIdWindow;
  private nextStart: number;
  /** Highest timestamp every query so far has covered up to (inclusive). */
  private coveredUntil: number;
  private sliceMs = MAX_SLICE_MS;

  constructor(private readonly options: PollCursorOptions) {
    this.window = options.window ?? new EventIdWindow();
    this.nextStart = Math.max(options.startTime, this.window.floor);
    this.coveredUntil = options.startTime - 1;
  }

  /** The next query, or undefined when a one-shot read is complete. */
  plan(now: number): PollQuery | undefined {
    const limit = this.options.endTime ?? now;
    if (this.options.endTime !== undefined && this.coveredUntil >= this.options.endTime) return undefined;
    const startTime = Math.max(this.nextStart, this.window.floor);
    const endTime = Math.max(startTime, Math.min(limit, this.coveredUntil + this.sliceMs));
    return {
      startTime,
      endTime,
      plannedAt: now,
      atLiveEdge: this.options.endTime === undefined && endTime >= now,
      streamPages: startTime === endTime,
    };
  }

  /** The new events among `events` (all returned by `query`), sorted by timestamp; remembers them. */
  admit(events: readonly LogEvent[]): LogEvent[] {
    return sortByTimestamp(events.filter((event) => this.window.admit(event)));
  }

  /** Too much for one buffer: the next plan covers a quarter of the range, then no overlap at all. */
  overflowed(query: PollQuery): void {
    const newRange = query.endTime - this.coveredUntil;
    if (newRange > 1) {
      this.sliceMs = Math.max(1, Math.floor(newRange / 4));
    } else {
      // The overlap alone holds too many events: give it up rather than buffer without bound.
      this.sliceMs = 1;
      this.nextStart = Math.max(this.nextStart, this.coveredUntil + 1);
      this.window.forgetBelow(this.nextStart);
    }
  }

  /** The query returned all its pages; `fetched` counts them all, new or not. */
  completed(query: PollQuery, fetched: number): void {
    this.coveredUntil = Math.max(this.coveredUntil, query.endTime);
    // Past ranges need no overlap: only a range close to "now" can still receive late events.
    this.nextStart = Math.max(this.nextStart, Math.min(query.endTime + 1, query.plannedAt - this.options.overlapMs));
    this.window.forgetBelow(this.nextStart);
    this.window.enforceCap(this.options.maxRememberedIds);
    if (fetched < this.options.maxBufferedEvents / 8) this.sliceMs = Math.min(MAX_SLICE_MS, this.sliceMs * 2);
    else if (fetched > this.options.maxBufferedEvents / 2) this.sliceMs = Math.max(1, Math.floor(this.sliceMs / 2));
  }

  get done(): boolean {
    return this.options.endTime !== undefined && this.coveredUntil >= this.options.endTime;
  }

  get bufferLimits(): { maxEvents: number; maxChars: number } {
    return { maxEvents: this.options.maxBufferedEvents, maxChars: this.options.maxBufferedChars };
  }
}
