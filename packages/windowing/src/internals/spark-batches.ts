import type { Core } from './core.ts';

/**
 * Spark Structured Streaming 3.5's micro-batch clock for one windowed aggregation in append mode, from
 * MicroBatchExecution, WatermarkTracker, the PropagateWatermarkSimulator (Spark's default since 3.4,
 * spark.sql.streaming.statefulOperator.allowMultiple) and StateStoreSaveExec:
 *
 * - The global watermark W starts at 0 and moves only when a batch ends: W = max(W, the largest event
 *   time among that batch's rows - delay). Every row counts, late ones included.
 * - Batch N evicts with E(N) = W as it stood when N started, and filters late rows with the eviction
 *   watermark of the batch before it, L(N) = E(N - 1) (0 for the first): a row is dropped for a window
 *   when window.end <= L(N). Since 3.4 late rows are filtered with the previous batch's watermark so that
 *   chained stateful operators agree.
 * - At the end of batch N, each window's state becomes its stored state merged with the batch's partial
 *   aggregate, then every window with end <= E(N) is emitted, once, and evicted.
 * - When a trigger finds no new data and W > E(last batch), Spark runs a no-data batch: E = W, L = the last
 *   E, nothing to add, evict and emit. Otherwise nothing runs.
 *
 * The core's watermark holds L during a batch (TimeOperator's late test is `end <= watermark` with no
 * grace), and is moved to E to evict; since L(N + 1) = E(N), it then already holds the next batch's L.
 */
export class SparkBatches {
  readonly delayMs: number;
  /** Spark's global watermark W, the eviction watermark of the next batch. */
  watermarkMs = 0;
  /** The largest event time among the current batch's rows. */
  batchMaxMs = Number.NEGATIVE_INFINITY;
  /** Rows in the current batch. */
  batchRows = 0;
  /** The id Spark gives the current batch (no-data batches count). */
  batchId = 0;

  constructor(delayMs: number) {
    this.delayMs = delayMs;
  }

  observe(eventTimeMs: number): void {
    this.batchRows++;
    if (eventTimeMs > this.batchMaxMs) this.batchMaxMs = eventTimeMs;
  }

  /**
   * Ends the current micro-batch (a no-data batch when it had no rows); true when a batch ran, i.e. the
   * caller must run the core's timers, which the core's watermark now due.
   */
  end<K, V>(core: Core<K, V>): boolean {
    const watermarks = core.watermarks;
    if (this.batchRows === 0) {
      if (!(this.watermarkMs > watermarks.currentMs)) return false;
      watermarks.currentMs = this.watermarkMs;
      this.batchId++;
      return true;
    }
    core.mergeBatch();
    if (this.watermarkMs > watermarks.currentMs) watermarks.currentMs = this.watermarkMs;
    const next = this.batchMaxMs - this.delayMs;
    if (next > this.watermarkMs) this.watermarkMs = next;
    this.batchRows = 0;
    this.batchMaxMs = Number.NEGATIVE_INFINITY;
    this.batchId++;
    return true;
  }

  toArray(): unknown[] {
    return [this.watermarkMs, this.batchMaxMs, this.batchRows, this.batchId];
  }

  restore(values: readonly number[]): void {
    const [watermarkMs, batchMaxMs, batchRows, batchId] = values;
    if (values.length !== 4 || values.some((v) => typeof v !== 'number')) {
      throw new Error('malformed spark batch state');
    }
    this.watermarkMs = watermarkMs as number;
    this.batchMaxMs = batchMaxMs as number;
    this.batchRows = batchRows as number;
    this.batchId = batchId as number;
  }
}
