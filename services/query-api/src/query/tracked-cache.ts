/**
 * The in-process half of Redis's server-assisted client-side caching: values read from Redis keys,
 * kept until Redis says a key changed (`invalidate`) or that everything may have (`flush`). It knows
 * nothing of connections; the owner turns `tracking` on once Redis tracks the reads and sends the
 * invalidations where the owner listens, and off (which flushes) whenever that may have stopped.
 *
 * The race the Redis docs describe: a read's reply and the invalidation of the same key travel on two
 * connections, so the invalidation can be handled before the reply of a read that the write already
 * made old. Each read therefore takes a ticket before it is sent; an invalidation of its key, a flush
 * or a change of tracking in the meantime voids the ticket, and the reply of a void ticket is given
 * to its caller but not cached.
 *
 * Bounded: past `maxEntries` the oldest entry goes (Redis still tracks the key; its invalidation is
 * then ignored).
 */
export class TrackedCache<V> {
  readonly #maxEntries: number;
  readonly #entries = new Map<string, V>();
  /** The newest ticket of each key with a read in flight. */
  readonly #pending = new Map<string, number>();
  #lastTicket = 0;
  /** Bumped by every flush: a ticket of an earlier epoch is void whatever its key. */
  #epoch = 0;
  #tracking = false;

  constructor(options: { maxEntries: number }) {
    if (!Number.isSafeInteger(options.maxEntries) || options.maxEntries < 1)
      throw new RangeError(`maxEntries must be a positive integer, not ${options.maxEntries}`);
    this.#maxEntries = options.maxEntries;
  }

  /** Whether invalidations are known to arrive, so values may be cached and served. */
  get tracking(): boolean {
    return this.#tracking;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Flushes in either direction: values cached before tracking broke can no longer be trusted. */
  setTracking(tracking: boolean): void {
    this.flush();
    this.#tracking = tracking;
  }

  /** The cached value of `key`, or `undefined` (also while not tracking). */
  get(key: string): { value: V } | undefined {
    if (!this.#tracking || !this.#entries.has(key)) return undefined;
    return { value: this.#entries.get(key) as V };
  }

  /** Call before sending the read of `key`; `undefined` while not tracking (the reply is not cached). */
  begin(key: string): Ticket | undefined {
    if (!this.#tracking) return undefined;
    const id = ++this.#lastTicket;
    this.#pending.set(key, id);
    return { key, id, epoch: this.#epoch };
  }

  /** Caches the reply of a ticket's read unless the ticket was voided. Returns whether it did. */
  settle(ticket: Ticket | undefined, value: V): boolean {
    if (ticket === undefined || !this.#release(ticket)) return false;
    if (!this.#tracking || ticket.epoch !== this.#epoch) return false;
    if (this.#entries.size >= this.#maxEntries && !this.#entries.has(ticket.key)) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(ticket.key, value);
    return true;
  }

  /** A read that failed: nothing to cache, and its ticket no longer pending. */
  abandon(ticket: Ticket | undefined): void {
    if (ticket !== undefined) this.#release(ticket);
  }

  invalidate(keys: Iterable<string>): void {
    for (const key of keys) {
      this.#entries.delete(key);
      this.#pending.delete(key);
    }
  }

  flush(): void {
    this.#entries.clear();
    this.#pending.clear();
    this.#epoch++;
  }

  /** Whether the ticket was still the key's newest pending one (a newer read of the key voids it). */
  #release(ticket: Ticket): boolean {
    if (this.#pending.get(ticket.key) !== ticket.id) return false;
    this.#pending.delete(ticket.key);
    return true;
  }
}

export interface Ticket {
  readonly key: string;
  readonly id: number;
  readonly epoch: number;
}
