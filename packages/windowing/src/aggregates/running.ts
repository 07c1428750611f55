import type { Aggregate } from '../aggregate.ts';

/**
 * Marks `aggregate` as running: in a count window job, its accumulator covers every event the key has
 * seen, not only the window's last k, and is kept with the key's state (snapshots and changes carry it).
 * `Aggregates.running(Aggregates.ema({ span: 20 }, (t) => t.price))` is the true EMA of a symbol's whole
 * trade history next to an SMA of its last k trades in the same job. Only count windows accept it.
 */
export function running<V, A, R>(aggregate: Aggregate<V, A, R>): Aggregate<V, A, R> {
  return Object.freeze({
    kind: `running(${aggregate.kind})`,
    running: true,
    create: () => aggregate.create(),
    add: (acc: A, value: V, eventTimeMs: number, sequence: number) =>
      aggregate.add(acc, value, eventTimeMs, sequence),
    merge: (left: A, right: A) => aggregate.merge(left, right),
    result: (acc: A) => aggregate.result(acc),
  });
}
