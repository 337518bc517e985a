/**
 * How long a tail waits: between polls (from the start of one poll to the start of the next; longer
 * when throttled, then back down step by step) and before a retry after a failure (exponential, with
 * jitter so several tails do not retry in step).
 */

export interface PollIntervalOptions {
  minMs: number;
  maxMs: number;
  /** Growth per quiet poll. */
  growth: number;
  /** Ceiling while the API throttles. */
  throttledMaxMs: number;
}

/**
 * One poll a second whether the group is busy or quiet: a quiet group that wakes up is shown as fast as
 * a busy one (an interval that grew while quiet made the first line after a pause wait up to 5 s), at
 * 60 calls a minute per group.
 */
export const DEFAULT_POLL_INTERVAL: PollIntervalOptions = { minMs: 1000, maxMs: 1000, growth: 1.5, throttledMaxMs: 30_000 };

export class PollInterval {
  private current: number;

  constructor(private readonly options: PollIntervalOptions = DEFAULT_POLL_INTERVAL) {
    this.current = options.minMs;
  }

  get ms(): number {
    return this.current;
  }

  /**
   * After a poll at the live edge: new events bring the interval back to the minimum, quiet polls let
   * it grow to the maximum. Above the maximum (after throttling) it halves per successful poll, so the
   * tail recovers its pace in a few polls without going straight back to the rate that was throttled.
   */
  afterPoll(newEvents: number): number {
    if (this.current > this.options.maxMs) this.current = Math.max(this.options.maxMs, Math.round(this.current / 2));
    else this.current = newEvents > 0 ? this.options.minMs : Math.min(this.options.maxMs, Math.round(this.current * this.options.growth));
    return this.current;
  }

  /** After a throttled call: twice as long, up to the throttled ceiling. */
  afterThrottle(): number {
    this.current = Math.min(this.options.throttledMaxMs, Math.max(this.options.minMs, this.current * 2));
    return this.current;
  }
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** 0.2 spreads each delay over ±20 %. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 30_000, jitter: 0.2 };

export class Backoff {
  private failures = 0;

  constructor(
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt, growing with each consecutive failure. */
  next(): number {
    const raw = Math.min(this.options.maxMs, this.options.baseMs * 2 ** this.failures);
    this.failures++;
    const spread = raw * this.options.jitter * (this.random() * 2 - 1);
    return Math.max(0, Math.round(raw + spread));
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  reset(): void {
    this.failures = 0;
  }
}
