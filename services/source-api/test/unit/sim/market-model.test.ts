import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symbolModel, tradePrice, tradeQuantity, tradeSide } from '../../../src/sim/market-model.ts';

const SEED = 3;
const start = Math.floor(Date.UTC(2025, 0, 15) / 1000);

test('a symbol depends on its name and the seed only, not on the rest of the universe', () => {
  assert.deepEqual(symbolModel(SEED, 'BHP'), symbolModel(SEED, 'BHP'));
  assert.notDeepEqual(symbolModel(SEED, 'BHP'), symbolModel(SEED, 'CBA'));
  assert.notDeepEqual(symbolModel(SEED, 'BHP'), symbolModel(SEED + 1, 'BHP'));
});

test('prices walk geometrically in small steps and wander, across bridge blocks too', () => {
  const model = symbolModel(SEED, 'BHP');
  const n = 40_000; // longer than a 16384-trade block
  const prices = Array.from({ length: n }, (_, i) => tradePrice(SEED, model, start + i));
  const returns = prices.slice(1).map((p, i) => Math.log(p / prices[i]!));
  assert.ok(Math.max(...returns.map(Math.abs)) < 0.01, 'no jumps, even at block ends');
  const sd = Math.sqrt(returns.reduce((s, r) => s + r * r, 0) / returns.length);
  assert.ok(sd > 0.0002 && sd < 0.002, `step sd ${sd}`);
  const ratio = Math.max(...prices) / Math.min(...prices);
  assert.ok(ratio > 1.03 && ratio < 2, `range ratio ${ratio}`);
  for (const price of prices) assert.equal(Math.round(price * 100) / 100, price);
});

test('sides are mixed and quantities are whole shares from 1 to 1000', () => {
  const model = symbolModel(SEED, 'CBA');
  const sides = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    sides.add(tradeSide(SEED, model, start + i));
    const quantity = tradeQuantity(SEED, model, start + i);
    assert.ok(Number.isInteger(quantity) && quantity >= 1 && quantity <= 1000);
  }
  assert.deepEqual([...sides].sort(), ['BUY', 'SELL']);
});
