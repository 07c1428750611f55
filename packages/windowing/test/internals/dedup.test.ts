import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Deduplicator } from '../../src/internals/dedup.ts';

describe('Deduplicator', () => {
  test('an id is a duplicate while its event time is within the horizon behind the watermark', () => {
    const d = new Deduplicator(10);
    assert.equal(d.check('x', 100, Number.NEGATIVE_INFINITY), false);
    assert.equal(d.check('x', 100, 110), true);
    assert.equal(d.check('x', 105, 111), false, 'forgotten, then remembered again with the new event time');
    assert.equal(d.check('x', 200, 111), true);
  });

  test('sweeping forgets stale ids without changing any answer', () => {
    const d = new Deduplicator(10);
    d.check('old', 0, 0);
    d.check('new', 50, 0);
    d.sweep(45);
    assert.equal(d.size, 1);
    assert.equal(d.check('new', 50, 45), true);
    assert.equal(d.check('old', 0, 45), false);
  });
});
