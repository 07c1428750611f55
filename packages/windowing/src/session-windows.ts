import { WindowingErrorCodes } from './errors.ts';
import { requireInteger } from './internals/validate.ts';
import { WindowKind } from './window-kind.ts';

const code = WindowingErrorCodes.invalidWindow;

/**
 * Session windows: a key's events closer together than `gapMs` form one session. An event at t opens
 * [t, t + gap); sessions whose half-open bounds overlap merge, so a session is [first event, last event + gap),
 * and an event that lands between two sessions merges all three. Two events exactly `gapMs` apart are in
 * different sessions.
 */
export class SessionWindows {
  readonly kind = WindowKind.session;
  /** The inactivity gap that closes a session. */
  readonly gapMs: number;
  /** How long after its end (against the watermark) a session still accepts late events. */
  readonly graceMs: number;

  private constructor(gapMs: number, graceMs: number) {
    requireInteger(code, 'gapMs', gapMs, 1);
    requireInteger(code, 'graceMs', graceMs, 0);
    this.gapMs = gapMs;
    this.graceMs = graceMs;
    Object.freeze(this);
  }

  static ofInactivityGapWithNoGrace(gapMs: number): SessionWindows {
    return new SessionWindows(gapMs, 0);
  }

  static ofInactivityGapAndGrace(gapMs: number, graceMs: number): SessionWindows {
    return new SessionWindows(gapMs, graceMs);
  }

  toString(): string {
    return `SessionWindows(gapMs=${this.gapMs}, graceMs=${this.graceMs})`;
  }
}
