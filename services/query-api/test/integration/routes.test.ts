import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { stateKeys } from '@tideline/contracts';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import request from 'supertest';
import {
  ADMIN_KEY,
  READ_KEY,
  T0,
  alertOf,
  buildApp,
  geotechReading,
  trade,
  windowOf,
} from '../support/harness.ts';
import { REDIS_URL, seed, type Seeded } from '../support/seed.ts';

const values = Array.from({ length: 60 }, (_, i) => Math.round(40 + 10 * Math.sin(i / 5) * 100) / 100);
let seeded: Seeded;
let app: FastifyInstance;
let redis: Redis;
const auth = { 'x-api-key': READ_KEY };

before(async () => {
  seeded = await seed({
    readings: [
      ...values.map((v, i) => geotechReading('P1', i, v)),
      geotechReading('E7', 0, 12.5),
      {
        ...geotechReading('N1', 0, 21.5),
        feed: 'sensors',
        measure: 'temperature',
        unit: 'C',
        attributes: {},
      },
      ...[100, 101, 102, 103, 104].map((p, i) => trade('BHP', i, p)),
    ],
    windows: [
      ...[0, 1, 2, 3, 4, 5].map((w) => ({
        feed: 'geotech' as const,
        aggregate: windowOf(
          'geotech-10s',
          'P1',
          T0 + w * 10_000,
          T0 + (w + 1) * 10_000,
          { avg: values[w]!, min: values[w]!, max: values[w]!, last: values[w]! },
          1,
        ),
      })),
      ...[2, 3, 4].map((i) => ({
        feed: 'market' as const,
        aggregate: windowOf(
          'market-moving',
          'BHP',
          T0 + (i - 2) * 1000,
          T0 + i * 1000 + 1,
          { sma: 100 + i - 1, ema: 100 + i - 0.5 },
          3,
        ),
      })),
    ],
    alerts: [
      alertOf('P1', 'alert', T0 + 100_000),
      alertOf('P1', 'alarm', T0 + 200_000, 85),
      alertOf('P1', 'cleared', T0 + 300_000, 40),
      alertOf('E7', 'alert', T0 + 50_000, 55),
    ],
  });
  // Version 2 of the geotech outputs, as a reprocessing would write it.
  await seeded.add({ version: 2, readings: [geotechReading('P1', 0, 999)] });
  app = await buildApp(seeded, { SERVING_CACHE_MS: '0', HISTORY_CACHE_MS: '0' });
  redis = new Redis(REDIS_URL);
});

after(async () => {
  await app?.close();
  redis?.disconnect();
  await seeded?.cleanup();
});

const range = `from=${T0}&to=${T0 + 3_600_000}`;

describe('open routes', () => {
  test('healthz, readyz and metrics answer without a key', async () => {
    await request(app.server).get('/healthz').expect(200);
    const ready = await request(app.server).get('/readyz').expect(200);
    assert.deepEqual(ready.body.checks, { postgres: 'ok', redis: 'ok' });
    const metrics = await request(app.server).get('/metrics').expect(200);
    assert.match(metrics.text, /tideline_http_requests_total/);
  });

  test('the OpenAPI document lists the routes and the docs page is served locally', async () => {
    const doc = await request(app.server).get('/openapi.json').expect(200);
    assert.equal(doc.body.openapi, '3.0.3');
    for (const path of [
      '/v1/instruments',
      '/v1/instruments/{id}/readings',
      '/v1/symbols/{symbol}/latest',
      '/v1/alerts/active',
      '/v1/jobs/{job}/cut-over',
    ])
      assert.ok(doc.body.paths[path], `${path} documented`);
    const page = await request(app.server).get('/docs').expect(200);
    assert.match(page.text, /swagger/i);
    assert.doesNotMatch(page.text, /https?:\/\/(cdn|unpkg)/);
    await request(app.server).get('/docs/static/swagger-ui-bundle.js').expect(200);
  });
});

describe('keys and scopes', () => {
  test('no key is 401, a wrong key is 401, a read key cannot cut over (403)', async () => {
    const none = await request(app.server).get('/v1/instruments').expect(401);
    assert.equal(none.body.error.code, 'QUERY_ERR_UNAUTHENTICATED');
    const wrong = await request(app.server)
      .get('/v1/instruments')
      .set('x-api-key', 'x'.repeat(24))
      .expect(401);
    assert.equal(wrong.body.error.code, 'QUERY_ERR_UNAUTHENTICATED');
    const bearer = await request(app.server)
      .get('/v1/instruments')
      .set('authorization', `Bearer ${READ_KEY}`);
    assert.equal(bearer.status, 200);
    const forbidden = await request(app.server)
      .post('/v1/jobs/geotech/cut-over')
      .set(auth)
      .send({ version: 2 })
      .expect(403);
    assert.equal(forbidden.body.error.code, 'QUERY_ERR_FORBIDDEN');
  });
});

describe('instruments and symbols', () => {
  test('lists filter by feed and type and page by cursor', async () => {
    const all = await request(app.server).get('/v1/instruments').set(auth).expect(200);
    assert.deepEqual(
      all.body.items.map((s: { key: string }) => s.key),
      ['E7', 'N1', 'P1'],
    );
    const sensors = await request(app.server).get('/v1/instruments?feed=sensors').set(auth).expect(200);
    assert.deepEqual(
      sensors.body.items.map((s: { key: string }) => s.key),
      ['N1'],
    );
    const typed = await request(app.server).get('/v1/instruments?type=temperature').set(auth).expect(200);
    assert.deepEqual(
      typed.body.items.map((s: { key: string }) => s.key),
      ['N1'],
    );
    const first = await request(app.server).get('/v1/instruments?limit=2').set(auth).expect(200);
    assert.equal(first.body.items.length, 2);
    const second = await request(app.server)
      .get(`/v1/instruments?limit=2&cursor=${first.body.nextCursor}`)
      .set(auth)
      .expect(200);
    assert.deepEqual(
      second.body.items.map((s: { key: string }) => s.key),
      ['P1'],
    );
    assert.equal(second.body.nextCursor, null);
    const symbols = await request(app.server).get('/v1/symbols').set(auth).expect(200);
    assert.deepEqual(
      symbols.body.items.map((s: { key: string }) => s.key),
      ['BHP'],
    );
  });

  test('detail carries the latest attributes; an unknown key is 404', async () => {
    const p1 = await request(app.server).get('/v1/instruments/P1').set(auth).expect(200);
    assert.equal(p1.body.type, 'piezometer');
    assert.equal(p1.body.attributes.alarmLevel, 80);
    assert.equal(p1.body.firstEventTimeMs, T0);
    assert.equal(p1.body.lastEventTimeMs, T0 + 59 * 10_000);
    const missing = await request(app.server).get('/v1/instruments/NOPE').set(auth).expect(404);
    assert.equal(missing.body.error.code, 'TL_ERR_NOT_FOUND');
    await request(app.server).get('/v1/symbols/BHP').set(auth).expect(200);
  });
});

describe('history', () => {
  test('raw readings page through the range with keyset cursors', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/v1/instruments/P1/readings?${range}&limit=25${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await request(app.server).get(url).set(auth).expect(200);
      seen.push(...page.body.items.map((i: { value: number }) => i.value));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor !== null);
    assert.deepEqual(seen, values);
    assert.equal(pages, 3);
  });

  test('a resolution downsamples into epoch-aligned buckets', async () => {
    const res = await request(app.server)
      .get(`/v1/instruments/P1/readings?${range}&resolution=1m`)
      .set(auth)
      .expect(200);
    assert.equal(res.body.items.length, 10);
    const firstSix = values.slice(0, 6);
    const bucket = res.body.items[0];
    assert.equal(bucket.timeMs, T0);
    assert.equal(bucket.count, 6);
    assert.equal(bucket.min, Math.min(...firstSix));
    assert.equal(bucket.max, Math.max(...firstSix));
    assert.ok(Math.abs(bucket.avg - firstSix.reduce((a, b) => a + b) / 6) < 1e-9);
    const paged = await request(app.server)
      .get(`/v1/instruments/P1/readings?${range}&resolution=1m&limit=4`)
      .set(auth)
      .expect(200);
    const next = await request(app.server)
      .get(`/v1/instruments/P1/readings?${range}&resolution=1m&limit=4&cursor=${paged.body.nextCursor}`)
      .set(auth)
      .expect(200);
    assert.equal(next.body.items[0].timeMs, T0 + 4 * 60_000);
  });

  test('CSV by Accept header or format=, streamed with a header row', async () => {
    const byAccept = await request(app.server)
      .get(`/v1/instruments/P1/readings?${range}`)
      .set(auth)
      .set('accept', 'text/csv')
      .expect(200);
    assert.match(byAccept.headers['content-type'] ?? '', /text\/csv/);
    const lines = byAccept.text.trim().split('\n');
    assert.equal(lines[0], 'time,time_ms,value,unit,event_id');
    assert.equal(lines.length, 61);
    assert.equal(lines[1], `${new Date(T0).toISOString()},${T0},${values[0]},kPa,e-P1-0`);
    const byParam = await request(app.server)
      .get(`/v1/instruments/P1/windows?${range}&format=csv&resolution=1m`)
      .set(auth)
      .expect(200);
    assert.equal(byParam.text.split('\n')[0], 'window_start,window_end,count,avg,min,max');
    await request(app.server)
      .get(`/v1/instruments/P1/readings?${range}`)
      .set(auth)
      .set('accept', 'image/png')
      .expect(406);
  });

  test('window aggregates, raw and merged', async () => {
    const raw = await request(app.server).get(`/v1/instruments/P1/windows?${range}`).set(auth).expect(200);
    assert.equal(raw.body.job, 'geotech-10s');
    assert.deepEqual(
      raw.body.items.map((w: { avg: number }) => w.avg),
      values.slice(0, 6),
    );
    const merged = await request(app.server)
      .get(`/v1/instruments/P1/windows?${range}&resolution=1m`)
      .set(auth)
      .expect(200);
    assert.equal(merged.body.items.length, 1);
    assert.equal(merged.body.items[0].count, 6);
    assert.equal(merged.body.items[0].max, Math.max(...values.slice(0, 6)));
  });

  test('moving averages of a symbol', async () => {
    const res = await request(app.server)
      .get(`/v1/symbols/BHP/moving-averages?${range}`)
      .set(auth)
      .expect(200);
    assert.deepEqual(
      res.body.items.map((i: { sma: number; ema: number; timeMs: number }) => [i.timeMs - T0, i.sma, i.ema]),
      [
        [2000, 101, 101.5],
        [3000, 102, 102.5],
        [4000, 103, 103.5],
      ],
    );
  });
});

describe('latest values', () => {
  test('come from Redis, and from PostgreSQL when Redis has nothing', async () => {
    const fromRedis = await request(app.server).get('/v1/instruments/P1/latest').set(auth).expect(200);
    assert.equal(fromRedis.body.source, 'redis');
    assert.equal(fromRedis.body.reading.value, values[59]);
    assert.equal(fromRedis.body.alert.level, 'cleared');
    assert.equal(fromRedis.body.windows['geotech-10s'].windowStartMs, T0 + 50_000);
    await redis.del(stateKeys(seeded.namespace).latest('geotech', 'P1'));
    const fromPg = await request(app.server).get('/v1/instruments/P1/latest').set(auth).expect(200);
    assert.equal(fromPg.body.source, 'postgres');
    assert.deepEqual(fromPg.body.reading, fromRedis.body.reading);
    assert.deepEqual(fromPg.body.alert, fromRedis.body.alert);
    assert.deepEqual(fromPg.body.windows, fromRedis.body.windows);
    const market = await request(app.server).get('/v1/symbols/BHP/latest').set(auth).expect(200);
    assert.equal(market.body.reading.value, 104);
    assert.equal(market.body.windows['market-moving'].aggregates.sma, 103);
    await request(app.server).get('/v1/instruments/N1/latest?feed=sensors').set(auth).expect(200);
    await request(app.server).get('/v1/instruments/NOPE/latest').set(auth).expect(404);
  });
});

describe('Redis away', () => {
  test('latest values come from PostgreSQL and history still answers; readyz says why it is not ready', async () => {
    // Nothing listens on port 1: every Redis command fails at once.
    const cut = await buildApp(seeded, { REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const latest = await request(cut.server).get('/v1/symbols/BHP/latest').set(auth).expect(200);
      assert.equal(latest.body.source, 'postgres');
      assert.equal(latest.body.reading.value, 104);
      await request(cut.server).get(`/v1/symbols/BHP/readings?${range}`).set(auth).expect(200);
      const ready = await request(cut.server).get('/readyz').expect(503);
      assert.equal(ready.body.checks.postgres, 'ok');
      assert.notEqual(ready.body.checks.redis, 'ok');
      const jobs = await request(cut.server).get('/v1/jobs').set(auth).expect(503);
      assert.equal(jobs.body.error.code, 'TL_ERR_UNAVAILABLE');
    } finally {
      await cut.close();
    }
  });
});

describe('alerts', () => {
  test('by range, key and severity, newest first, paged', async () => {
    const all = await request(app.server).get(`/v1/alerts?${range}`).set(auth).expect(200);
    assert.deepEqual(
      all.body.items.map((a: { level: string; key: string }) => `${a.key}:${a.level}`),
      ['P1:cleared', 'P1:alarm', 'P1:alert', 'E7:alert'],
    );
    const severe = await request(app.server)
      .get(`/v1/alerts?${range}&severity=alarm,alert&key=P1`)
      .set(auth)
      .expect(200);
    assert.deepEqual(
      severe.body.items.map((a: { level: string }) => a.level),
      ['alarm', 'alert'],
    );
    const first = await request(app.server).get(`/v1/alerts?${range}&limit=3`).set(auth).expect(200);
    const rest = await request(app.server)
      .get(`/v1/alerts?${range}&limit=3&cursor=${first.body.nextCursor}`)
      .set(auth)
      .expect(200);
    assert.deepEqual(
      rest.body.items.map((a: { key: string }) => a.key),
      ['E7'],
    );
  });

  test('active now: the latest alert per key unless cleared', async () => {
    const active = await request(app.server).get('/v1/alerts/active').set(auth).expect(200);
    assert.deepEqual(
      active.body.items.map((a: { key: string; level: string }) => `${a.key}:${a.level}`),
      ['E7:alert'],
    );
  });
});

describe('reprocessing', () => {
  test('lists versions, refuses bad cut-overs, and a cut-over switches what is served', async () => {
    const key = stateKeys(seeded.namespace).jobs('geotech');
    await redis.hset(key, {
      v1: JSON.stringify({
        job: 'geotech',
        version: 1,
        status: 'serving',
        startedAtMs: 1,
        caughtUpAtMs: 2,
        servingSinceMs: 3,
      }),
      v2: JSON.stringify({ job: 'geotech', version: 2, status: 'catching-up', startedAtMs: 10 }),
      serving: '1',
    });
    const view = await request(app.server).get('/v1/jobs/geotech').set(auth).expect(200);
    assert.equal(view.body.serving, 1);
    assert.deepEqual(
      view.body.versions.map((v: { status: string }) => v.status),
      ['serving', 'catching-up'],
    );
    const list = await request(app.server).get('/v1/jobs').set(auth).expect(200);
    assert.deepEqual(
      list.body.items.map((j: { job: string }) => j.job),
      ['geotech'],
    );
    const admin = { 'x-api-key': ADMIN_KEY };
    const early = await request(app.server)
      .post('/v1/jobs/geotech/cut-over')
      .set(admin)
      .send({ version: 2 })
      .expect(409);
    assert.equal(early.body.error.code, 'QUERY_ERR_NOT_CAUGHT_UP');
    const unknown = await request(app.server)
      .post('/v1/jobs/geotech/cut-over')
      .set(admin)
      .send({ version: 7 })
      .expect(404);
    assert.equal(unknown.body.error.code, 'QUERY_ERR_UNKNOWN_VERSION');
    await redis.hset(
      key,
      'v2',
      JSON.stringify({ job: 'geotech', version: 2, status: 'caught-up', startedAtMs: 10, caughtUpAtMs: 20 }),
    );
    const before = Date.now();
    const done = await request(app.server)
      .post('/v1/jobs/geotech/cut-over')
      .set(admin)
      .send({ version: 2 })
      .expect(200);
    assert.equal(done.body.serving, 2);
    const [v1, v2] = done.body.versions;
    assert.equal(v1.status, 'caught-up');
    assert.equal(v1.servingSinceMs, undefined);
    assert.equal(v2.status, 'serving');
    assert.ok(v2.servingSinceMs >= before);
    assert.equal(await redis.hget(key, 'serving'), '2');
    const readings = await request(app.server)
      .get(`/v1/instruments/P1/readings?${range}`)
      .set(auth)
      .expect(200);
    assert.equal(readings.body.version, 2);
    assert.deepEqual(
      readings.body.items.map((i: { value: number }) => i.value),
      [999],
    );
    await request(app.server).post('/v1/jobs/geotech/cut-over').set(admin).send({ version: 1 }).expect(200);
  });
});
