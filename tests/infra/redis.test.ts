import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { stack, uniqueName } from '../support/env.ts';

test('ioredis stores a hash and reads it back', async () => {
  const redis = new Redis(stack.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const key = uniqueName('smoke:latest');
  try {
    await redis.hset(key, { symbol: 'AGL', price: '595.43' });
    assert.deepEqual(await redis.hgetall(key), { symbol: 'AGL', price: '595.43' });
    assert.equal(await redis.ping(), 'PONG');
  } finally {
    await redis.del(key);
    redis.disconnect();
  }
});
