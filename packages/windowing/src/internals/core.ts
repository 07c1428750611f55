import { AccumulationMode } from '../accumulation.ts';
import type { Aggregate } from '../aggregate.ts';
import { EmitKind, type EmitStrategy } from '../emit-strategy.ts';
import { FiringTiming, LateReason, OutputKind, type Output } from '../output.ts';
import type { WindowBounds } from '../window-bounds.ts';
import { Counters } from './counters.ts';
import { Throttle } from './throttle.ts';
import { TimerQueue } from './timer-queue.ts';
import { PartitionWatermarks } from './watermarks.ts';
import type { WindowState } from './window-state.ts';

/** What a window operator (time, session, count) must provide to the shared core. */
export interface WindowOperator<K, V> {
  process(
    key: K,
    value: V,
    eventTimeMs: number,
    sequence: number,
    partition: number,
    eventId: string | undefined,
  ): void;
  /** Drops a window from its key's state (the core has already marked it dead). */
  remove(window: WindowState<K>): void;
  readonly keyCount: number;
  readonly windowCount: number;
}

export interface CoreConfig<V> {
  readonly names: readonly string[];
  readonly aggregates: readonly Aggregate<V, unknown, unknown>[];
  readonly emit: EmitStrategy;
  readonly accumulation: AccumulationMode;
  readonly graceMs: number;
  readonly maxOutOfOrdernessMs: number;
  /** Spark mode: rows go to per-batch partial accumulators, merged at the end of each micro-batch. */
  readonly spark: boolean;
}

/**
 * The state and behaviour every window operator shares: outputs, counters, watermarks, event-time timers,
 * throttling, and what a firing does under each accumulation mode. Operators decide which windows an
 * event belongs to; the core decides when and what they emit.
 */
export class Core<K, V> {
  readonly names: readonly string[];
  readonly aggregates: readonly Aggregate<V, unknown, unknown>[];
  readonly graceMs: number;
  readonly emitKind: EmitKind;
  readonly everyEvents: number;
  readonly discarding: boolean;
  readonly retracting: boolean;
  readonly spark: boolean;
  /** Spark mode: the windows holding a partial of the current micro-batch. */
  batchWindows: WindowState<K>[] = [];

  outputs: Output<K, V, unknown>[] = [];
  readonly counters = new Counters();
  readonly watermarks: PartitionWatermarks;
  readonly timers = new TimerQueue<WindowState<K>>();
  readonly throttle: Throttle<K> | undefined;
  /** Caller-supplied processing time; starts at 0 and never goes back. */
  processingTimeMs = 0;
  /** Arrival number of the next accepted event. */
  sequence = 0;
  /**
   * The last timer token handed out. Tokens grow with every timer set, so (due time, token) is the order
   * timers fire in; a changelog restore rebuilds the queue from the tokens each window carries.
   */
  lastToken = 0;
  /**
   * Keys whose state changed since the last `takeChanges()`, in the order they first changed. Recorded only
   * once changes are in use (after a first takeChanges or a restore from changes), so an engine that only
   * snapshots pays nothing and holds no set of every key it ever saw.
   */
  readonly changedKeys = new Set<K>();
  tracking = false;
  /**
   * The keys a snapshot restored, until the first `takeChanges()`: that call writes the whole state, and a
   * restored key that has since emptied must be written as deleted, though no live key holds it any more.
   */
  restoredKeys: ReadonlySet<K> | undefined;
  operator!: WindowOperator<K, V>;

  constructor(config: CoreConfig<V>) {
    this.names = config.names;
    this.aggregates = config.aggregates;
    this.graceMs = config.graceMs;
    this.emitKind = config.emit.kind;
    this.everyEvents = config.emit.kind === EmitKind.onCount ? config.emit.everyEvents : 0;
    this.discarding = config.accumulation === AccumulationMode.discarding;
    this.retracting = config.accumulation === AccumulationMode.accumulatingAndRetracting;
    this.spark = config.spark;
    this.watermarks = new PartitionWatermarks(config.maxOutOfOrdernessMs);
    const throttleMs = config.emit.kind === EmitKind.onUpdate ? config.emit.throttleMs : 0;
    this.throttle = throttleMs > 0 ? new Throttle<K>(throttleMs) : undefined;
  }

  newAccumulators(): unknown[] {
    const aggregates = this.aggregates;
    const accs = new Array<unknown>(aggregates.length);
    for (let i = 0; i < aggregates.length; i++) accs[i] = (aggregates[i] as Aggregate<V>).create();
    return accs;
  }

  resultOf(accs: readonly unknown[]): Record<string, unknown> {
    const value: Record<string, unknown> = {};
    const aggregates = this.aggregates;
    for (let i = 0; i < aggregates.length; i++) {
      value[this.names[i] as string] = (aggregates[i] as Aggregate<V>).result(accs[i]);
    }
    return value;
  }

  /** Adds one event to a window's accumulators. */
  add(w: WindowState<K>, value: V, eventTimeMs: number, sequence: number): void {
    const accs = w.accs;
    const aggregates = this.aggregates;
    for (let i = 0; i < aggregates.length; i++) {
      accs[i] = (aggregates[i] as Aggregate<V>).add(accs[i], value, eventTimeMs, sequence);
    }
    w.events++;
    w.pane++;
    w.dirty = true;
  }

  /** Spark mode: adds one row to the window's partial of the current micro-batch. */
  addToBatch(w: WindowState<K>, value: V, eventTimeMs: number, sequence: number): void {
    let partial = w.partial;
    if (partial === undefined) {
      partial = this.newAccumulators();
      w.partial = partial;
      this.batchWindows.push(w);
    }
    const aggregates = this.aggregates;
    for (let i = 0; i < aggregates.length; i++) {
      partial[i] = (aggregates[i] as Aggregate<V>).add(partial[i], value, eventTimeMs, sequence);
    }
    w.events++;
    w.pane++;
    w.dirty = true;
  }

  /**
   * Spark mode, at the end of a micro-batch: each window's state becomes merge(stored, batch partial), the
   * order in which Spark's StateStoreRestoreExec feeds its merging aggregate (the stored row, then the row
   * of the batch), so a sum is the stored total plus the batch's subtotal.
   */
  mergeBatch(): void {
    const aggregates = this.aggregates;
    for (const w of this.batchWindows) {
      const partial = w.partial;
      if (partial === undefined || !w.alive) continue;
      for (let i = 0; i < aggregates.length; i++) {
        w.accs[i] = (aggregates[i] as Aggregate<V>).merge(w.accs[i], partial[i]);
      }
      w.partial = undefined;
      this.touch(w.key);
    }
    this.batchWindows = [];
  }

  /**
   * After a window changed: a window that already fired on time fires again at once (a late firing);
   * an open one fires early if the emit strategy says so.
   */
  changed(w: WindowState<K>): void {
    if (w.onTime) {
      this.fire(w, FiringTiming.late);
      return;
    }
    switch (this.emitKind) {
      case EmitKind.onWindowClose:
        return;
      case EmitKind.onUpdate:
        if (this.throttle === undefined) this.fire(w, FiringTiming.early);
        else this.throttle.request(w, this);
        return;
      case EmitKind.onCount:
        if (w.pane >= this.everyEvents) this.fire(w, FiringTiming.early);
        return;
    }
  }

  /** Records that `key`'s state changed, for the next `takeChanges()`; false when changes are not in use. */
  touch(key: K): boolean {
    if (!this.tracking) return false;
    this.changedKeys.add(key);
    return true;
  }

  fire(w: WindowState<K>, timing: FiringTiming): void {
    if (this.tracking) this.changedKeys.add(w.key);
    const value = this.resultOf(w.accs);
    const window: WindowBounds = { startMs: w.startMs, endMs: w.endMs };
    if (this.retracting && w.last !== undefined) this.pushRetraction(w.key, window, w.last, w.firings - 1);
    this.outputs.push({
      kind: OutputKind.result,
      key: w.key,
      window,
      value,
      eventCount: w.events,
      firing: w.firings,
      timing,
      final: timing !== FiringTiming.early,
      watermarkMs: this.watermarks.currentMs,
    });
    this.counters.resultsEmitted++;
    w.firings++;
    w.dirty = false;
    w.pane = 0;
    if (this.retracting) w.last = value;
    if (this.discarding) {
      w.accs = this.newAccumulators();
      w.events = 0;
    }
  }

  /** Withdraws a window's last result, if any (its bounds are about to change or it is merged away). */
  retract(w: WindowState<K>): void {
    if (!this.retracting || w.last === undefined) return;
    this.pushRetraction(w.key, { startMs: w.startMs, endMs: w.endMs }, w.last, w.firings - 1);
    w.last = undefined;
  }

  private pushRetraction(key: K, window: WindowBounds, value: unknown, firing: number): void {
    this.outputs.push({ kind: OutputKind.retraction, key, window, value, firing });
    this.counters.retractionsEmitted++;
  }

  late(
    key: K,
    value: V,
    eventTimeMs: number,
    partition: number,
    eventId: string | undefined,
    windows: WindowBounds[],
  ): void {
    this.outputs.push({
      kind: OutputKind.late,
      key,
      value,
      eventTimeMs,
      partition,
      eventId,
      reason: LateReason.beyondAllowedLateness,
      watermarkMs: this.watermarks.currentMs,
      windows,
    });
    this.counters.lateDropped++;
  }

  /** Sets the window's timer: at its end while open, at end + grace once it fired on time. */
  schedule(w: WindowState<K>): void {
    const dueMs = w.onTime ? w.endMs + this.graceMs : w.endMs;
    if (w.timerToken !== 0 && w.timerDueMs === dueMs) return;
    this.scheduleAt(w, dueMs);
  }

  scheduleAt(w: WindowState<K>, dueMs: number): void {
    const token = ++this.lastToken;
    w.timerToken = token;
    w.timerDueMs = dueMs;
    this.timers.add(dueMs, w, token);
  }

  /** Rebuilds the timers of restored windows, which carry their due times and tokens, in firing order. */
  restoreTimers(windows: WindowState<K>[], lastToken: number): void {
    this.timers.clear();
    windows.sort((a, b) => a.timerToken - b.timerToken);
    let previous = 0;
    for (const w of windows) {
      if (!(w.timerToken > previous && w.timerToken <= lastToken) || !Number.isFinite(w.timerDueMs)) {
        throw new Error(`window timers out of order or beyond the last token ${lastToken}`);
      }
      previous = w.timerToken;
      this.timers.add(w.timerDueMs, w, w.timerToken);
    }
    this.lastToken = lastToken;
  }

  /** Fires and purges every window whose timer the watermark has reached. */
  runTimers(): void {
    const watermarkMs = this.watermarks.currentMs;
    const timers = this.timers;
    while (timers.hasDue(watermarkMs)) {
      const { entries, tokens } = timers.pop() as { entries: WindowState<K>[]; tokens: number[] };
      for (let i = 0; i < entries.length; i++) {
        const w = entries[i] as WindowState<K>;
        if (w.alive && w.timerToken === tokens[i]) this.onTimer(w, watermarkMs);
      }
    }
  }

  private onTimer(w: WindowState<K>, watermarkMs: number): void {
    if (this.tracking) this.changedKeys.add(w.key);
    if (!w.onTime) {
      w.onTime = true;
      if (w.dirty) this.fire(w, FiringTiming.onTime);
      if (w.endMs + this.graceMs > watermarkMs) {
        this.schedule(w);
        return;
      }
    } else if (w.dirty) {
      this.fire(w, FiringTiming.late);
    }
    this.purge(w);
  }

  purge(w: WindowState<K>): void {
    w.alive = false;
    w.timerToken = 0;
    this.operator.remove(w);
  }

  advanceProcessingTime(nowMs: number): void {
    if (nowMs > this.processingTimeMs) this.processingTimeMs = nowMs;
    this.throttle?.onProcessingTime(this);
  }

  drain(): Output<K, V, unknown>[] {
    const outputs = this.outputs;
    this.outputs = [];
    return outputs;
  }
}
