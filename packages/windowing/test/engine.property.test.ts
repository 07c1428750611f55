import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { CountWindows, WindowingTestDriver } from '../src/index.ts';
import { aggregates, assertSameSteps, runEngine, runOracle } from './support/harness.ts';
import { config, ops, sessionWindows, timeWindows } from './support/arbitraries.ts';
import { compute, type Op, type OracleConfig, type Trade, type Values } from './support/oracle.ts';

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
