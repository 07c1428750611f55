import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatProgress, ProgressTracker } from '../../../src/reprocess/progress.ts';

test('progress shows the share done, the rate and the time left', () => {
  const tracker = new ProgressTracker(10_000, 0);
  const p1 = tracker.update(8_000, 0, 1000);
  assert.equal(p1.done, 2000);
  assert.equal(p1.recordsPerSecond, 2000);
  assert.equal(p1.etaSeconds, 4);
  assert.equal(formatProgress(p1, 10), '[##--------] 20.0% 2,000/10,000 records, 2,000 records/s, ETA 4 s');
  // New records arriving during the catch-up grow the total.
  const p2 = tracker.update(0, 1000, 2000);
  assert.equal(p2.total, 11_000);
  assert.equal(p2.done, 11_000);
  assert.equal(p2.etaSeconds, 0);
  assert.match(formatProgress(p2, 10), /^\[##########\] 100\.0% 11,000\/11,000/);
});
