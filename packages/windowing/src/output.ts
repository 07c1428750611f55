import type { WindowBounds } from './window-bounds.ts';

export const OutputKind = {
  result: 'result',
  retraction: 'retraction',
  late: 'late',
} as const;
export type OutputKind = (typeof OutputKind)[keyof typeof OutputKind];

/** Why a window fired (Flink's pane timing). */
export const FiringTiming = {
  /** Before the watermark reached the window's end: a speculative update (onUpdate, onCount). */
  early: 'early',
  /** The watermark reached the window's end. */
  onTime: 'on-time',
  /** A late event, within the grace period, changed a window that had already fired on time. */
  late: 'late',
} as const;
export type FiringTiming = (typeof FiringTiming)[keyof typeof FiringTiming];

export const LateReason = {
  /** The watermark had passed the end plus the grace period of the window(s) the event belongs to. */
  beyondAllowedLateness: 'beyond_allowed_lateness',
} as const;
export type LateReason = (typeof LateReason)[keyof typeof LateReason];

/** One firing of one window of one key. (job, key, window.startMs, window.endMs) identifies the row to upsert. */
export interface WindowResult<K, R> {
  readonly kind: typeof OutputKind.result;
  readonly key: K;
  readonly window: WindowBounds;
  /** One entry per named aggregate of the job. */
  readonly value: R;
  /** The events the value covers (since the previous firing in discarding mode). */
  readonly eventCount: number;
  /** 0 for a window's first firing, then 1, 2, ...; with `key` and `window`, a deterministic id for the firing. */
  readonly firing: number;
  readonly timing: FiringTiming;
  /**
   * True once the watermark has reached the window's end (timing on-time or late): the result is what the
   * window holds at close; it changes again only if late events arrive within the grace period. False for
   * early, speculative firings.
   */
  readonly final: boolean;
  /** The operator watermark when the result was emitted (-Infinity before any, +Infinity after endOfInput). */
  readonly watermarkMs: number;
}

/** Withdraws a result emitted earlier (accumulating-and-retracting mode). */
export interface WindowRetraction<K, R> {
  readonly kind: typeof OutputKind.retraction;
  readonly key: K;
  readonly window: WindowBounds;
  /** The value being withdrawn, as it was emitted. */
  readonly value: R;
  /** The `firing` number of the result being withdrawn. */
  readonly firing: number;
}

/**
 * An event too late for its window: counted and sent on (the processor writes it to `late.<job>`), never
 * dropped silently. A hopping-window event can miss some of its windows and still update the others.
 */
export interface LateRecord<K, V> {
  readonly kind: typeof OutputKind.late;
  readonly key: K;
  readonly value: V;
  readonly eventTimeMs: number;
  readonly partition: number;
  readonly eventId: string | undefined;
  readonly reason: LateReason;
  /** The operator watermark the event was compared with. */
  readonly watermarkMs: number;
  /** The windows the event missed, by ascending start (hopping windows may take it in others). */
  readonly windows: readonly WindowBounds[];
}

export type Output<K, V, R> = WindowResult<K, R> | WindowRetraction<K, R> | LateRecord<K, V>;
