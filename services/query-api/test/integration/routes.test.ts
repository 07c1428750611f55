import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { stateKeys } from '@tideline/contracts';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';
import request from 'supertest';
import {
  ADMIN_KEY,
  READ_KEY,
  T0,
  buildApp,
  geotechEvent,
  piezometer,
  temperatureEvent,
  tradeEvent,
} from '../support/harness.ts';
import { PG_URL, REDIS_URL, seed, type Seeded } from '../support/seed.ts';

// The raw input. P1, a piezometer read every 10 s for ten minutes, rises through its alert and alarm
// levels and falls back below both; E7 reads once, above its alert level; N1 is a temperature node;
// BHP trades twelve times, 1 s apart. Values stay well clear of the levels' 2 % hysteresis band.
const P1_LEVELS = { alert: 50, alarm: 80 };
const E7_LEVELS = { alert: 10, alarm: 20 };
const p1 = Array.from({ length: 60 }, (_, i) =>
  i < 10 ? 30 + i : i < 20 ? 60 + (i - 10) / 2 : i < 30 ? 85 + (i - 20) : 40 - (i - 30) / 4,
);
const p1Times = p1.map((_, i) => T0 + i * 10_000);
const bhp = [100, 101, 102, 103, 104, 103.5, 102.5, 101, 100.5, 102, 103, 104.25];
const bhpTimes = bhp.map((_, i) => T0 + i * 1000);
const events = [
  ...p1.map((v, i) => geotechEvent('P1', i, v)),
  geotechEvent('E7', 5, 12.5),
  temperatureEvent('N1', T0, 21.5),
  ...bhp.map((price, i) => tradeEvent('BHP', i, price)),
].sort((a, b) => a.eventTimeMs - b.eventTimeMs);
// Reprocessing: version 2 of the geotech job takes piezometer readings up to 50 kPa only.
const V2_MAX = 50;

// What the jobs of jobs/default.json must make of it, worked out here from the input alone.
// geotech-10s: tumbling 10 s windows, closed once the watermark (latest event time - 2 s) passes
// their end; P1 reads once per window, so a window's avg, min, max and last are that reading.
const geotechWatermark = Math.max(...p1Times) - 2000;
const p1Windows = p1Times
  .map((t, i) => ({ startMs: t, value: p1[i] as number }))
  .filter((w) => w.startMs + 10_000 <= geotechWatermark);
const alerts = [
  ...levelChanges('P1', p1, p1Times, P1_LEVELS),
  ...levelChanges('E7', [12.5], [T0 + 50_000], E7_LEVELS),
].sort((a, b) => b.timeMs - a.timeMs);
// market-moving: the SMA and the EMA (span 20, seeded with the first price) of the last 20 trades.
const alpha = 2 / 21;
const moving = bhp.map((_, n) => {
  const last = bhp.slice(Math.max(0, n - 19), n + 1);
  return { timeMs: bhpTimes[n] as number, sma: sum(last) / last.length };
});
let ema = bhp[0] as number;
const emas = bhp.map((price, n) => (ema = n === 0 ? price : alpha * price + (1 - alpha) * ema));
// market-hopping: 3 s windows every 1 s, closed once the watermark (latest trade - 5 s) passes their end.
const marketWatermark = Math.max(...bhpTimes) - 5000;
const hopping: { startMs: number; count: number; avg: number; min: number; max: number }[] = [];
for (let startMs = T0 - 2000; startMs + 3000 <= marketWatermark; startMs += 1000) {
  const inside = bhp.filter((_, i) => bhpTimes[i]! >= startMs && bhpTimes[i]! < startMs + 3000);
  hopping.push({
    startMs,
    count: inside.length,
    avg: sum(inside) / inside.length,
    min: Math.min(...inside),
    max: Math.max(...inside),
  });
}

let seeded: Seeded;
let app: FastifyInstance;
let redis: Redis;
const auth = { 'x-api-key': READ_KEY };

before(async () => {
  seeded = await seed({
    events,
    instruments: [
      piezometer('P1', P1_LEVELS.alert, P1_LEVELS.alarm),
      piezometer('E7', E7_LEVELS.alert, E7_LEVELS.alarm),
    ],
  });
  await seeded.reprocess('geotech', 2, { piezometer: { min: 0, max: V2_MAX } });
  app = await buildApp(seeded, { SERVING_CACHE_MS: '0', HISTORY_CACHE_MS: '0' });
  redis = new Redis(REDIS_URL);
});

after(async () => {
  await app?.close();
  redis?.disconnect();
  await seeded?.cleanup();
});

interface Window {
  windowStartMs: number;
  windowEndMs: number;
  count: number;
  avg: number;
  min: number;
  max: number;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** The alerts a key's readings raise: one each time its level (none, alert, alarm) changes. */
function levelChanges(
  key: string,
  values: readonly number[],
  times: readonly number[],
  levels: { alert: number; alarm: number },
): { key: string; level: string; timeMs: number }[] {
  const changes: { key: string; level: string; timeMs: number }[] = [];
  let held = 'cleared';
  values.forEach((v, i) => {
    const level = v >= levels.alarm ? 'alarm' : v >= levels.alert ? 'alert' : 'cleared';
    if (level !== held) changes.push({ key, level, timeMs: times[i] as number });
    held = level;
  });
  return changes;
}

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
    assert.deepEqual(seen, p1);
    assert.equal(pages, 3);
  });

  test('a resolution downsamples into epoch-aligned buckets', async () => {
    const res = await request(app.server)
      .get(`/v1/instruments/P1/readings?${range}&resolution=1m`)
      .set(auth)
      .expect(200);
    assert.equal(res.body.items.length, 10);
    const firstSix = p1.slice(0, 6);
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

  test('whole-minute resolutions, read from the per-minute rollup, equal the raw aggregation at odd bounds and across pages', async () => {
    const db = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${seeded.pgSchema}` });
    await db.connect();
    try {
      // The sink kept the rollup: P1's ten minutes of six readings each (version 1).
      const minutes = await db.query(
        `SELECT count FROM readings_1m WHERE job_version = 1 AND key = 'P1' ORDER BY bucket`,
      );
      assert.deepEqual(
        minutes.rows.map((r) => r.count),
        Array(10).fill(6),
      );
    } finally {
      await db.end();
    }
    // The buckets worked out from the raw input; avg compared with a relative 1e-12 (PostgreSQL adds
    // per minute, then the minutes), count, min and max exactly.
    const expected = (fromMs: number, toMs: number, bucketMs: number) => {
      const buckets = new Map<number, number[]>();
      p1.forEach((v, i) => {
        const t = p1Times[i]!;
        if (t < fromMs || t >= toMs) return;
        const b = Math.floor(t / bucketMs) * bucketMs;
        buckets.set(b, [...(buckets.get(b) ?? []), v]);
      });
      return [...buckets.entries()]
        .sort(([a], [b]) => a - b)
        .map(([timeMs, vs]) => ({
          timeMs,
          avg: sum(vs) / vs.length,
          min: Math.min(...vs),
          max: Math.max(...vs),
          count: vs.length,
        }));
    };
    const cases: [number, number, string, number][] = [
      [T0, T0 + 3_600_000, '1m', 60_000],
      [T0 + 25_000, T0 + 7 * 60_000 + 35_000, '1m', 60_000], // both bounds inside a minute
      [T0 + 61_000, T0 + 119_000, '1m', 60_000], // no whole minute at all
      [T0 + 5_000, T0 + 3_600_000, '2m', 120_000],
      [T0 - 3 * 60_000 + 1, T0 + 9 * 60_000 + 59_999, '5m', 300_000],
      [T0 + 30_000, T0 + 600_000, '30s', 30_000], // not whole minutes: the raw aggregation
    ];
    for (const [fromMs, toMs, resolution, bucketMs] of cases) {
      const items: { timeMs: number; avg: number; min: number; max: number; count: number }[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/v1/instruments/P1/readings?from=${fromMs}&to=${toMs}&resolution=${resolution}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await request(app.server).get(url).set(auth).expect(200);
        items.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      const want = expected(fromMs, toMs, bucketMs);
      const what = `${resolution} from ${fromMs - T0} to ${toMs - T0}`;
      assert.ok(want.length > 0, what);
      assert.deepEqual(
        items.map(({ timeMs, min, max, count }) => ({ timeMs, min, max, count })),
        want.map(({ timeMs, min, max, count }) => ({ timeMs, min, max, count })),
        what,
      );
      items.forEach((item, i) => {
        const avg = want[i]!.avg;
        assert.ok(
          Math.abs(item.avg - avg) <= 1e-12 * Math.abs(avg),
          `${what}: avg ${item.avg} against ${avg}`,
        );
      });
    }
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
    const first = geotechEvent('P1', 0, p1[0] as number);
    assert.equal(lines[1], `${new Date(T0).toISOString()},${T0},${first.value},kPa,${first.eventId}`);
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
      raw.body.items.map((w: Window) => [w.windowStartMs, w.count, w.avg, w.min, w.max]),
      p1Windows.map((w) => [w.startMs, 1, w.value, w.value, w.value]),
    );
    const merged = await request(app.server)
      .get(`/v1/instruments/P1/windows?${range}&resolution=1m`)
      .set(auth)
      .expect(200);
    assert.equal(merged.body.items.length, Math.ceil(p1Windows.length / 6));
    assert.equal(merged.body.items[0].count, 6);
    assert.equal(merged.body.items[0].max, Math.max(...p1.slice(0, 6)));
  });

  test('hopping windows of a symbol, closed by the watermark', async () => {
    const res = await request(app.server)
      .get(`/v1/symbols/BHP/windows?from=${T0 - 3000}&to=${T0 + 3_600_000}&job=market-hopping`)
      .set(auth)
      .expect(200);
    assert.ok(hopping.length >= 5, `the trades close several windows (${hopping.length})`);
    assert.deepEqual(
      res.body.items.map((w: Window) => [w.windowStartMs, w.windowEndMs, w.count, w.avg, w.min, w.max]),
      hopping.map((w) => [w.startMs, w.startMs + 3000, w.count, w.avg, w.min, w.max]),
    );
  });

  test('moving averages of a symbol', async () => {
    const res = await request(app.server)
      .get(`/v1/symbols/BHP/moving-averages?${range}`)
      .set(auth)
      .expect(200);
    const items = res.body.items as { sma: number; ema: number; timeMs: number }[];
    assert.deepEqual(
      items.map((i) => [i.timeMs, i.sma]),
      moving.map((m) => [m.timeMs, m.sma]),
    );
    items.forEach((item, n) => assert.ok(Math.abs(item.ema - (emas[n] as number)) < 1e-9, `ema ${n}`));
  });
});

describe('latest values', () => {
  test('come from Redis, and from PostgreSQL when Redis has nothing', async () => {
    const fromRedis = await request(app.server).get('/v1/instruments/P1/latest').set(auth).expect(200);
    assert.equal(fromRedis.body.source, 'redis');
    assert.equal(fromRedis.body.reading.value, p1.at(-1));
    assert.equal(fromRedis.body.alert.level, alerts.find((a) => a.key === 'P1')?.level);
    assert.equal(fromRedis.body.windows['geotech-10s'].windowStartMs, p1Windows.at(-1)?.startMs);
    await redis.del(stateKeys(seeded.namespace).latest('geotech', 'P1'));
    const fromPg = await request(app.server).get('/v1/instruments/P1/latest').set(auth).expect(200);
    assert.equal(fromPg.body.source, 'postgres');
    assert.deepEqual(fromPg.body.reading, fromRedis.body.reading);
    assert.deepEqual(fromPg.body.alert, fromRedis.body.alert);
    assert.deepEqual(fromPg.body.windows, fromRedis.body.windows);
    const market = await request(app.server).get('/v1/symbols/BHP/latest').set(auth).expect(200);
    assert.equal(market.body.reading.value, bhp.at(-1));
    assert.equal(market.body.windows['market-moving'].aggregates.sma, moving.at(-1)?.sma);
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
      assert.equal(latest.body.reading.value, bhp.at(-1));
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
      all.body.items.map((a: { level: string; key: string; eventTimeMs: number }) => [
        a.key,
        a.level,
        a.eventTimeMs,
      ]),
      alerts.map((a) => [a.key, a.level, a.timeMs]),
    );
    assert.deepEqual(
      alerts.map((a) => `${a.key}:${a.level}`),
      ['P1:cleared', 'P1:alarm', 'P1:alert', 'E7:alert'],
      'the input raises each kind of alert',
    );
    const severe = await request(app.server)
      .get(`/v1/alerts?${range}&severity=alarm,alert&key=P1`)
      .set(auth)
      .expect(200);
    assert.deepEqual(
      severe.body.items.map((a: { level: string }) => a.level),
      alerts.filter((a) => a.key === 'P1' && a.level !== 'cleared').map((a) => a.level),
    );
    const first = await request(app.server).get(`/v1/alerts?${range}&limit=3`).set(auth).expect(200);
    const rest = await request(app.server)
      .get(`/v1/alerts?${range}&limit=3&cursor=${first.body.nextCursor}`)
      .set(auth)
      .expect(200);
    assert.deepEqual(
      rest.body.items.map((a: { key: string }) => a.key),
      alerts.slice(3).map((a) => a.key),
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
      p1.filter((v) => v <= V2_MAX),
    );
    await request(app.server).post('/v1/jobs/geotech/cut-over').set(admin).send({ version: 1 }).expect(200);
  });
});
