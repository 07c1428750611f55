import { WindowingErrorCodes } from './errors.ts';
import { floorMod, requireInteger } from './internals/validate.ts';
import type { WindowBounds } from './window-bounds.ts';
import { WindowKind } from './window-kind.ts';

const code = WindowingErrorCodes.invalidWindow;

/**
 * Tumbling and hopping event-time windows, aligned to the epoch (plus `offsetMs`) and half-open.
 * A hopping window of `sizeMs` advancing by `advanceMs` holds an event at t when start <= t < start + size,
 * for every start = offset + n * advance; a tumbling window is one whose advance equals its size.
 *
 *   TimeWindows.ofSizeAndGrace(3_000, 0).advanceBy(1_000)   // Spark's window(ts, "3 seconds", "1 second")
 *   TimeWindows.ofSizeWithNoGrace(86_400_000).withOffsetMs(-10 * 3_600_000)   // days in UTC+10
 */
export class TimeWindows {
  readonly kind = WindowKind.time;
  readonly sizeMs: number;
  readonly advanceMs: number;
  /** How long after its end (in event time, against the watermark) a window still accepts late events. */
  readonly graceMs: number;
  /** Shift of the window grid from the epoch, normalised to [0, advanceMs). */
  readonly offsetMs: number;

  private constructor(sizeMs: number, advanceMs: number, graceMs: number, offsetMs: number) {
    requireInteger(code, 'sizeMs', sizeMs, 1);
    requireInteger(code, 'advanceMs', advanceMs, 1, sizeMs);
    requireInteger(code, 'graceMs', graceMs, 0);
    requireInteger(code, 'offsetMs', offsetMs, Number.MIN_SAFE_INTEGER);
    this.sizeMs = sizeMs;
    this.advanceMs = advanceMs;
    this.graceMs = graceMs;
    this.offsetMs = floorMod(offsetMs, advanceMs);
    Object.freeze(this);
  }

  /** Tumbling windows of `sizeMs` that accept no event once the watermark has passed their end. */
  static ofSizeWithNoGrace(sizeMs: number): TimeWindows {
    return new TimeWindows(sizeMs, sizeMs, 0, 0);
  }

  /** Tumbling windows of `sizeMs` that still accept late events until the watermark passes end + `graceMs`. */
  static ofSizeAndGrace(sizeMs: number, graceMs: number): TimeWindows {
    return new TimeWindows(sizeMs, sizeMs, graceMs, 0);
  }

  /** Hopping windows: a new window starts every `advanceMs` (0 < advanceMs <= sizeMs). */
  advanceBy(advanceMs: number): TimeWindows {
    return new TimeWindows(this.sizeMs, advanceMs, this.graceMs, this.offsetMs);
  }

  /** Shifts the window grid, e.g. by a time zone's offset so that days start at local midnight. */
  withOffsetMs(offsetMs: number): TimeWindows {
    return new TimeWindows(this.sizeMs, this.advanceMs, this.graceMs, offsetMs);
  }

  get isTumbling(): boolean {
    return this.advanceMs === this.sizeMs;
  }

  /** The windows an event at `timestampMs` belongs to, by ascending start. */
  windowsFor(timestampMs: number): WindowBounds[] {
    const windows: WindowBounds[] = [];
    let start = timestampMs - floorMod(timestampMs - this.offsetMs, this.advanceMs);
    while (start - this.advanceMs > timestampMs - this.sizeMs) start -= this.advanceMs;
    for (; start <= timestampMs; start += this.advanceMs) {
      windows.push({ startMs: start, endMs: start + this.sizeMs });
    }
    return windows;
  }

  toString(): string {
    return `TimeWindows(sizeMs=${this.sizeMs}, advanceMs=${this.advanceMs}, graceMs=${this.graceMs}, offsetMs=${this.offsetMs})`;
  }
}
