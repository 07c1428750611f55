/**
 * A short-lived cache of query results keyed by the normalised query: identical requests within
 * `ttlMs` share one result, and identical requests in flight share one query (a dashboard wall asking
 * the same history at once costs PostgreSQL one query).
 *
 * Past `ttlMs` a result is refreshed in the background while requests go on getting it, for at most
 * `staleMs` more (stale-while-revalidate): in steady traffic no request waits for PostgreSQL, and no
 * answer is older than `ttlMs + staleMs` plus one query. A key asked for after that waits for a new
 * query, as does a key asked for the first time. A failed query is not cached; a failed refresh leaves
 * the older result in place until it is too old. Bounded: past `maxEntries` it starts afresh.
 */
export class ResultCache {
  readonly #ttlMs: number;
  readonly #staleMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #onRefreshError: (error: unknown) => void;
  readonly #entries = new Map<string, Entry>();

  constructor(options: {
    ttlMs: number;
    staleMs?: number;
    maxEntries?: number;
    now?: () => number;
    /** A background refresh failed (no request waits for it, so no request reports it). */
    onRefreshError?: (error: unknown) => void;
  }) {
    this.#ttlMs = options.ttlMs;
    this.#staleMs = options.staleMs ?? 0;
    this.#maxEntries = options.maxEntries ?? 1000;
    this.#now = options.now ?? Date.now;
    this.#onRefreshError = options.onRefreshError ?? (() => undefined);
  }

  async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.#ttlMs === 0) return compute();
    const now = this.#now();
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      const age = now - hit.atMs;
      if (age < this.#ttlMs) return hit.value as Promise<T>;
      if (hit.ready && age < this.#ttlMs + this.#staleMs) {
        if (!hit.refreshing) this.#refresh(key, hit, compute);
        return hit.value as Promise<T>;
      }
    }
    return this.#compute(key, now, compute);
  }

  clear(): void {
    this.#entries.clear();
  }

  #compute<T>(key: string, now: number, compute: () => Promise<T>): Promise<T> {
    if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
    const value = compute();
    const entry: Entry = { atMs: now, value, ready: false, refreshing: false };
    this.#entries.set(key, entry);
    value.then(
      () => (entry.ready = true),
      // A failure is not cached: the next request tries again.
      () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    );
    return value;
  }

  #refresh(key: string, stale: Entry, compute: () => Promise<unknown>): void {
    stale.refreshing = true;
    const startedMs = this.#now();
    compute().then(
      (result) => {
        if (this.#entries.get(key) !== stale) return;
        this.#entries.set(key, {
          atMs: startedMs,
          value: Promise.resolve(result),
          ready: true,
          refreshing: false,
        });
      },
      (error: unknown) => {
        stale.refreshing = false;
        this.#onRefreshError(error);
      },
    );
  }
}

interface Entry {
  /** When the query behind `value` started: the answer holds everything committed before then. */
  readonly atMs: number;
  readonly value: Promise<unknown>;
  /** `value` has resolved, so it may be served while a refresh runs. */
  ready: boolean;
  refreshing: boolean;
}
