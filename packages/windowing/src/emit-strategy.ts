import { WindowingError, WindowingErrorCodes } from './errors.ts';

export const EmitKind = {
  onWindowClose: 'on-window-close',
  onUpdate: 'on-update',
  onCount: 'on-count',
} as const;
export type EmitKind = (typeof EmitKind)[keyof typeof EmitKind];

/**
 * When a window emits (Kafka Streams' EmitStrategy, Flink's triggers, Spark's output modes).
 * Every strategy fires a window when the watermark reaches its end if it changed since its last firing,
 * and fires it again for each late event accepted within the grace period; they differ in early firings:
 * - onWindowClose: none; results are final (Spark's append mode, Kafka Streams' emit-final);
 * - onUpdate: after every change (Spark's update mode), at most once per key per `throttleMs` of
 *   processing time when throttled (changes in between are emitted together when the interval ends);
 * - onCount: after every `everyEvents` events added to a window (Flink's CountTrigger).
 */
export type EmitStrategy =
  | { readonly kind: typeof EmitKind.onWindowClose }
  | { readonly kind: typeof EmitKind.onUpdate; readonly throttleMs: number }
  | { readonly kind: typeof EmitKind.onCount; readonly everyEvents: number };

export interface OnUpdateOptions {
  /** Emit a key's changes at most once per this many ms of caller-supplied processing time; 0 = every change. */
  readonly throttleMs?: number;
}

export const EmitStrategy = {
  onWindowClose(): EmitStrategy {
    return Object.freeze({ kind: EmitKind.onWindowClose });
  },
  onUpdate(options: OnUpdateOptions = {}): EmitStrategy {
    const throttleMs = options.throttleMs ?? 0;
    if (!Number.isSafeInteger(throttleMs) || throttleMs < 0) {
      throw new WindowingError(
        WindowingErrorCodes.invalidOptions,
        `throttleMs must be an integer >= 0, got ${String(throttleMs)}`,
      );
    }
    return Object.freeze({ kind: EmitKind.onUpdate, throttleMs });
  },
  onCount(everyEvents: number): EmitStrategy {
    if (!Number.isSafeInteger(everyEvents) || everyEvents < 1) {
      throw new WindowingError(
        WindowingErrorCodes.invalidOptions,
        `everyEvents must be an integer >= 1, got ${String(everyEvents)}`,
      );
    }
    return Object.freeze({ kind: EmitKind.onCount, everyEvents });
  },
} as const;
