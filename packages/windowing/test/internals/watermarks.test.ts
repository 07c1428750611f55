import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PartitionWatermarks } from '../../src/internals/watermarks.ts';

describe('PartitionWatermarks', () => {
  test('observe reports whether the watermark advanced', () => {
    const w = new PartitionWatermarks(5);
    const p0 = w.partition(0);
    assert.equal(w.observe(p0, 10), true);
    assert.equal(w.currentMs, 5);
    assert.equal(w.observe(p0, 8), false);
    assert.equal(w.observe(p0, 10), false);
  });

  test('a partition above the minimum moves nothing, the one holding it does', () => {
    const w = new PartitionWatermarks(0);
    const [p0, p1, p2] = [w.partition(0), w.partition(1), w.partition(2)];
    w.observe(p0, 10);
    w.observe(p1, 20);
    w.observe(p2, 30);
    assert.equal(w.currentMs, 10);
    assert.equal(w.observe(p2, 40), false);
    assert.equal(w.observe(p0, 25), true);
    assert.equal(w.currentMs, 20);
  });

  test('snapshot and restore keep partitions, idleness and the watermark', () => {
    const w = new PartitionWatermarks(1);
    w.observe(w.partition(0), 10);
    w.observe(w.partition(1), 20);
    w.markIdle(0);
    const copy = new PartitionWatermarks(1);
    copy.restore(w.snapshot());
    assert.deepEqual(copy.snapshot(), w.snapshot());
    assert.equal(copy.observe(copy.partition(1), 30), true);
    assert.equal(copy.currentMs, 29);
  });
});
