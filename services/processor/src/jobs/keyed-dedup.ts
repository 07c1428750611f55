import type { StatePart } from './state-part.ts';

/**
 * Drops a record whose event id was already accepted for the same key, while that earlier record's
 * event time is within `horizonMs` behind the watermark. Ids are kept per key so the changelog holds
 * only the keys that saw new ids (or lost old ones to the sweep) since the last commit.
 */
export class KeyedDedup implements StatePart {
  readonly section = 'dedup';
  private readonly horizonMs: number;
  private readonly seen = new Map<string, Map<string, number>>();
  private readonly dirty = new Set<string>();
  private lastSweepMs = -Infinity;

  constructor(horizonMs: number) {
    this.horizonMs = horizonMs;
  }

  /** True when the record is a duplicate; otherwise remembers it (unless already beyond the horizon). */
  isDuplicate(key: string, eventId: string, eventTimeMs: number, watermarkMs: number): boolean {
    let ids = this.seen.get(key);
    if (ids?.has(eventId)) return true;
    if (eventTimeMs < watermarkMs - this.horizonMs) return false;
    if (ids === undefined) {
      ids = new Map();
      this.seen.set(key, ids);
    }
    ids.set(eventId, eventTimeMs);
    this.dirty.add(key);
    return false;
  }

  /** Forgets ids that fell out of the horizon; runs at most every quarter horizon of watermark. */
  sweep(watermarkMs: number): void {
    if (watermarkMs < this.lastSweepMs + this.horizonMs / 4) return;
    this.lastSweepMs = watermarkMs;
    const oldest = watermarkMs - this.horizonMs;
    for (const [key, ids] of this.seen) {
      let removed = false;
      for (const [id, t] of ids) {
        if (t < oldest) {
          ids.delete(id);
          removed = true;
        }
      }
      if (!removed) continue;
      if (ids.size === 0) this.seen.delete(key);
      this.dirty.add(key);
    }
  }

  get size(): number {
    return this.seen.size;
  }

  get pendingChanges(): number {
    return this.dirty.size;
  }

  takeChanges(): [string, unknown][] {
    const changes: [string, unknown][] = [];
    for (const key of this.dirty) {
      const ids = this.seen.get(key);
      changes.push([key, ids === undefined ? null : [...ids]]);
    }
    this.dirty.clear();
    return changes;
  }

  restore(entries: Iterable<[string, unknown]>): void {
    for (const [key, value] of entries) this.seen.set(key, new Map(value as [string, number][]));
  }
}
