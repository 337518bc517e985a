/**
 * The one wait of the code base: polling loops (rollouts, scans, log tails) pause with it and stop at
 * once when the person cancels.
 */

/** Resolves `true` after `ms`, or `false` as soon as the signal aborts (at once when it already has). Never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Like `sleep`, but an abort rejects with the signal's reason: for loops that end by throwing. */
export async function sleepOrThrow(ms: number, signal?: AbortSignal): Promise<void> {
  if (!(await sleep(ms, signal))) signal?.throwIfAborted();
}
