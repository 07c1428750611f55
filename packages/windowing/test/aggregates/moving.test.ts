import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Aggregates, WindowingErrorCodes } from '../../src/index.ts';
import { fold, resultOf } from '../support/fold.ts';

const id = (v: number) => v;

describe('simple moving average', () => {
  test('sma(k) averages the last k values in arrival order', () => {
    assert.equal(resultOf(Aggregates.sma(3, id), [1, 2, 3, 4, 5, 6]), 5);
    assert.equal(resultOf(Aggregates.sma(3, id), [10, 20]), 15, 'fewer than k values: their average');
  });

  test('sma sums the window oldest first every time, so it reproduces bit for bit', () => {
    const values = [0.1, 0.7, 0.2, 0.3, 0.9, 0.4];
    assert.equal(resultOf(Aggregates.sma(3, id), values), (0.3 + 0.9 + 0.4) / 3);
    assert.equal(resultOf(Aggregates.sma(4, id), values), (0.2 + 0.3 + 0.9 + 0.4) / 4);
  });

  test('merging interleaves both sides by arrival and keeps the newest k', () => {
    const sma = Aggregates.sma(3, id);
    let left = sma.create();
    let right = sma.create();
    left = sma.add(left, 1, 0, 0);
    right = sma.add(right, 2, 0, 1);
    left = sma.add(left, 3, 0, 2);
    right = sma.add(right, 4, 0, 3);
    left = sma.add(left, 5, 0, 4);
    // by arrival: 1 2 3 4 5 -> the last three are 3 4 5
    const merged = sma.merge(left, right);
    assert.equal(sma.result(merged), (3 + 4 + 5) / 3);
    assert.equal(sma.result(sma.add(merged, 9, 0, 5)), (4 + 5 + 9) / 3);
  });

  test('sma rejects a k that is not a positive integer', () => {
    for (const k of [0, -1, 2.5]) {
      assert.throws(() => Aggregates.sma(k, id), { code: WindowingErrorCodes.invalidAggregate });
    }
  });
});

describe('exponential moving average', () => {
  test('ema is seeded with the first value and weights each new one by alpha', () => {
    const ema = Aggregates.ema({ alpha: 0.5 }, id);
    assert.equal(resultOf(ema, [10]), 10);
    assert.equal(resultOf(ema, [10, 20]), 15);
    assert.equal(resultOf(ema, [10, 20, 40]), 27.5);
  });

  test('a span N gives alpha = 2 / (N + 1)', () => {
    const bySpan = Aggregates.ema({ span: 3 }, id);
    const byAlpha = Aggregates.ema({ alpha: 0.5 }, id);
    assert.equal(resultOf(bySpan, [3, 9, 1, 4]), resultOf(byAlpha, [3, 9, 1, 4]));
    assert.equal(bySpan.kind, 'ema(0.5)');
  });

  test('merging continues the earlier average with the later values', () => {
    const ema = Aggregates.ema({ alpha: 0.3 }, id);
    const left = [5, 8, 2];
    const right = [7, 1, 6, 6];
    const merged = ema.result(ema.merge(fold(ema, left), fold(ema, right)));
    const sequential = resultOf(ema, [...left, ...right]);
    assert.ok(Math.abs(merged - sequential) < 1e-12, `${merged} vs ${sequential}`);
    assert.equal(ema.result(ema.merge(ema.create(), fold(ema, right))), resultOf(ema, right));
  });

  test('ema rejects an alpha outside (0, 1] and a span below 1', () => {
    for (const options of [{ alpha: 0 }, { alpha: 1.5 }, { alpha: Number.NaN }, { span: 0.5 }]) {
      assert.throws(() => Aggregates.ema(options, id), { code: WindowingErrorCodes.invalidAggregate });
    }
  });
});
