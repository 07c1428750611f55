import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeCursor, encodeCursor } from '../../../src/query/cursor.ts';
import { ResultCache } from '../../../src/query/result-cache.ts';

test('a cursor round-trips and anything else is QUERY_ERR_INVALID_CURSOR', () => {
  const cursor = { timeMs: 1_764_583_200_123, id: 'abc' };
  assert.deepEqual(decodeCursor(encodeCursor(cursor)), cursor);
  assert.equal(decodeCursor(undefined), undefined);
  for (const bad of [
    'not-base64-json',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('[-1,"x"]').toString('base64url'),
    Buffer.from('[1.5,"x"]').toString('base64url'),
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('[1,"a\\u0000b"]').toString('base64url'),
    Buffer.from(JSON.stringify([1, 'x'.repeat(300)])).toString('base64url'),
  ])
    assert.throws(() => decodeCursor(bad), { code: 'QUERY_ERR_INVALID_CURSOR' }, bad);
});

test('the result cache shares one computation between identical queries and forgets failures', async () => {
  const cache = new ResultCache({ ttlMs: 60_000 });
  let calls = 0;
  const compute = async () => ++calls;
  const [a, b] = await Promise.all([cache.get('k', compute), cache.get('k', compute)]);
  assert.deepEqual([a, b, calls], [1, 1, 1]);
  await assert.rejects(cache.get('f', () => Promise.reject(new Error('boom'))));
  assert.equal(await cache.get('f', compute), 2);
  const off = new ResultCache({ ttlMs: 0 });
  await off.get('k', compute);
  await off.get('k', compute);
  assert.equal(calls, 4);
});

test('past its ttl a result is served while one background query refreshes it, up to the stale bound', async () => {
  let nowMs = 0;
  const cache = new ResultCache({ ttlMs: 1000, staleMs: 500, now: () => nowMs });
  let calls = 0;
  let release: (() => void) | undefined;
  const slow = () =>
    new Promise<number>((resolve) => {
      const n = ++calls;
      release = () => resolve(n);
    });
  const first = cache.get('k', slow);
  release?.();
  assert.equal(await first, 1);

  nowMs = 1200; // stale: the old answer at once, one refresh started
  assert.equal(await cache.get('k', slow), 1);
  assert.equal(await cache.get('k', slow), 1);
  assert.equal(calls, 2);
  release?.();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(await cache.get('k', slow), 2, 'the refreshed answer replaces the old one');

  nowMs = 1200 + 1000 + 600; // past ttl + stale of the refresh (started at 1200): wait for a new query
  const waited = cache.get('k', slow);
  assert.equal(calls, 3);
  release?.();
  assert.equal(await waited, 3);

  nowMs += 1100; // a failed refresh keeps the older answer until it is too old
  let failures = 0;
  const failing = () => Promise.reject(new Error(`boom ${++failures}`));
  assert.equal(await cache.get('k', failing), 3);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(await cache.get('k', failing), 3);
  assert.equal(failures, 2);
  nowMs += 500;
  await assert.rejects(cache.get('k', failing), /boom 3/);
});
