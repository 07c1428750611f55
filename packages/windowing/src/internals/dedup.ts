/**
 * Drops events whose id was already accepted within a bounded horizon of event time: an id is remembered
 * while the event time it came with is no older than the watermark minus `horizonMs`. Whether an event is a
 * duplicate depends only on the ids, times and watermark, never on when stale ids are swept, so sweeping is
 * free to be lazy (once per horizon of watermark progress).
 */
export class Deduplicator {
  readonly horizonMs: number;
  private readonly seen = new Map<string, number>();
  private lastSweepMs = Number.NEGATIVE_INFINITY;

  constructor(horizonMs: number) {
    this.horizonMs = horizonMs;
  }

  get size(): number {
    return this.seen.size;
  }

  /** True when `eventId` is a duplicate; otherwise remembers it and returns false. */
  check(eventId: string, eventTimeMs: number, watermarkMs: number): boolean {
    const previous = this.seen.get(eventId);
    if (previous !== undefined && previous >= watermarkMs - this.horizonMs) return true;
    this.seen.set(eventId, eventTimeMs);
    return false;
  }

  /** Forgets ids that can no longer match, at most once per horizon of watermark progress. */
  sweep(watermarkMs: number): void {
    if (!(watermarkMs - this.lastSweepMs >= this.horizonMs)) return;
    const oldest = watermarkMs - this.horizonMs;
    for (const [id, timeMs] of this.seen) if (timeMs < oldest) this.seen.delete(id);
    this.lastSweepMs = watermarkMs;
  }

  snapshot(): { entries: [string, number][]; lastSweepMs: number } {
    return { entries: [...this.seen], lastSweepMs: this.lastSweepMs };
  }

  restore(snapshot: { entries: [string, number][]; lastSweepMs: number }): void {
    this.seen.clear();
    for (const [id, timeMs] of snapshot.entries) this.seen.set(id, timeMs);
    this.lastSweepMs = snapshot.lastSweepMs;
  }
}
