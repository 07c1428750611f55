// Random jobs and random inputs for property tests: disorder, lateness beyond the grace period, several
// partitions, idleness, duplicate ids, processing time for throttling, an end of input, and restart points.
import fc from 'fast-check';
import type { Op, OracleConfig, OracleEmit, OracleWindows } from './oracle.ts';

export const timeWindows: fc.Arbitrary<OracleWindows> = fc
  .record({
    sizeMs: fc.integer({ min: 1, max: 12 }),
    advanceFraction: fc.integer({ min: 1, max: 4 }),
    offsetMs: fc.integer({ min: -20, max: 20 }),
    graceMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 8 })),
  })
  .map(({ sizeMs, advanceFraction, offsetMs, graceMs }) => {
    const advanceMs = Math.max(1, Math.ceil(sizeMs / advanceFraction));
    return {
      kind: 'time' as const,
      sizeMs,
      advanceMs,
      offsetMs: ((offsetMs % advanceMs) + advanceMs) % advanceMs,
      graceMs,
    };
  });

export const sessionWindows: fc.Arbitrary<OracleWindows> = fc.record({
  kind: fc.constant('session' as const),
  gapMs: fc.integer({ min: 1, max: 8 }),
  graceMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 8 })),
});

export const emit: fc.Arbitrary<OracleEmit> = fc.oneof(
  fc.constant({ kind: 'on-window-close' as const }),
  fc.record({
    kind: fc.constant('on-update' as const),
    throttleMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 })),
  }),
  fc.record({ kind: fc.constant('on-count' as const), everyEvents: fc.integer({ min: 1, max: 4 }) }),
);

export function config(windows: fc.Arbitrary<OracleWindows>): fc.Arbitrary<OracleConfig> {
  return fc
    .record({
      windows,
      delayMs: fc.integer({ min: 0, max: 6 }),
      emit,
      accumulation: fc.constantFrom(
        'accumulating',
        'discarding',
        'accumulating-and-retracting',
      ) as fc.Arbitrary<OracleConfig['accumulation']>,
      dedupHorizonMs: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
      partitions: fc.option(fc.constant<number[]>([0, 1]), { nil: undefined }),
    })
    .map((c) => {
      const out: OracleConfig = {
        windows: c.windows,
        delayMs: c.delayMs,
        emit: c.emit,
        accumulation: c.accumulation,
      };
      if (c.dedupHorizonMs !== undefined) out.dedupHorizonMs = c.dedupHorizonMs;
      if (c.partitions !== undefined) out.partitions = c.partitions;
      return out;
    });
}

type RawOp =
  | {
      op: 'event';
      key: string;
      cents: number;
      step: number;
      jitter: number;
      partition: number;
      id: number | null;
    }
  | { op: 'idle'; partition: number }
  | { op: 'proc'; step: number }
  | { op: 'end' }
  | { op: 'restart' };

const rawOp: fc.Arbitrary<RawOp> = fc.oneof(
  {
    weight: 60,
    arbitrary: fc.record({
      op: fc.constant('event' as const),
      key: fc.constantFrom('a', 'b', 'c'),
      cents: fc.integer({ min: 0, max: 100_000 }),
      step: fc.integer({ min: 0, max: 4 }),
      jitter: fc.oneof(
        { weight: 3, arbitrary: fc.constant(0) },
        { weight: 2, arbitrary: fc.integer({ min: -15, max: 3 }) },
      ),
      partition: fc.integer({ min: 0, max: 2 }),
      id: fc.option(fc.integer({ min: 0, max: 9 }), { nil: null }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('idle' as const), partition: fc.integer({ min: 0, max: 2 }) }),
  },
  {
    weight: 6,
    arbitrary: fc.record({ op: fc.constant('proc' as const), step: fc.integer({ min: 0, max: 5 }) }),
  },
  { weight: 6, arbitrary: fc.constant({ op: 'restart' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'end' as const }) },
);

/** Turns relative steps into absolute event and processing times. Prices are cents / 100: not exact in binary. */
export const ops: fc.Arbitrary<Op[]> = fc
  .array(rawOp, { minLength: 1, maxLength: 80, size: 'max' })
  .map((raw) => {
    let clock = 1_000;
    let now = 0;
    return raw.map((r): Op => {
      switch (r.op) {
        case 'event': {
          clock += r.step;
          const op: Op = {
            op: 'event',
            key: r.key,
            price: r.cents / 100,
            t: clock + r.jitter,
            partition: r.partition,
          };
          if (r.id !== null) op.id = `e${r.id}`;
          return op;
        }
        case 'proc':
          now += r.step;
          return { op: 'proc', nowMs: now };
        default:
          return r;
      }
    });
  });
