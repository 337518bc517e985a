/** Pause and resume for a running tail: its loops wait at the gate, and live sessions end on pause. */
export class PauseGate {
  private pausedState = false;
  private waiters: Array<() => void> = [];
  private pauseListeners = new Set<() => void>();

  get paused(): boolean {
    return this.pausedState;
  }

  pause(): void {
    if (this.pausedState) return;
    this.pausedState = true;
    for (const listener of [...this.pauseListeners]) listener();
  }

  resume(): void {
    if (!this.pausedState) return;
    this.pausedState = false;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves at once when running, else on resume or abort. */
  wait(signal: AbortSignal): Promise<void> {
    if (!this.pausedState || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.push(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Calls `listener` on every pause until the returned function is called. */
  onPause(listener: () => void): () => void {
    this.pauseListeners.add(listener);
    return () => this.pauseListeners.delete(listener);
  }
}
