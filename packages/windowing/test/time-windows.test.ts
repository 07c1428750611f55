import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TimeWindows, WindowingErrorCodes } from '../src/index.ts';

const invalid = { code: WindowingErrorCodes.invalidWindow };
const HOUR = 3_600_000;

describe('TimeWindows', () => {
  test('TimeWindows rejects a size that is not a positive integer', () => {
    for (const size of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => TimeWindows.ofSizeWithNoGrace(size), invalid);
    }
  });

  test('TimeWindows rejects an advance larger than the size, or not positive', () => {
    const windows = TimeWindows.ofSizeWithNoGrace(10);
    assert.throws(() => windows.advanceBy(11), invalid);
    assert.throws(() => windows.advanceBy(0), invalid);
    assert.throws(() => windows.advanceBy(2.5), invalid);
  });

  test('TimeWindows rejects a negative grace period', () => {
    assert.throws(() => TimeWindows.ofSizeAndGrace(10, -1), invalid);
  });

  test('tumbling windows are aligned to the epoch and half-open', () => {
    const windows = TimeWindows.ofSizeWithNoGrace(10);
    assert.equal(windows.isTumbling, true);
    assert.deepEqual(windows.windowsFor(0), [{ startMs: 0, endMs: 10 }]);
    assert.deepEqual(windows.windowsFor(9), [{ startMs: 0, endMs: 10 }]);
    assert.deepEqual(windows.windowsFor(10), [{ startMs: 10, endMs: 20 }]);
    assert.deepEqual(windows.windowsFor(-1), [{ startMs: -10, endMs: 0 }]);
  });

  test('an event belongs to every hopping window with start <= t < end', () => {
    const windows = TimeWindows.ofSizeWithNoGrace(3_000).advanceBy(1_000);
    assert.deepEqual(windows.windowsFor(12_066), [
      { startMs: 10_000, endMs: 13_000 },
      { startMs: 11_000, endMs: 14_000 },
      { startMs: 12_000, endMs: 15_000 },
    ]);
    assert.deepEqual(
      windows.windowsFor(12_000).map((w) => w.startMs),
      [10_000, 11_000, 12_000],
    );
  });

  test('hopping windows whose size is not a multiple of the advance cover each event correctly', () => {
    const windows = TimeWindows.ofSizeWithNoGrace(10).advanceBy(4);
    assert.deepEqual(
      windows.windowsFor(12).map((w) => [w.startMs, w.endMs]),
      [
        [4, 14],
        [8, 18],
        [12, 22],
      ],
    );
    assert.deepEqual(
      windows.windowsFor(11).map((w) => w.startMs),
      [4, 8],
    );
  });

  test('an offset aligns daily windows to a time zone, normalised into [0, advance)', () => {
    const days = TimeWindows.ofSizeWithNoGrace(24 * HOUR).withOffsetMs(-10 * HOUR);
    assert.equal(days.offsetMs, 14 * HOUR);
    const localMidnight = Date.parse('2018-08-21T00:00:00+10:00');
    assert.deepEqual(days.windowsFor(Date.parse('2018-08-21T21:01:10+10:00')), [
      { startMs: localMidnight, endMs: localMidnight + 24 * HOUR },
    ]);
  });

  test('advanceBy and withOffsetMs return new frozen specifications and leave the original alone', () => {
    const tumbling = TimeWindows.ofSizeAndGrace(10, 5);
    const hopping = tumbling.advanceBy(5).withOffsetMs(3);
    assert.deepEqual([tumbling.advanceMs, tumbling.offsetMs], [10, 0]);
    assert.deepEqual([hopping.sizeMs, hopping.advanceMs, hopping.graceMs, hopping.offsetMs], [10, 5, 5, 3]);
    assert.equal(Object.isFrozen(hopping), true);
    assert.equal(hopping.isTumbling, false);
    assert.match(hopping.toString(), /sizeMs=10, advanceMs=5, graceMs=5, offsetMs=3/);
  });
});
