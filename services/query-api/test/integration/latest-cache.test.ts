// The client-side cache of latest values against the real Redis: a write to the processor's hash
// (made here, in the run's own namespace) shows in the answer within an invalidation, also across
// killed connections. No fixed sleeps: each check polls with a deadline.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { stateKeys } from '@tideline/contracts';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import request from 'supertest';
import { READ_KEY, buildApp, until, untilTracking } from '../support/harness.ts';
import { REDIS_URL, seed, type Seeded } from '../support/seed.ts';

/** How long an invalidation may take to show in the answer. */
const INVALIDATION_DEADLINE_MS = 2000;
const auth = { 'x-api-key': READ_KEY };

let seeded: Seeded;
let app: FastifyInstance;
let redis: Redis;

before(async () => {
  // No events: the hashes are written by the tests, PostgreSQL stays empty (Redis's absence is a 404).
  seeded = await seed();
  app = await buildApp(seeded);
  redis = new Redis(REDIS_URL);
});

after(async () => {
  await app?.close();
  redis?.disconnect();
  await seeded?.cleanup();
});

function hashKey(instrument: string): string {
  return stateKeys(seeded.namespace).latest('geotech', instrument);
}

async function writeReading(instrument: string, value: number): Promise<void> {
  const reading = {
    schemaVersion: 1,
    eventId: `e-${instrument}-${value}`,
    feed: 'geotech',
    key: instrument,
    measure: 'piezometer',
    value,
    unit: 'kPa',
    eventTimeMs: 1_764_000_000_000 + value,
    source: 'test',
  };
  await redis.hset(hashKey(instrument), 'reading', JSON.stringify(reading));
}

/** The reading value answered now, or the status when it is not 200. */
async function answer(target: FastifyInstance, instrument: string): Promise<number | string> {
  const response = await request(target.server).get(`/v1/instruments/${instrument}/latest`).set(auth);
  if (response.status !== 200) return `status ${response.status}`;
  assert.equal(response.body.source, 'redis');
  return response.body.reading.value as number;
}

/** Polls until the answer is `expected`, then checks it stays so (never the old value again). */
async function answersSoon(target: FastifyInstance, instrument: string, expected: number | string) {
  let last: number | string = 'none';
  await until(
    async () => (last = await answer(target, instrument)) === expected,
    INVALIDATION_DEADLINE_MS,
    `${instrument} answers ${expected} (last answer: ${last})`,
  );
  for (let i = 0; i < 20; i++) assert.equal(await answer(target, instrument), expected);
}

async function cacheCount(target: FastifyInstance, result: 'hit' | 'miss' | 'untracked'): Promise<number> {
  const metric = await target.queryMetrics.latestCache.get();
  return metric.values.find((v) => v.labels.result === result)?.value ?? 0;
}

/** Asks twice and checks the second answer came from the cache. */
async function cached(target: FastifyInstance, instrument: string, expected: number): Promise<void> {
  assert.equal(await answer(target, instrument), expected);
  const hits = await cacheCount(target, 'hit');
  assert.equal(await answer(target, instrument), expected);
  assert.equal(await cacheCount(target, 'hit'), hits + 1, 'the second answer is a cache hit');
}

describe('latest values cached while Redis tracks them', () => {
  test('a cached value changes in the answer once the hash changes, and goes once it is deleted', async () => {
    await writeReading('C1', 1);
    await cached(app, 'C1', 1);
    await writeReading('C1', 2);
    await answersSoon(app, 'C1', 2);
    await cached(app, 'C1', 2);
    await redis.del(hashKey('C1'));
    await answersSoon(app, 'C1', 'status 404');
    // An absence is cached too, and invalidated when the processor writes the key.
    await writeReading('C1', 3);
    await answersSoon(app, 'C1', 3);
  });

  for (const connection of ['reader', 'subscriber'] as const)
    test(`killing the ${connection} connection flushes the cache; caching resumes on new connections`, async () => {
      const instrument = `K-${connection}`;
      await writeReading(instrument, 10);
      await cached(app, instrument, 10);
      const before = app.latestState.clientIds;
      assert.ok(before !== undefined);
      // Killed, a reader's keys are no longer tracked and a subscriber's invalidations go nowhere:
      // either way the write below is announced to no one, so only the flush keeps the answer right.
      assert.equal(await redis.client('KILL', 'ID', String(before[connection])), 1);
      await writeReading(instrument, 11);
      await answersSoon(app, instrument, 11);
      await untilTracking(app);
      const now = app.latestState.clientIds;
      assert.ok(now !== undefined);
      assert.notEqual(now[connection], before[connection]);
      await cached(app, instrument, 11);
      await writeReading(instrument, 12);
      await answersSoon(app, instrument, 12);
    });

  test('with LATEST_CACHE_MAX_ENTRIES=0 every answer reads Redis', async () => {
    const uncached = await buildApp(seeded, { LATEST_CACHE_MAX_ENTRIES: '0' });
    try {
      await writeReading('U1', 20);
      assert.equal(await answer(uncached, 'U1'), 20);
      await writeReading('U1', 21);
      assert.equal(await answer(uncached, 'U1'), 21);
      assert.equal(uncached.latestState.tracking, false);
      assert.equal(await cacheCount(uncached, 'hit'), 0);
    } finally {
      await uncached.close();
    }
  });
});
