import { WindowingError, WindowingErrorCodes } from '../errors.ts';

export interface PartitionState {
  readonly partition: number;
  maxEventTimeMs: number;
  idle: boolean;
}

/**
 * Event-time watermarks: per input partition, the largest event time seen minus the allowed
 * out-of-orderness; for the operator, the minimum over the partitions that are not idle, never decreasing.
 * A partition the caller marks idle stops holding the watermark back until it delivers a record again;
 * when every partition is idle the watermark moves to the largest of theirs (Flink's rule).
 * Declared partitions hold the watermark at -Infinity until they deliver a record or are marked idle, so a
 * replay that reads one partition ahead of another does not turn the other's records late.
 */
export class PartitionWatermarks {
  readonly delayMs: number;
  currentMs = Number.NEGATIVE_INFINITY;
  private readonly partitions = new Map<number, PartitionState>();
  /** The minimum watermark over active partitions at the last recomputation (+Infinity if none). */
  private activeMinMs = Number.POSITIVE_INFINITY;
  private cached: PartitionState | undefined;

  constructor(delayMs: number) {
    this.delayMs = delayMs;
  }

  /** The state of `partition`, created (active, nothing seen) on first use. */
  partition(partition: number): PartitionState {
    const cached = this.cached;
    if (cached !== undefined && cached.partition === partition) return cached;
    let state = this.partitions.get(partition);
    if (state === undefined) {
      if (!Number.isSafeInteger(partition) || partition < 0) {
        throw new WindowingError(
          WindowingErrorCodes.invalidRecord,
          `partition must be an integer >= 0, got ${String(partition)}`,
        );
      }
      state = { partition, maxEventTimeMs: Number.NEGATIVE_INFINITY, idle: false };
      this.partitions.set(partition, state);
      this.recompute();
    }
    this.cached = state;
    return state;
  }

  /** Records an event on `state`'s partition (which becomes active); true when the watermark advanced. */
  observe(state: PartitionState, eventTimeMs: number): boolean {
    const wasIdle = state.idle;
    if (eventTimeMs <= state.maxEventTimeMs && !wasIdle) return false;
    const oldMs = state.maxEventTimeMs - this.delayMs;
    if (eventTimeMs > state.maxEventTimeMs) state.maxEventTimeMs = eventTimeMs;
    state.idle = false;
    // A partition above the active minimum cannot move it; only a change of idleness or of the minimum can.
    if (!wasIdle && oldMs > this.activeMinMs) return false;
    return this.recompute();
  }

  /** True when the watermark advanced. */
  markIdle(partition: number): boolean {
    const state = this.partition(partition);
    if (state.idle) return false;
    state.idle = true;
    return this.recompute();
  }

  /** Bounded input is over: every window can close. */
  end(): boolean {
    if (this.currentMs === Number.POSITIVE_INFINITY) return false;
    this.currentMs = Number.POSITIVE_INFINITY;
    return true;
  }

  snapshot(): { currentMs: number; partitions: [number, number, boolean][] } {
    const partitions: [number, number, boolean][] = [];
    for (const s of this.partitions.values()) partitions.push([s.partition, s.maxEventTimeMs, s.idle]);
    return { currentMs: this.currentMs, partitions };
  }

  restore(snapshot: { currentMs: number; partitions: [number, number, boolean][] }): void {
    this.partitions.clear();
    this.cached = undefined;
    for (const [partition, maxEventTimeMs, idle] of snapshot.partitions) {
      this.partitions.set(partition, { partition, maxEventTimeMs, idle });
    }
    this.recompute();
    this.currentMs = snapshot.currentMs;
  }

  private recompute(): boolean {
    let activeMin = Number.POSITIVE_INFINITY;
    let anyActive = false;
    let allMax = Number.NEGATIVE_INFINITY;
    for (const s of this.partitions.values()) {
      const wm = s.maxEventTimeMs - this.delayMs;
      if (!s.idle) {
        anyActive = true;
        if (wm < activeMin) activeMin = wm;
      }
      if (wm > allMax) allMax = wm;
    }
    this.activeMinMs = activeMin;
    const candidate = anyActive ? activeMin : allMax;
    if (candidate > this.currentMs) {
      this.currentMs = candidate;
      return true;
    }
    return false;
  }
}
