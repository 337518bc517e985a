/** What a running tail is doing, and how that reads in a status line and in the output. */

export type TailStatus =
  | { state: 'reading' }
  | { state: 'polling'; intervalMs: number }
  | { state: 'live' }
  | { state: 'fallback'; reason: string }
  | { state: 'reconnecting'; reason: string; delayMs: number }
  | { state: 'retrying'; reason: string; delayMs: number }
  | { state: 'throttled'; delayMs: number }
  | { state: 'waitingForGroup'; logGroupName: string; delayMs: number }
  | { state: 'paused' }
  /**
   * A one-shot read spent its budget (readBudget.ts) and stopped: `logGroupName`'s events are shown from
   * `shownFrom` up to `shownUntil` (inclusive; below `shownFrom` when none were), `unreadGroups` not at all.
   */
  | { state: 'stoppedEarly'; reason: string; logGroupName: string; shownFrom: number; shownUntil: number; unreadGroups: number };

const seconds = (ms: number) => `${Math.max(1, Math.round(ms / 1000))}s`;

/** A few words for a status bar or a list. */
export function tailStatusLabel(status: TailStatus): string {
  switch (status.state) {
    case 'reading':
      return 'reading history';
    case 'polling':
      return 'polling';
    case 'live':
      return 'live tail';
    case 'fallback':
      return 'polling';
    case 'reconnecting':
      return 'reconnecting';
    case 'retrying':
      return 'retrying';
    case 'throttled':
      return 'throttled';
    case 'waitingForGroup':
      return 'waiting for log group';
    case 'paused':
      return 'paused';
    case 'stoppedEarly':
      return 'stopped early';
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

function stoppedEarlyNote(status: Extract<TailStatus, { state: 'stoppedEarly' }>): string {
  const shown = status.shownUntil < status.shownFrom ? `no events of ${status.logGroupName} were shown` : `${status.logGroupName} is shown from ${iso(status.shownFrom)} up to ${iso(status.shownUntil)}`;
  const unread = status.unreadGroups ? ` (${status.unreadGroups} more log group${status.unreadGroups === 1 ? '' : 's'} not read)` : '';
  return `stopped early ${status.reason}: ${shown}${unread}; read a shorter range (a later since) or add a filter.`;
}

/** A sentence worth writing beside the events (a change of mechanism, trouble), or undefined. */
export function tailStatusNote(status: TailStatus): string | undefined {
  switch (status.state) {
    case 'fallback':
      return `${status.reason}; polling FilterLogEvents instead.`;
    case 'retrying':
      return `retrying in ${seconds(status.delayMs)}: ${status.reason}`;
    case 'reconnecting':
      return status.delayMs ? `live tail reconnecting in ${seconds(status.delayMs)}: ${status.reason}` : undefined;
    case 'throttled':
      return `throttled by CloudWatch Logs; next try in ${seconds(status.delayMs)}.`;
    case 'waitingForGroup':
      return `log group ${status.logGroupName} does not exist yet; waiting for it.`;
    case 'stoppedEarly':
      return stoppedEarlyNote(status);
    default:
      return undefined;
  }
}
