/**
 * A short-lived cache of query results keyed by the normalised query: identical requests within
 * `ttlMs` share one result, and identical requests in flight share one query (a dashboard wall asking
 * the same history at once costs PostgreSQL one query). Bounded: past `maxEntries` it starts afresh.
 */
export class ResultCache {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, { atMs: number; value: Promise<unknown> }>();

  constructor(options: { ttlMs: number; maxEntries?: number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 1000;
  }

  async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.#ttlMs === 0) return compute();
    const now = Date.now();
    const hit = this.#entries.get(key);
    if (hit !== undefined && now - hit.atMs < this.#ttlMs) return hit.value as Promise<T>;
    if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
    const value = compute();
    this.#entries.set(key, { atMs: now, value });
    // A failure is not cached: the next request tries again.
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    });
    return value;
  }

  clear(): void {
    this.#entries.clear();
  }
}
