/**
 * Runs one planned query page by page. The new events of each page (ids not seen before) are buffered
 * and emitted sorted when the last page arrives, so a query that fails half-way (network drop,
 * throttling) emits nothing and is simply retried; events seen before cost no memory, which keeps a
 * sweep over minutes of a busy group cheap. A one-millisecond query streams its pages instead: they are in order by nature,
 * and the id window keeps a retry from repeating what was already emitted.
 */
import type { LogEvent } from './events';
import type { PollCursor, PollQuery } from './pollCursor';

export interface FilterPage {
  events: LogEvent[];
  nextToken?: string;
}

export type FetchPage = (query: PollQuery, nextToken: string | undefined) => Promise<FilterPage>;

export type QueryOutcome = { kind: 'completed'; fetched: number; emitted: number } | { kind: 'overflowed' };

export interface RunQueryOptions {
  /** Client-side filter applied before buffering (stream prefixes the endpoint may ignore). */
  accept?: (event: LogEvent) => boolean;
}

export async function runPollQuery(
  cursor: PollCursor,
  query: PollQuery,
  fetchPage: FetchPage,
  emit: (events: LogEvent[]) => void | Promise<void>,
  options: RunQueryOptions = {},
): Promise<QueryOutcome> {
  const { maxEvents, maxChars } = cursor.bufferLimits;
  const seenTokens = new Set<string>();
  const buffer: LogEvent[] = [];
  let bufferedChars = 0;
  let fetched = 0;
  let emitted = 0;
  let token: string | undefined;
  do {
    const page = await fetchPage(query, token);
    fetched += page.events.length;
    const accepted = options.accept ? page.events.filter(options.accept) : page.events;
    if (query.streamPages) {
      const fresh = cursor.admit(accepted);
      emitted += fresh.length;
      if (fresh.length) await emit(fresh);
    } else {
      for (const event of accepted) {
        if (!cursor.isNew(event)) continue;
        buffer.push(event);
        bufferedChars += event.message.length + event.logStreamName.length;
      }
      if (buffer.length > maxEvents || bufferedChars > maxChars) {
        cursor.overflowed(query);
        return { kind: 'overflowed' };
      }
    }
    token = page.nextToken;
    // A token seen twice would page forever: the query is complete as far as the endpoint can tell.
    if (token !== undefined && seenTokens.has(token)) token = undefined;
    if (token !== undefined) seenTokens.add(token);
  } while (token);
  if (!query.streamPages) {
    const fresh = cursor.admit(buffer);
    emitted = fresh.length;
    if (fresh.length) await emit(fresh);
  }
  cursor.completed(query, query.streamPages ? fetched : buffer.length);
  return { kind: 'completed', fetched, emitted };
}
