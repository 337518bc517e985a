/** One CloudWatch Logs event as the tail carries it, whichever API delivered it. */
export interface LogEvent {
  /** Milliseconds since the epoch, as the producer stamped it. */
  timestamp: number;
  logStreamName: string;
  message: string;
  /** FilterLogEvents gives one; StartLiveTail frames do not. */
  eventId?: string;
  /** The log group, when a tail reads more than one. */
  logGroupName?: string;
  ingestionTime?: number;
}

/** Stable sort by timestamp: events of one stream keep the order the API gave them. */
export function sortByTimestamp<T extends { timestamp: number }>(events: T[]): T[] {
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => a.event.timestamp - b.event.timestamp || a.index - b.index)
    .map((entry) => entry.event);
}
