import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MissingData } from '../../../src/jobs/missing-data.ts';

test('a node silent for a whole window is reported once, and cleared when it sends again', () => {
  const missing = new MissingData('sensors', 60_000);
  missing.seen('Node 1', 10_000, 5);
  missing.seen('Node 2', 10_000, 5);
  missing.seen('Node 2', 70_000, 5);
  missing.seen('Node 2', 130_000, 5);
  // Node 1's next window [60 s, 120 s) is empty; it is complete once the watermark reaches 120 s.
  assert.deepEqual(missing.check(119_999), []);
  const alerts = missing.check(120_000);
  assert.deepEqual(
    alerts.map((a) => [a.key, a.level, a.eventTimeMs]),
    [['Node 1', 'missing_data', 60_000]],
  );
  assert.deepEqual(
    missing.check(500_000).map((a) => a.key),
    ['Node 2'],
    'Node 1 is not reported twice',
  );
  const back = missing.seen('Node 1', 600_000, 7);
  assert.equal(back?.level, 'cleared');
  assert.equal(back?.value, 7);
});
