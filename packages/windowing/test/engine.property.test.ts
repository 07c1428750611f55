import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { CountWindows, WindowingTestDriver } from '../src/index.ts';
import { aggregates, assertSameSteps, runEngine, runOracle } from './support/harness.ts';
import {
  compute,
  type Op,
  type OracleConfig,
  type OracleEmit,
  type OracleWindows,
  type Trade,
  type Values,
} from './support/oracle.ts';

// Random jobs and random inputs: disorder, lateness beyond the grace period, several partitions, idleness,
// duplicate ids, processing time for throttling, an end of input, and snapshot/restore points.

const timeWindows: fc.Arbitrary<OracleWindows> = fc
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

const sessionWindows: fc.Arbitrary<OracleWindows> = fc.record({
  kind: fc.constant('session' as const),
  gapMs: fc.integer({ min: 1, max: 8 }),
  graceMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 8 })),
});

const emit: fc.Arbitrary<OracleEmit> = fc.oneof(
  fc.constant({ kind: 'on-window-close' as const }),
  fc.record({
    kind: fc.constant('on-update' as const),
    throttleMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 })),
  }),
  fc.record({ kind: fc.constant('on-count' as const), everyEvents: fc.integer({ min: 1, max: 4 }) }),
);

function config(windows: fc.Arbitrary<OracleWindows>): fc.Arbitrary<OracleConfig> {
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
const ops: fc.Arbitrary<Op[]> = fc.array(rawOp, { minLength: 1, maxLength: 80, size: 'max' }).map((raw) => {
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

function checkAgainstOracle(c: OracleConfig, input: Op[], tolerance: number): void {
  const engine = runEngine(c, input);
  const { steps } = runOracle(c, input);
  assertSameSteps(engine, steps, tolerance, { config: c, ops: input });
}

function checkRestartsChangeNothing(c: OracleConfig, input: Op[]): void {
  const restarted = runEngine(c, input, true);
  const uninterrupted = runEngine(c, input, false);
  assert.deepStrictEqual(restarted, uninterrupted);
}

describe('WindowingEngine against a brute-force oracle', () => {
  test('tumbling and hopping windows match the oracle bit for bit, whatever the disorder, lateness and restarts', () => {
    fc.assert(
      fc.property(config(timeWindows), ops, (c, input) => checkAgainstOracle(c, input, 0)),
      {
        numRuns: 400,
      },
    );
  });

  test('session windows match the oracle (sums merged across sessions to within rounding)', () => {
    fc.assert(
      fc.property(config(sessionWindows), ops, (c, input) => checkAgainstOracle(c, input, 1e-9)),
      {
        numRuns: 400,
      },
    );
  });

  test('restoring snapshots at random points gives exactly the output of an uninterrupted run', () => {
    fc.assert(
      fc.property(config(fc.oneof(timeWindows, sessionWindows)), ops, (c, input) =>
        checkRestartsChangeNothing(c, input),
      ),
      { numRuns: 300 },
    );
  });

  test('the same input in the same order gives the same output, in the same order', () => {
    fc.assert(
      fc.property(config(fc.oneof(timeWindows, sessionWindows)), ops, (c, input) => {
        assert.deepStrictEqual(runEngine(c, input, false), runEngine(c, input, false));
      }),
      { numRuns: 100 },
    );
  });
});

describe('count windows against a brute-force oracle', () => {
  test("each result is the aggregate of the key's last k events, bit for bit, across restarts", () => {
    const events = fc.array(
      fc.record({
        key: fc.constantFrom('a', 'b'),
        cents: fc.integer({ min: 0, max: 100_000 }),
        t: fc.integer({ min: 0, max: 50 }),
        restart: fc.boolean(),
      }),
      { maxLength: 60, size: 'max' },
    );
    const shape = fc.record({
      size: fc.integer({ min: 1, max: 6 }),
      advanceFraction: fc.integer({ min: 1, max: 3 }),
    });
    fc.assert(
      fc.property(shape, events, ({ size, advanceFraction }, input) => {
        const advance = Math.max(1, Math.floor(size / advanceFraction));
        const driver = new WindowingTestDriver<string, Trade, Values>({
          windows: CountWindows.ofSize(size).advanceBy(advance),
          aggregates,
        });
        const seen = new Map<string, { price: number; t: number; seq: number }[]>();
        const expected: unknown[] = [];
        input.forEach((e, seq) => {
          const history = seen.get(e.key) ?? [];
          history.push({ price: e.cents / 100, t: e.t, seq });
          seen.set(e.key, history);
          if (history.length % advance === 0) {
            const window = history.slice(-size);
            expected.push({
              key: e.key,
              window: {
                startMs: Math.min(...window.map((x) => x.t)),
                endMs: Math.max(...window.map((x) => x.t)) + 1,
                firstIndex: history.length - window.length,
                lastIndex: history.length - 1,
              },
              value: compute(window),
              eventCount: window.length,
            });
          }
          driver.pipe(e.key, { price: e.cents / 100 }, e.t);
          if (e.restart) driver.restart();
        });
        const actual = driver.readResults().map((r) => ({
          key: r.key,
          window: r.window,
          value: r.value,
          eventCount: r.eventCount,
        }));
        assert.deepStrictEqual(actual, expected);
      }),
      { numRuns: 300 },
    );
  });
});
