import type { Aggregate } from '../aggregate.ts';

/** Reads the number an aggregate works on from an event's value, e.g. `(trade) => trade.price`. */
export type Extractor<V, T = number> = (value: V) => T;

export interface CountAccumulator {
  n: number;
}
export interface SumAccumulator {
  sum: number;
}
export interface ExtremeAccumulator {
  n: number;
  value: number;
}
export interface AvgAccumulator {
  sum: number;
  n: number;
}

/** The number of events. */
export function count<V = unknown>(): Aggregate<V, CountAccumulator, number> {
  return {
    kind: 'count',
    create: () => ({ n: 0 }),
    add(acc) {
      acc.n++;
      return acc;
    },
    merge: (left, right) => ({ n: left.n + right.n }),
    result: (acc) => acc.n,
  };
}

/** The sum, added left to right in arrival order. */
export function sum<V>(extract: Extractor<V>): Aggregate<V, SumAccumulator, number> {
  return {
    kind: 'sum',
    create: () => ({ sum: 0 }),
    add(acc, value) {
      acc.sum += extract(value);
      return acc;
    },
    merge: (left, right) => ({ sum: left.sum + right.sum }),
    result: (acc) => acc.sum,
  };
}

function extreme<V>(kind: string, extract: Extractor<V>, better: (a: number, b: number) => boolean) {
  const aggregate: Aggregate<V, ExtremeAccumulator, number> = {
    kind,
    create: () => ({ n: 0, value: 0 }),
    add(acc, value) {
      const x = extract(value);
      if (acc.n === 0 || better(x, acc.value)) acc.value = x;
      acc.n++;
      return acc;
    },
    merge(left, right) {
      if (right.n === 0) return { n: left.n, value: left.value };
      if (left.n === 0 || better(right.value, left.value)) return { n: left.n + right.n, value: right.value };
      return { n: left.n + right.n, value: left.value };
    },
    // Windows are never empty when they fire; NaN only guards direct use.
    result: (acc) => (acc.n === 0 ? Number.NaN : acc.value),
  };
  return aggregate;
}

/** The smallest value (the first one seen among equals). */
export function min<V>(extract: Extractor<V>): Aggregate<V, ExtremeAccumulator, number> {
  return extreme('min', extract, (a, b) => a < b);
}

/** The largest value (the first one seen among equals). */
export function max<V>(extract: Extractor<V>): Aggregate<V, ExtremeAccumulator, number> {
  return extreme('max', extract, (a, b) => a > b);
}

/** The arithmetic mean: the sum, added left to right in arrival order, divided by the count. */
export function avg<V>(extract: Extractor<V>): Aggregate<V, AvgAccumulator, number> {
  return {
    kind: 'avg',
    create: () => ({ sum: 0, n: 0 }),
    add(acc, value) {
      acc.sum += extract(value);
      acc.n++;
      return acc;
    },
    merge: (left, right) => ({ sum: left.sum + right.sum, n: left.n + right.n }),
    result: (acc) => (acc.n === 0 ? Number.NaN : acc.sum / acc.n),
  };
}
