import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  Aggregates,
  CountWindows,
  TimeWindows,
  WindowingEngine,
  WindowingErrorCodes,
  WindowingTestDriver,
} from '../../src/index.ts';

interface Trade {
  price: number;
}
type Moving = { sma: number; ema: number; windowEma: number; total: number };

const alpha = 0.2;
const options = (k: number) => ({
  windows: CountWindows.ofSize(k),
  aggregates: {
    sma: Aggregates.avg((t: Trade) => t.price),
    ema: Aggregates.running(Aggregates.ema({ alpha }, (t: Trade) => t.price)),
    windowEma: Aggregates.ema({ alpha }, (t: Trade) => t.price),
    total: Aggregates.running(Aggregates.count<Trade>()),
  },
});

/** The textbook EMA over a whole series, seeded with the first value, computed independently. */
function emaOf(prices: readonly number[]): number {
  let y = Number.NaN;
  prices.forEach((x, i) => {
    y = i === 0 ? x : alpha * x + (1 - alpha) * y;
  });
  return y;
}

describe('running aggregates in count windows', () => {
  test("a running EMA covers the key's whole history next to an SMA of its last k trades, across restarts", () => {
    const trades = fc.array(
      fc.record({
        key: fc.constantFrom('AGL', 'BHP'),
        cents: fc.integer({ min: 1, max: 100_000 }),
        restart: fc.boolean(),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), trades, (k, input) => {
        const driver = new WindowingTestDriver<string, Trade, Moving>(options(k));
        const history = new Map<string, number[]>();
        const expected: Moving[] = [];
        input.forEach((e, i) => {
          const prices = history.get(e.key) ?? [];
          prices.push(e.cents / 100);
          history.set(e.key, prices);
          const last = prices.slice(-k);
          let sum = 0;
          for (const p of last) sum += p;
          expected.push({
            sma: sum / last.length,
            ema: emaOf(prices),
            windowEma: emaOf(last),
            total: prices.length,
          });
          driver.pipe(e.key, { price: e.cents / 100 }, i);
          if (e.restart) driver.restart();
        });
        assert.deepStrictEqual(
          driver.readResults().map((r) => r.value),
          expected,
        );
      }),
      { numRuns: 200 },
    );
  });

  test('the running EMA differs from the EMA over the last k once a key has seen more than k trades', () => {
    const engine = new WindowingEngine<string, Trade, Moving>(options(2));
    for (const price of [10, 20, 30]) engine.process('AGL', { price }, 0);
    const last = engine.drain().at(-1);
    assert.equal(last?.kind, 'result');
    if (last?.kind !== 'result') return;
    assert.equal(last.value.ema, emaOf([10, 20, 30]));
    assert.equal(last.value.windowEma, emaOf([20, 30]));
    assert.notEqual(last.value.ema, last.value.windowEma);
    assert.equal(last.value.total, 3);
  });

  test('time and session windows refuse running aggregates', () => {
    assert.throws(
      () =>
        new WindowingEngine({
          windows: TimeWindows.ofSizeWithNoGrace(10),
          aggregates: { ema: Aggregates.running(Aggregates.ema({ span: 9 }, (v: number) => v)) },
        }),
      { code: WindowingErrorCodes.invalidOptions, message: /aggregates.ema is running/ },
    );
  });

  test('a running aggregate has its own kind, so a snapshot of a windowed EMA is not restored into it', () => {
    const plain = Aggregates.ema({ span: 9 }, (v: number) => v);
    assert.equal(Aggregates.running(plain).kind, `running(${plain.kind})`);
    assert.equal(Aggregates.running(plain).running, true);
  });
});
