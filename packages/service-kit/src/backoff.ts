export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** A number in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}

/**
 * Exponential backoff with full jitter (AWS architecture blog's "full jitter"): attempt n waits a
 * uniform time in [0, min(max, initial * 2^(n-1))], so many clients retrying a recovering source or
 * store spread out instead of retrying in lockstep. Attempt numbers start at 1.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Resolves after `ms`, or at once when the signal aborts (never rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
