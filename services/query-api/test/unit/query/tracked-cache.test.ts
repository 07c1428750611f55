import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TrackedCache } from '../../../src/query/tracked-cache.ts';

function tracking(maxEntries = 10): TrackedCache<string> {
  const cache = new TrackedCache<string>({ maxEntries });
  cache.setTracking(true);
  return cache;
}

test('a settled read is cached until its key is invalidated', () => {
  const cache = tracking();
  assert.equal(cache.settle(cache.begin('k'), 'v1'), true);
  assert.deepEqual(cache.get('k'), { value: 'v1' });
  cache.invalidate(['other']);
  assert.deepEqual(cache.get('k'), { value: 'v1' });
  cache.invalidate(['k']);
  assert.equal(cache.get('k'), undefined);
});

test('an invalidation that arrives before the reply keeps the reply out of the cache', () => {
  const cache = tracking();
  const ticket = cache.begin('k');
  cache.invalidate(['k']);
  assert.equal(cache.settle(ticket, 'old'), false);
  assert.equal(cache.get('k'), undefined);
  // The next read of the key is cached again.
  assert.equal(cache.settle(cache.begin('k'), 'new'), true);
  assert.deepEqual(cache.get('k'), { value: 'new' });
});

test('a flush or a loss of tracking during a read keeps its reply out of the cache', () => {
  const cache = tracking();
  const flushed = cache.begin('a');
  cache.flush();
  assert.equal(cache.settle(flushed, 'old'), false);
  const untracked = cache.begin('b');
  cache.setTracking(false);
  cache.setTracking(true);
  assert.equal(cache.settle(untracked, 'old'), false);
  assert.equal(cache.size, 0);
});

test('of two reads of a key in flight, only the newer is cached', () => {
  const cache = tracking();
  const first = cache.begin('k');
  const second = cache.begin('k');
  assert.equal(cache.settle(first, 'first'), false);
  assert.equal(cache.settle(second, 'second'), true);
  assert.deepEqual(cache.get('k'), { value: 'second' });
});

test('nothing is cached or served while not tracking, and turning tracking off flushes', () => {
  const cache = new TrackedCache<string>({ maxEntries: 10 });
  assert.equal(cache.begin('k'), undefined);
  assert.equal(cache.settle(undefined, 'v'), false);
  cache.setTracking(true);
  cache.settle(cache.begin('k'), 'v');
  cache.setTracking(false);
  assert.equal(cache.get('k'), undefined);
  cache.setTracking(true);
  assert.equal(cache.get('k'), undefined);
});

test('a failed read leaves nothing pending, and past maxEntries the oldest entry goes', () => {
  const cache = tracking(2);
  const failed = cache.begin('x');
  cache.abandon(failed);
  assert.equal(cache.settle(failed, 'late'), false);
  for (const key of ['a', 'b', 'c']) cache.settle(cache.begin(key), key);
  assert.equal(cache.size, 2);
  assert.equal(cache.get('a'), undefined);
  assert.deepEqual(cache.get('c'), { value: 'c' });
  assert.throws(() => new TrackedCache({ maxEntries: 0 }), RangeError);
});
