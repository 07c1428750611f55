/**
 * Whose rules a job follows where engines disagree:
 * - tideline (default): per-partition watermarks moved by every record, idleness, grace periods, triggers;
 * - spark-3.5: Spark Structured Streaming 3.5's micro-batch rules for a windowed aggregation in append
 *   mode. The caller marks micro-batch boundaries with `endMicroBatch()`; the watermark, the late-row
 *   filter, eviction and emission and the order of floating-point sums then follow Spark exactly
 *   (README: "Spark compatibility").
 */
export const Compatibility = {
  tideline: 'tideline',
  spark35: 'spark-3.5',
} as const;
export type Compatibility = (typeof Compatibility)[keyof typeof Compatibility];
