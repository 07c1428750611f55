/**
 * Drops events whose id was already accepted within a bounded horizon of event time: an id is remembered
 * while the event time it came with is no older than the watermark minus `horizonMs`. Whether an event is a
 * duplicate depends only on the ids, times and watermark, never on when stale ids are swept, so sweeping is
 * free to be lazy (once per horizon of watermark progress).
 *
 * Ids are global (a repeated id is a duplicate whatever its key), but each is remembered with the key of the
 * event that brought it, so that a key's state (its changelog record) holds its own ids and a restore from
 * per-key records rebuilds exactly the same set.
 */
export class Deduplicator<K> {
  readonly horizonMs: number;
  /** Which key remembers each id. */
  private readonly owners = new Map<string, K>();
  /** Each key's ids with the event time they came with. */
  private readonly byKey = new Map<K, Map<string, number>>();
  private readonly touch: (key: K) => void;
  lastSweepMs = Number.NEGATIVE_INFINITY;

  constructor(horizonMs: number, touch: (key: K) => void) {
    this.horizonMs = horizonMs;
    this.touch = touch;
  }

  get size(): number {
    return this.owners.size;
  }

  /** True when `eventId` is a duplicate; otherwise remembers it with `key` and returns false. */
  check(eventId: string, key: K, eventTimeMs: number, watermarkMs: number): boolean {
    const owner = this.owners.get(eventId);
    if (owner !== undefined) {
      const ids = this.byKey.get(owner) as Map<string, number>;
      if ((ids.get(eventId) as number) >= watermarkMs - this.horizonMs) return true;
      if (owner !== key) this.forget(owner, ids, eventId);
    }
    this.owners.set(eventId, key);
    let ids = this.byKey.get(key);
    if (ids === undefined) {
      ids = new Map();
      this.byKey.set(key, ids);
    }
    ids.set(eventId, eventTimeMs);
    this.touch(key);
    return false;
  }

  /** Forgets ids that can no longer match, at most once per horizon of watermark progress. */
  sweep(watermarkMs: number): void {
    if (!(watermarkMs - this.lastSweepMs >= this.horizonMs)) return;
    const oldest = watermarkMs - this.horizonMs;
    for (const [key, ids] of this.byKey) {
      let changed = false;
      for (const [id, timeMs] of ids) {
        if (timeMs < oldest) {
          ids.delete(id);
          this.owners.delete(id);
          changed = true;
        }
      }
      if (changed) {
        this.touch(key);
        if (ids.size === 0) this.byKey.delete(key);
      }
    }
    this.lastSweepMs = watermarkMs;
  }

  /** The keys holding ids. */
  keys(): IterableIterator<K> {
    return this.byKey.keys();
  }

  /** The key's ids with their event times, in the order they were remembered. */
  idsOf(key: K): [string, number][] {
    const ids = this.byKey.get(key);
    return ids === undefined ? [] : [...ids];
  }

  clear(lastSweepMs: number): void {
    this.owners.clear();
    this.byKey.clear();
    this.lastSweepMs = lastSweepMs;
  }

  /** Adds a restored key's ids; an id already held by another key means the records disagree. */
  restoreKey(key: K, entries: readonly [string, number][]): void {
    if (entries.length === 0) return;
    const ids = new Map<string, number>();
    for (const [id, timeMs] of entries) {
      if (typeof id !== 'string' || typeof timeMs !== 'number' || this.owners.has(id)) {
        throw new Error(
          `dedup id ${JSON.stringify(id)} of key ${JSON.stringify(key)} is malformed or held twice`,
        );
      }
      this.owners.set(id, key);
      ids.set(id, timeMs);
    }
    this.byKey.set(key, ids);
  }

  private forget(owner: K, ids: Map<string, number>, eventId: string): void {
    ids.delete(eventId);
    if (ids.size === 0) this.byKey.delete(owner);
    this.touch(owner);
  }
}
