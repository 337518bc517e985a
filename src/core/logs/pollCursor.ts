/**
 * Where the next FilterLogEvents query starts and ends, and which returned events are new.
 *
 * CloudWatch makes an event visible some time after its timestamp (producers buffer, ingestion lags,
 * a task's clock is behind), so a query that ends "now" can miss an event stamped before now. Two
 * reaches back cover that:
 *  - every query at the live edge starts `overlapMs` before the previous one was made (events a few
 *    seconds late show up at the next poll);
 *  - every `sweepEveryMs` one of them (a sweep) starts `lateWindowMs` before the previous sweep was
 *    made, so an event that becomes visible up to `lateWindowMs` after its timestamp is still found,
 *    within one sweep period. Sweeps run only in a follow, once the catch-up reached the live edge.
 * Events seen before are recognised by `eventId`. Ids are remembered only for timestamps a later query
 * can still return: the window is bounded by time and by a hard cap. Under the cap's pressure the reach
 * back shrinks (an event later than the shrunken reach would be missed), never a duplicate nor an event
 * not yet queried.
 *
 * A query's new events are emitted sorted by timestamp, so the range a query covers is bounded: catching
 * up on a long "since" proceeds in slices sized to hold at most `maxBufferedEvents` new events.
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
  /** How late (after its timestamp) an event may become visible and still be found by a sweep; 0: no sweeps. */
  lateWindowMs?: number;
  /** How often a follow sweeps the late window. */
  sweepEveryMs?: number;
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
  /** The query reaches back over the late window (see the module comment). */
  sweep: boolean;
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

  /** Whether the event was seen before (without remembering it). */
  seen(event: LogEvent): boolean {
    return event.eventId !== undefined && this.ids.has(event.eventId);
  }

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

/** The first slice of a catch-up; later slices double while they hold few events, with no ceiling. */
const FIRST_SLICE_MS = 14 * 86_400_000;

export class PollCursor {
  readonly window: EventIdWindow;
  private nextStart: number;
  /** Highest timestamp every query so far has covered up to (inclusive). */
  private coveredUntil: number;
  private sliceMs = FIRST_SLICE_MS;
  /** Where the next sweep starts; undefined until the first plan (it is measured from then). */
  private sweepFrom: number | undefined;
  private lastSweepAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: PollCursorOptions) {
    this.window = options.window ?? new EventIdWindow();
    this.nextStart = Math.max(options.startTime, this.window.floor);
    this.coveredUntil = options.startTime - 1;
  }

  private get sweeps(): boolean {
    return this.options.endTime === undefined && (this.options.lateWindowMs ?? 0) > this.options.overlapMs;
  }

  /** The next query, or undefined when a one-shot read is complete. */
  plan(now: number): PollQuery | undefined {
    const limit = this.options.endTime ?? now;
    if (this.options.endTime !== undefined && this.coveredUntil >= this.options.endTime) return undefined;
    if (this.sweeps && this.sweepFrom === undefined) {
      // Events stamped before the tail started may still become visible: the first sweep covers them.
      this.sweepFrom = Math.max(this.options.startTime, now - this.options.lateWindowMs!);
      this.lastSweepAt = now;
    }
    let startTime = Math.max(this.nextStart, this.window.floor);
    const endTime = Math.max(startTime, Math.min(limit, this.coveredUntil + this.sliceMs));
    const atLiveEdge = this.options.endTime === undefined && endTime >= now;
    const sweep = atLiveEdge && this.sweepFrom !== undefined && now - this.lastSweepAt >= (this.options.sweepEveryMs ?? 0) && this.sweepFrom < startTime;
    if (sweep) startTime = Math.max(this.sweepFrom!, this.window.floor);
    return { startTime, endTime, plannedAt: now, atLiveEdge, sweep, streamPages: startTime === endTime };
  }

  /** Ids must be kept from here on: what the next edge query or the next sweep may return again. */
  private get keepFrom(): number {
    return this.sweepFrom === undefined ? this.nextStart : Math.min(this.nextStart, this.sweepFrom);
  }

  /** Whether a returned event is worth buffering (a query's events are admitted only once it completed). */
  isNew(event: LogEvent): boolean {
    return !this.window.seen(event);
  }

  /** The new events among `events` (all returned by `query`), sorted by timestamp; remembers them. */
  admit(events: readonly LogEvent[]): LogEvent[] {
    return sortByTimestamp(events.filter((event) => this.window.admit(event)));
  }

  /** Too much for one buffer: the next plan covers a quarter of the range, then no overlap at all. */
  overflowed(query: PollQuery): void {
    if (query.sweep) {
      // More new late events than one buffer holds: this sweep is given up (the reach back shrinks to
      // the edge overlap once) rather than buffering without bound.
      this.sweepFrom = this.nextStart;
      this.lastSweepAt = query.plannedAt;
      return;
    }
    const newRange = query.endTime - this.coveredUntil;
    if (newRange > 1) {
      this.sliceMs = Math.max(1, Math.floor(newRange / 4));
    } else {
      // The overlap alone holds too many events: give it up rather than buffer without bound.
      this.sliceMs = 1;
      this.nextStart = Math.max(this.nextStart, this.coveredUntil + 1);
      if (this.sweepFrom !== undefined) this.sweepFrom = Math.max(this.sweepFrom, this.nextStart);
      this.window.forgetBelow(this.keepFrom);
    }
  }

  /** The query returned all its pages; `fresh` counts the new events it held (slices are sized by them). */
  completed(query: PollQuery, fresh: number): void {
    this.coveredUntil = Math.max(this.coveredUntil, query.endTime);
    // Past ranges need no overlap: only a range close to "now" can still receive late events.
    this.nextStart = Math.max(this.nextStart, Math.min(query.endTime + 1, query.plannedAt - this.options.overlapMs));
    if (query.sweep) {
      // The next sweep reaches back from when this one was made, so a delayed sweep (throttling, a
      // slow page) still leaves no gap for events up to the late window.
      this.sweepFrom = Math.max(this.sweepFrom!, query.plannedAt - this.options.lateWindowMs!);
      this.lastSweepAt = query.plannedAt;
    }
    this.window.forgetBelow(this.keepFrom);
    this.window.enforceCap(this.options.maxRememberedIds);
    if (fresh < this.options.maxBufferedEvents / 8) this.sliceMs = Math.min(Number.MAX_SAFE_INTEGER, this.sliceMs * 2);
    else if (fresh > this.options.maxBufferedEvents / 2) this.sliceMs = Math.max(1, Math.floor(this.sliceMs / 2));
  }

  /** Every event up to this timestamp (inclusive) has been read; below the start when none was. */
  get readUntil(): number {
    return this.coveredUntil;
  }

  get done(): boolean {
    return this.options.endTime !== undefined && this.coveredUntil >= this.options.endTime;
  }

  get bufferLimits(): { maxEvents: number; maxChars: number } {
    return { maxEvents: this.options.maxBufferedEvents, maxChars: this.options.maxBufferedChars };
  }
}
