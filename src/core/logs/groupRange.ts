/**
 * The oldest timestamp a log group can hold, so a "since" far in the past is not read slice by slice
 * from 1970. PutLogEvents refuses events more than 14 days older than the call and events older than
 * the group's retention, and the group accepted nothing before it existed.
 */

const DAY_MS = 86_400_000;

/** How far in the past PutLogEvents accepts an event's timestamp. */
export const MAX_INGEST_AGE_MS = 14 * DAY_MS;

export interface LogGroupDates {
  /** Milliseconds since the epoch, as DescribeLogGroups gives it. */
  creationTime?: number;
  /** Undefined: the group keeps events forever. */
  retentionInDays?: number;
}

/** The earliest timestamp worth reading in the group, or undefined when DescribeLogGroups said nothing usable. */
export function earliestEventTime(group: LogGroupDates, now: number): number | undefined {
  const bounds: number[] = [];
  if (group.creationTime !== undefined && group.creationTime > 0) bounds.push(group.creationTime - MAX_INGEST_AGE_MS);
  if (group.retentionInDays !== undefined && group.retentionInDays > 0) bounds.push(now - group.retentionInDays * DAY_MS);
  return bounds.length ? Math.max(...bounds) : undefined;
}
