import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TimeWindows } from '../src/index.ts';
import { brief, driver } from './support/jobs.ts';

describe('WindowingEngine deduplication', () => {
  test('an event id seen within the horizon is dropped and counted', () => {
    const d = driver({ windows: TimeWindows.ofSizeWithNoGrace(10), dedupHorizonMs: 100 });
    d.pipe('a', 1, 1, 0, 'x')
      .pipe('a', 1, 1, 0, 'x')
      .pipe('a', 1, 2, 1, 'x')
      .pipe('a', 1, 3, 0, 'y')
      .endOfInput();
    assert.deepEqual(brief(d.readResults()), ['a [0,10) 2/2 on-time#0']);
    assert.equal(d.metrics().duplicates, 2);
  });

  test('an id is forgotten once its event time falls behind the watermark by more than the horizon', () => {
    const d = driver({
      windows: TimeWindows.ofSizeWithNoGrace(10),
      dedupHorizonMs: 20,
      maxOutOfOrdernessMs: 1_000,
    });
    d.pipe('a', 1, 0, 0, 'x').pipe('a', 1, 1_020, 0, 'z');
    assert.equal(d.watermarkMs, 20);
    d.pipe('a', 1, 50, 0, 'x');
    assert.equal(d.metrics().duplicates, 1, 'at watermark 20 the id from t=0 is still within the horizon');
    d.pipe('a', 1, 1_021, 0, 'w');
    d.pipe('a', 1, 50, 0, 'x');
    assert.equal(d.metrics().duplicates, 1, 'at watermark 21 it is not');
  });

  test('records without an id, or an engine without a horizon, are never deduplicated', () => {
    const withHorizon = driver({ windows: TimeWindows.ofSizeWithNoGrace(10), dedupHorizonMs: 100 });
    withHorizon.pipe('a', 1, 1).pipe('a', 1, 1);
    const without = driver({ windows: TimeWindows.ofSizeWithNoGrace(10) });
    without.pipe('a', 1, 1, 0, 'x').pipe('a', 1, 1, 0, 'x');
    assert.deepEqual([withHorizon.metrics().duplicates, without.metrics().duplicates], [0, 0]);
    assert.deepEqual([withHorizon.metrics().eventsIn, without.metrics().eventsIn], [2, 2]);
  });
});
