import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CountWindows, WindowingErrorCodes, WindowKind } from '../src/index.ts';

describe('CountWindows', () => {
  test('CountWindows rejects a size that is not a positive integer', () => {
    for (const size of [0, -1, 2.5, Number.NaN]) {
      assert.throws(() => CountWindows.ofSize(size), { code: WindowingErrorCodes.invalidWindow });
    }
  });

  test('CountWindows rejects an advance larger than the size', () => {
    assert.throws(() => CountWindows.ofSize(5).advanceBy(6), { code: WindowingErrorCodes.invalidWindow });
    assert.throws(() => CountWindows.ofSize(5).advanceBy(0), { code: WindowingErrorCodes.invalidWindow });
  });

  test('CountWindows slide by one event unless told otherwise', () => {
    const sma = CountWindows.ofSize(20);
    assert.deepEqual([sma.kind, sma.sizeEvents, sma.advanceEvents], [WindowKind.count, 20, 1]);
    const batches = sma.advanceBy(20);
    assert.deepEqual([batches.sizeEvents, batches.advanceEvents], [20, 20]);
    assert.equal(Object.isFrozen(batches), true);
  });
});
