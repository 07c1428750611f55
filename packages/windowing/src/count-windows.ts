import { WindowingErrorCodes } from './errors.ts';
import { requireInteger } from './internals/validate.ts';
import { WindowKind } from './window-kind.ts';

const code = WindowingErrorCodes.invalidWindow;

/**
 * Count windows over a key's events in arrival order: every `advanceEvents` events, a result over the
 * last `sizeEvents` events (fewer while the key has seen fewer). With the default advance of 1 and an
 * `avg` aggregate this is the simple moving average y(n) = (x(n-k+1) + ... + x(n)) / k; with
 * `advanceEvents === sizeEvents` the windows tumble. Count windows ignore event time and watermarks:
 * they fire as they fill, each result final.
 */
export class CountWindows {
  readonly kind = WindowKind.count;
  readonly sizeEvents: number;
  readonly advanceEvents: number;

  private constructor(sizeEvents: number, advanceEvents: number) {
    requireInteger(code, 'sizeEvents', sizeEvents, 1, 1_000_000);
    requireInteger(code, 'advanceEvents', advanceEvents, 1, sizeEvents);
    this.sizeEvents = sizeEvents;
    this.advanceEvents = advanceEvents;
    Object.freeze(this);
  }

  /** The last `sizeEvents` events of a key, after every event. */
  static ofSize(sizeEvents: number): CountWindows {
    return new CountWindows(sizeEvents, 1);
  }

  /** Fires after every `advanceEvents` events instead (0 < advanceEvents <= sizeEvents). */
  advanceBy(advanceEvents: number): CountWindows {
    return new CountWindows(this.sizeEvents, advanceEvents);
  }

  toString(): string {
    return `CountWindows(sizeEvents=${this.sizeEvents}, advanceEvents=${this.advanceEvents})`;
  }
}
