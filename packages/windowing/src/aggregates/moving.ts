import type { Aggregate } from '../aggregate.ts';
import { WindowingError, WindowingErrorCodes } from '../errors.ts';
import type { Extractor } from './basic.ts';

/** The last k values with their arrival sequence numbers, as a ring: `next` is the oldest once full. */
export interface RingAccumulator {
  values: number[];
  sequences: number[];
  next: number;
}

/**
 * The simple moving average of the last `k` values in arrival order: y(n) = (x(n-k+1) + ... + x(n)) / k,
 * summed oldest first every time (no running sum, whose rounding would drift), so it reproduces bit for
 * bit. Over fewer than k values it averages those.
 */
export function sma<V>(k: number, extract: Extractor<V>): Aggregate<V, RingAccumulator, number> {
  if (!Number.isSafeInteger(k) || k < 1 || k > 1_000_000) {
    throw new WindowingError(
      WindowingErrorCodes.invalidAggregate,
      `sma needs an integer k in [1, 1000000], got ${String(k)}`,
    );
  }
  return {
    kind: `sma(${k})`,
    create: () => ({ values: [], sequences: [], next: 0 }),
    add(acc, value, _eventTimeMs, sequence) {
      const x = extract(value);
      if (acc.values.length < k) {
        acc.values.push(x);
        acc.sequences.push(sequence);
      } else {
        acc.values[acc.next] = x;
        acc.sequences[acc.next] = sequence;
        acc.next = acc.next + 1 === k ? 0 : acc.next + 1;
      }
      return acc;
    },
    merge(left, right) {
      // Interleave both rings by arrival and keep the newest k, so a merged session averages exactly the
      // values an unmerged run would have.
      const entries = [...ringEntries(left), ...ringEntries(right)].sort((a, b) => a[0] - b[0]).slice(-k);
      return { values: entries.map((e) => e[1]), sequences: entries.map((e) => e[0]), next: 0 };
    },
    result(acc) {
      const n = acc.values.length;
      if (n === 0) return Number.NaN;
      let total = 0;
      for (let i = 0; i < n; i++) total += acc.values[(acc.next + i) % n] as number;
      return total / n;
    },
  };
}

function ringEntries(acc: RingAccumulator): [number, number][] {
  const n = acc.values.length;
  const entries: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const j = (acc.next + i) % n;
    entries.push([acc.sequences[j] as number, acc.values[j] as number]);
  }
  return entries;
}

export interface EmaAccumulator {
  n: number;
  value: number;
  /** The first value, which seeds the average; needed to continue one average with another on merge. */
  first: number;
}

/** Either the smoothing factor alpha in (0, 1] or a span N >= 1 (alpha = 2 / (N + 1), as in pandas). */
export type EmaOptions = { readonly alpha: number } | { readonly span: number };

/**
 * The exponential moving average in arrival order, seeded with the first value:
 * y(1) = x(1), y(n) = alpha * x(n) + (1 - alpha) * y(n-1). Merging continues the earlier window's average
 * with the later window's values, y = y_right + (1 - alpha)^n_right * (y_left - first_right), which equals
 * the sequential average up to rounding when the later window's events all arrived after the earlier's.
 */
export function ema<V>(options: EmaOptions, extract: Extractor<V>): Aggregate<V, EmaAccumulator, number> {
  const alpha = 'alpha' in options ? options.alpha : 2 / (options.span + 1);
  if ('span' in options && !(Number.isFinite(options.span) && options.span >= 1)) {
    throw new WindowingError(
      WindowingErrorCodes.invalidAggregate,
      `ema span must be >= 1, got ${options.span}`,
    );
  }
  if (!(alpha > 0 && alpha <= 1)) {
    throw new WindowingError(
      WindowingErrorCodes.invalidAggregate,
      `ema alpha must be in (0, 1], got ${alpha}`,
    );
  }
  const keep = 1 - alpha;
  return {
    kind: `ema(${alpha})`,
    create: () => ({ n: 0, value: 0, first: 0 }),
    add(acc, value) {
      const x = extract(value);
      if (acc.n === 0) {
        acc.value = x;
        acc.first = x;
      } else {
        acc.value = alpha * x + keep * acc.value;
      }
      acc.n++;
      return acc;
    },
    merge(left, right) {
      if (left.n === 0) return { ...right };
      if (right.n === 0) return { ...left };
      return {
        n: left.n + right.n,
        value: right.value + Math.pow(keep, right.n) * (left.value - right.first),
        first: left.first,
      };
    },
    result: (acc) => (acc.n === 0 ? Number.NaN : acc.value),
  };
}
