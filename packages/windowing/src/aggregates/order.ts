import type { Aggregate } from '../aggregate.ts';
import type { Extractor } from './basic.ts';

export interface OrderAccumulator<T> {
  has: boolean;
  value: T | null;
  timeMs: number;
  sequence: number;
}

function ordered<V, T>(
  kind: string,
  extract: Extractor<V, T>,
  wins: (timeMs: number, sequence: number, acc: OrderAccumulator<T>) => boolean,
): Aggregate<V, OrderAccumulator<T>, T | null> {
  return {
    kind,
    create: () => ({ has: false, value: null, timeMs: 0, sequence: 0 }),
    add(acc, value, eventTimeMs, sequence) {
      if (!acc.has || wins(eventTimeMs, sequence, acc)) {
        acc.has = true;
        acc.value = extract(value);
        acc.timeMs = eventTimeMs;
        acc.sequence = sequence;
      }
      return acc;
    },
    merge(left, right) {
      const pick = !left.has || (right.has && wins(right.timeMs, right.sequence, left)) ? right : left;
      return { ...pick };
    },
    result: (acc) => acc.value,
  };
}

/** The value of the event with the earliest event time (the earliest arrival among equal times): an open. */
export function first<V, T = number>(extract: Extractor<V, T>): Aggregate<V, OrderAccumulator<T>, T | null> {
  return ordered('first', extract, (t, s, acc) => t < acc.timeMs || (t === acc.timeMs && s < acc.sequence));
}

/** The value of the event with the latest event time (the latest arrival among equal times): a close. */
export function last<V, T = number>(extract: Extractor<V, T>): Aggregate<V, OrderAccumulator<T>, T | null> {
  return ordered('last', extract, (t, s, acc) => t > acc.timeMs || (t === acc.timeMs && s > acc.sequence));
}
