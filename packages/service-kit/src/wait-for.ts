/**
 * Polls `probe` until `done` accepts what it gives, and returns that; past `timeoutMs` it throws an
 * error naming `what` and the last value seen. For tests and scripts that wait on eventually
 * consistent stores (a sink catching up, an index refreshing), without sleeping fixed times.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    last = await probe();
  }
  return last;
}
