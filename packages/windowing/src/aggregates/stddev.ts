import type { Aggregate } from '../aggregate.ts';
import type { Extractor } from './basic.ts';

/** Welford's running moments: count, mean and the sum of squared deviations from the mean. */
export interface MomentsAccumulator {
  n: number;
  mean: number;
  m2: number;
}

export interface StddevOptions {
  /** Divide by n (population) instead of n - 1 (sample, SQL's and Spark's `stddev`). Default false. */
  readonly population?: boolean;
}

/**
 * The standard deviation, computed with Welford's algorithm (stable where the naive sum of squares
 * cancels catastrophically) and Chan's formula to merge sessions. null when undefined: fewer than two
 * events for the sample deviation, none for the population one.
 */
export function stddev<V>(
  extract: Extractor<V>,
  options: StddevOptions = {},
): Aggregate<V, MomentsAccumulator, number | null> {
  const population = options.population ?? false;
  return {
    kind: population ? 'stddev_pop' : 'stddev_samp',
    create: () => ({ n: 0, mean: 0, m2: 0 }),
    add(acc, value) {
      const x = extract(value);
      acc.n++;
      const delta = x - acc.mean;
      acc.mean += delta / acc.n;
      acc.m2 += delta * (x - acc.mean);
      return acc;
    },
    merge(left, right) {
      if (left.n === 0) return { ...right };
      if (right.n === 0) return { ...left };
      const n = left.n + right.n;
      const delta = right.mean - left.mean;
      return {
        n,
        mean: left.mean + (delta * right.n) / n,
        m2: left.m2 + right.m2 + (delta * delta * left.n * right.n) / n,
      };
    },
    result(acc) {
      const divisor = population ? acc.n : acc.n - 1;
      return divisor < 1 ? null : Math.sqrt(acc.m2 / divisor);
    },
  };
}
