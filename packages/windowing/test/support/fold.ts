import type { Aggregate } from '../../src/index.ts';

/** Adds `values` in order (event time = index, sequence = index + offset) and returns the accumulator. */
export function fold<V, A, R>(aggregate: Aggregate<V, A, R>, values: readonly V[], sequenceOffset = 0): A {
  let acc = aggregate.create();
  values.forEach((v, i) => {
    acc = aggregate.add(acc, v, i, i + sequenceOffset);
  });
  return acc;
}

/** The result of adding `values` in order. */
export function resultOf<V, A, R>(aggregate: Aggregate<V, A, R>, values: readonly V[]): R {
  return aggregate.result(fold(aggregate, values));
}
