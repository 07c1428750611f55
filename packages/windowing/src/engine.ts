import type { EngineChanges, EngineChangesMeta } from './changes.ts';
import { Compatibility } from './compatibility.ts';
import { resolveOptions, type WindowKey, type WindowingOptions } from './engine-options.ts';
import { WindowingError, WindowingErrorCodes } from './errors.ts';
import { Core } from './internals/core.ts';
import { CountOperator } from './internals/count-operator.ts';
import { Deduplicator } from './internals/dedup.ts';
import { SparkBatches } from './internals/spark-batches.ts';
import { SessionOperator } from './internals/session-operator.ts';
import type { EngineParts } from './internals/key-state.ts';
import { captureSnapshot, restoreChanges, restoreSnapshot, takeChanges } from './internals/state-codec.ts';
import { TimeOperator } from './internals/time-operator.ts';
import type { Output } from './output.ts';
import type { EngineSnapshot } from './snapshot.ts';
import { WindowKind } from './window-kind.ts';

export interface EngineMetrics {
  /** Events accepted (duplicates excluded). */
  readonly eventsIn: number;
  readonly duplicates: number;
  /** Events that updated a window after its on-time firing, within the grace period. */
  readonly lateAccepted: number;
  /** Events reported as late records (too late for at least one of their windows). */
  readonly lateDropped: number;
  readonly resultsEmitted: number;
  readonly retractionsEmitted: number;
  /** Windows currently held (for count windows: keys with a ring). */
  readonly openWindows: number;
  readonly keys: number;
  readonly watermarkMs: number;
  readonly processingTimeMs: number;
}

/**
 * The windowing engine: one job (a window specification, named aggregates, an emit strategy and an
 * accumulation mode) over a keyed stream. It does no I/O and reads no clock: event time comes with each
 * record, processing time and partition idleness from the caller, so the same calls in the same order give
 * the same outputs, and a restored snapshot continues exactly where the original left off.
 *
 *   const engine = new WindowingEngine<string, Trade, { avg: number }>({
 *     windows: TimeWindows.ofSizeWithNoGrace(10_000),
 *     aggregates: { avg: Aggregates.avg((t: Trade) => t.price) },
 *     maxOutOfOrdernessMs: 5_000,
 *   });
 *   engine.process('AGL', trade, trade.timestampMs, partition);
 *   for (const output of engine.drain()) ...
 */
export class WindowingEngine<K extends WindowKey, V, R> {
  /** The options as given, e.g. to build a replacement with `fromSnapshot`. */
  readonly options: WindowingOptions<V, R>;
  private readonly core: Core<K, V>;
  private readonly operator: TimeOperator<K, V> | SessionOperator<K, V> | CountOperator<K, V>;
  private readonly dedup: Deduplicator<K> | undefined;
  private readonly parts: EngineParts<K, V>;
  private readonly spark: SparkBatches | undefined;

  constructor(options: WindowingOptions<V, R>) {
    const resolved = resolveOptions(options);
    this.options = options;
    const spec = resolved.windows;
    const core = new Core<K, V>({
      names: resolved.names,
      aggregates: resolved.aggregates,
      emit: resolved.emit,
      accumulation: resolved.accumulation,
      graceMs: spec.kind === WindowKind.count ? 0 : spec.graceMs,
      maxOutOfOrdernessMs: resolved.maxOutOfOrdernessMs,
      spark: resolved.compatibility === Compatibility.spark35,
    });
    this.core = core;
    if (core.spark) {
      this.spark = new SparkBatches(resolved.maxOutOfOrdernessMs);
      // Spark's watermarks start at 0, not at -Infinity: the first batch's late filter is end <= 0.
      core.watermarks.currentMs = 0;
    }
    switch (spec.kind) {
      case WindowKind.time:
        this.operator = new TimeOperator<K, V>(core, spec);
        break;
      case WindowKind.session:
        this.operator = new SessionOperator<K, V>(core, spec);
        break;
      case WindowKind.count:
        this.operator = new CountOperator<K, V>(core, spec);
        break;
    }
    core.operator = this.operator;
    this.dedup =
      resolved.dedupHorizonMs === undefined
        ? undefined
        : new Deduplicator<K>(resolved.dedupHorizonMs, (key) => core.touch(key));
    for (const partition of resolved.partitions) core.watermarks.partition(partition);
    const op = this.operator;
    this.parts = {
      core,
      windowed: op instanceof CountOperator ? undefined : op,
      spark: this.spark,
      counted: op instanceof CountOperator ? op : undefined,
      dedup: this.dedup,
      fingerprint: resolved.fingerprint,
    };
  }

  /**
   * An engine that continues from `snapshot`, which must come from an engine with the same options. Every
   * restored key counts as changed: the first `takeChanges()` after it writes the whole state.
   */
  static fromSnapshot<K extends WindowKey, V, R>(
    options: WindowingOptions<V, R>,
    snapshot: EngineSnapshot,
  ): WindowingEngine<K, V, R> {
    const engine = new WindowingEngine<K, V, R>(options);
    restoreSnapshot(engine.parts, snapshot);
    return engine;
  }

  /**
   * An engine that continues from a changelog: `meta` is the latest `takeChanges().meta`, `keyStates` each
   * key's latest non-null state (what a compacted topic holds once folded: latest value per key, deleted on
   * null). Timers and indexes are rebuilt from the window states. Refuses meta from another configuration
   * (WIN_ERR_SNAPSHOT_MISMATCH) and malformed data (WIN_ERR_SNAPSHOT_INVALID). No key counts as changed.
   */
  static fromChanges<K extends WindowKey, V, R>(
    options: WindowingOptions<V, R>,
    meta: EngineChangesMeta,
    keyStates: Iterable<readonly [K, unknown]>,
  ): WindowingEngine<K, V, R> {
    const engine = new WindowingEngine<K, V, R>(options);
    restoreChanges(engine.parts, meta, keyStates);
    return engine;
  }

  /**
   * Processes one record: `eventTimeMs` is its event time, `partition` the input partition it came from
   * (which becomes active again if it was idle), `eventId` an id for deduplication. Outputs it causes are
   * buffered until `drain()`. A record with a non-finite time or a bad partition throws WIN_ERR_INVALID_RECORD
   * and changes nothing.
   */
  process(key: K, value: V, eventTimeMs: number, partition = 0, eventId?: string): void {
    if (!Number.isFinite(eventTimeMs)) {
      throw new WindowingError(
        WindowingErrorCodes.invalidRecord,
        `event time must be a finite number of ms, got ${String(eventTimeMs)}`,
      );
    }
    const core = this.core;
    const watermarks = core.watermarks;
    const state = watermarks.partition(partition);
    if (
      eventId !== undefined &&
      this.dedup !== undefined &&
      this.dedup.check(eventId, key, eventTimeMs, watermarks.currentMs)
    ) {
      core.counters.duplicates++;
    } else {
      core.counters.eventsIn++;
      this.operator.process(key, value, eventTimeMs, core.sequence++, partition, eventId);
    }
    if (this.spark !== undefined) this.spark.observe(eventTimeMs);
    else if (watermarks.observe(state, eventTimeMs)) this.watermarkAdvanced();
  }

  /**
   * Spark mode (`compatibility: 'spark-3.5'`): the records processed since the previous call were one
   * micro-batch. Folds each window's batch subtotal into its state, emits and evicts the windows the batch's
   * watermark closes, then moves the watermark from the batch's largest event time. Called with no record
   * since the previous call, it is Spark's no-data batch: it runs (evicts with the moved watermark) only if
   * the watermark moved since the last batch ran. Throws WIN_ERR_UNSUPPORTED in the default mode.
   */
  endMicroBatch(): void {
    const spark = this.spark;
    if (spark === undefined) {
      throw new WindowingError(
        WindowingErrorCodes.unsupported,
        "endMicroBatch() needs the job's compatibility to be spark-3.5",
      );
    }
    if (spark.end(this.core)) this.watermarkAdvanced();
  }

  /** Spark mode: the id Spark would give the current micro-batch (no-data batches count); else undefined. */
  get microBatchId(): number | undefined {
    return this.spark?.batchId;
  }

  /** The caller saw no data on `partition` for its idle timeout: it stops holding the watermark back. */
  markIdle(partition: number): void {
    // Spark's watermark is global, not per partition: idleness does not apply.
    if (this.spark !== undefined) return;
    if (this.core.watermarks.markIdle(partition)) this.watermarkAdvanced();
  }

  /** Moves processing time (never backwards; an earlier time is ignored) and fires throttled updates due. */
  advanceProcessingTime(nowMs: number): void {
    if (!Number.isFinite(nowMs)) {
      throw new WindowingError(
        WindowingErrorCodes.invalidRecord,
        `processing time must be a finite number of ms, got ${String(nowMs)}`,
      );
    }
    this.core.advanceProcessingTime(nowMs);
  }

  /** Bounded input is over: the watermark jumps to +Infinity, every open window fires and closes. */
  endOfInput(): void {
    this.core.mergeBatch();
    if (this.core.watermarks.end()) this.watermarkAdvanced();
  }

  /** Returns the buffered outputs, in the order they were produced, and clears the buffer. */
  drain(): Output<K, V, R>[] {
    return this.core.drain() as Output<K, V, R>[];
  }

  get pendingOutputs(): number {
    return this.core.outputs.length;
  }

  /**
   * About how many keys the next `takeChanges()` writes (exact once changes are in use; before the first
   * call, the keys holding windows). A caller bounds the size of a changelog write with it.
   */
  get pendingChangedKeys(): number {
    const core = this.core;
    const changed = core.tracking ? core.changedKeys.size : this.operator.keyCount;
    return changed + (core.restoredKeys?.size ?? 0);
  }

  get watermarkMs(): number {
    return this.core.watermarks.currentMs;
  }

  get processingTimeMs(): number {
    return this.core.processingTimeMs;
  }

  metrics(): EngineMetrics {
    const { core, operator } = this;
    const c = core.counters;
    return {
      eventsIn: c.eventsIn,
      duplicates: c.duplicates,
      lateAccepted: c.lateAccepted,
      lateDropped: c.lateDropped,
      resultsEmitted: c.resultsEmitted,
      retractionsEmitted: c.retractionsEmitted,
      openWindows: operator.windowCount,
      keys: operator.keyCount,
      watermarkMs: core.watermarks.currentMs,
      processingTimeMs: core.processingTimeMs,
    };
  }

  /** The whole state as plain data; outputs must have been drained first (WIN_ERR_UNDRAINED_OUTPUT). */
  snapshot(): EngineSnapshot {
    return captureSnapshot(this.parts);
  }

  /**
   * What changed since the previous call (or since construction or `fromChanges`; after `fromSnapshot`,
   * everything): the meta, and the complete state of every key that changed, `null` for a key that holds
   * nothing any more. Write them to a compacted changelog in the transaction that commits the outputs and
   * input offsets; `fromChanges` restores. Costs in proportion to the keys changed. Outputs must have been
   * drained first (WIN_ERR_UNDRAINED_OUTPUT).
   */
  takeChanges(): EngineChanges<K> {
    return takeChanges(this.parts);
  }

  private watermarkAdvanced(): void {
    this.core.runTimers();
    this.dedup?.sweep(this.core.watermarks.currentMs);
  }
}
