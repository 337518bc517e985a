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
  | { state: 'paused' };

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
  }
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
    default:
      return undefined;
  }
}
