/**
 * An aggregate function over a window's events (Kafka Streams' Initializer/Aggregator/Merger, Beam's
 * CombineFn). The engine calls `add` in arrival order, so order-sensitive results (sums, first, last, moving
 * averages) reproduce bit for bit. `merge(left, right)` combines two windows when sessions merge; `left` is
 * the session that starts earlier.
 *
 * Accumulators may be mutated in place and returned (the engine always stores what `add` and `merge`
 * return). They must be plain data (objects, arrays, numbers, strings, booleans, null) so that snapshots
 * can hold them; non-finite numbers and -0 are fine.
 */
export interface Aggregate<V, A = unknown, R = unknown> {
  /** A stable name of the function and its parameters, e.g. "avg" or "sma(20)"; snapshots check it. */
  readonly kind: string;
  /**
   * In count windows, accumulate over every event the key has ever seen instead of over the window's last
   * k events (a running EMA, a running total). Only count windows accept running aggregates.
   */
  readonly running?: boolean;
  create(): A;
  add(acc: A, value: V, eventTimeMs: number, sequence: number): A;
  merge(left: A, right: A): A;
  result(acc: A): R;
}

/** A job's named aggregates: the result of each window is an object with the same names. */
export type AggregateSet<V, R> = { readonly [N in keyof R]: Aggregate<V, unknown, R[N]> };
