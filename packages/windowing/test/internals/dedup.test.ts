import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Deduplicator } from '../../src/internals/dedup.ts';

describe('Deduplicator', () => {
  test('an id is a duplicate while its event time is within the horizon behind the watermark', () => {
    const d = new Deduplicator<string>(10, () => {});
    assert.equal(d.check('x', 'k', 100, Number.NEGATIVE_INFINITY), false);
    assert.equal(d.check('x', 'k', 100, 110), true);
    assert.equal(
      d.check('x', 'k', 105, 111),
      false,
      'forgotten, then remembered again with the new event time',
    );
    assert.equal(d.check('x', 'k', 200, 111), true);
  });

  test('sweeping forgets stale ids without changing any answer', () => {
    const d = new Deduplicator<string>(10, () => {});
    d.check('old', 'k', 0, 0);
    d.check('new', 'k', 50, 0);
    d.sweep(45);
    assert.equal(d.size, 1);
    assert.equal(d.check('new', 'k', 50, 45), true);
    assert.equal(d.check('old', 'k', 0, 45), false);
  });
});
