import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import request from 'supertest';
import { ADMIN_KEY, READ_KEY, T0, buildApp, geotechEvent, logLines } from '../support/harness.ts';
import { PG_URL, seed, type Seeded } from '../support/seed.ts';

let seeded: Seeded;
let app: FastifyInstance;
const auth = { 'x-api-key': READ_KEY };

before(async () => {
  seeded = await seed({ events: [geotechEvent('P1', 0, 1), geotechEvent('P1', 1, 2)] });
  app = await buildApp(seeded, { MAX_RANGE_MS: String(7 * 86_400_000) });
});
after(async () => {
  await app?.close();
  await seeded?.cleanup();
});

const injections = [
  "' OR '1'='1",
  "P1'; DROP TABLE readings; --",
  '1) UNION SELECT * FROM pg_user --',
  'geotech"; DELETE FROM series; --',
  '%00',
  '\u0000',
  '../../etc/passwd',
];

/** Every answer is JSON with a stable code and no stack, whatever the input. */
function assertCleanError(res: request.Response, allowed: number[], path = ''): void {
  assert.ok(allowed.includes(res.status), `${path} answered ${res.status}: ${res.text}`);
  if (res.status >= 400) {
    assert.match(res.body.error.code, /^(TL|QUERY|FST)_ERR_[A-Z_]+$/, res.text);
    assert.doesNotMatch(res.text, /\bat .*\.(ts|js):\d+/);
  }
}

test('SQL injection attempts in every parameter are refused or answered as plain values', async () => {
  for (const bad of injections) {
    const e = encodeURIComponent(bad);
    const paths = [
      `/v1/instruments/${e}`,
      `/v1/instruments/${e}/readings`,
      `/v1/instruments/${e}/latest`,
      `/v1/symbols/${e}/readings`,
      `/v1/instruments?type=${e}`,
      `/v1/instruments?feed=${e}`,
      `/v1/instruments?cursor=${e}`,
      `/v1/instruments/P1/readings?from=${e}`,
      `/v1/instruments/P1/readings?to=${e}`,
      `/v1/instruments/P1/readings?resolution=${e}`,
      `/v1/instruments/P1/readings?limit=${e}`,
      `/v1/instruments/P1/readings?cursor=${e}`,
      `/v1/instruments/P1/readings?format=${e}`,
      `/v1/instruments/P1/windows?job=${e}`,
      `/v1/alerts?key=${e}`,
      `/v1/alerts?severity=${e}`,
      `/v1/alerts/active?feed=${e}`,
      `/v1/jobs/${e}`,
      `/v1/live/geotech/${e}`,
      `/v1/symbols/BHP/moving-averages?cursor=${e}`,
    ];
    for (const path of paths)
      assertCleanError(await request(app.server).get(path).set(auth), [400, 404], path);
    const body = await request(app.server)
      .post(`/v1/jobs/geotech/cut-over`)
      .set('x-api-key', ADMIN_KEY)
      .send({ version: bad });
    assertCleanError(body, [400]);
  }
  // A crafted cursor that decodes but carries SQL is a value, never SQL.
  const crafted = Buffer.from(JSON.stringify([T0, "x' OR 1=1 --"])).toString('base64url');
  const res = await request(app.server)
    .get(`/v1/instruments/P1/readings?from=${T0}&to=${T0 + 60_000}&cursor=${crafted}`)
    .set(auth)
    .expect(200);
  assert.deepEqual(
    res.body.items.map((i: { value: number }) => i.value),
    [2],
  );
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  const count = await client.query(`SELECT count(*)::int AS n FROM ${seeded.pgSchema}.readings`);
  await client.end();
  assert.equal(count.rows[0].n, 2);
});

test('invalid cursors, huge ranges, unknown fields and bad times have stable codes', async () => {
  const cases: [string, number, string][] = [
    ['/v1/instruments/P1/readings?cursor=bm90LWpzb24', 400, 'QUERY_ERR_INVALID_CURSOR'],
    [
      `/v1/instruments/P1/readings?cursor=${Buffer.from('[1,2,3]').toString('base64url')}`,
      400,
      'QUERY_ERR_INVALID_CURSOR',
    ],
    [
      `/v1/instruments/P1/windows?cursor=${Buffer.from('[1,"abc"]').toString('base64url')}`,
      400,
      'QUERY_ERR_INVALID_CURSOR',
    ],
    ['/v1/instruments/P1/readings?from=0&to=9999999999999', 400, 'QUERY_ERR_INVALID_RANGE'],
    [`/v1/instruments/P1/readings?from=${T0}&to=${T0}`, 400, 'QUERY_ERR_INVALID_RANGE'],
    ['/v1/alerts?from=0', 400, 'QUERY_ERR_INVALID_RANGE'],
    ['/v1/instruments/P1/readings?resolution=1ms', 400, 'QUERY_ERR_INVALID_RANGE'],
    ['/v1/instruments/P1/readings?from=2026-13-45T99:99Z', 400, 'QUERY_ERR_INVALID_TIME'],
    ['/v1/instruments/P1/readings?limit=50000', 400, 'QUERY_ERR_INVALID_RANGE'],
    ['/v1/instruments/P1/readings?colour=red', 400, 'TL_ERR_VALIDATION'],
    ['/v1/instruments?unknown=1', 400, 'TL_ERR_VALIDATION'],
    ['/v1/nowhere', 404, 'TL_ERR_NOT_FOUND'],
  ];
  for (const [path, status, code] of cases) {
    const res = await request(app.server).get(path).set(auth);
    assert.equal(res.status, status, `${path}: ${res.text}`);
    assert.equal(res.body.error.code, code, path);
  }
  const unknownBody = await request(app.server)
    .post('/v1/jobs/geotech/cut-over')
    .set('x-api-key', ADMIN_KEY)
    .send({ version: 1, extra: true });
  assert.equal(unknownBody.status, 400);
  assert.equal(unknownBody.body.error.code, 'TL_ERR_VALIDATION');
  const big = await request(app.server)
    .post('/v1/jobs/geotech/cut-over')
    .set('x-api-key', ADMIN_KEY)
    .set('content-type', 'application/json')
    .send(JSON.stringify({ version: 1, pad: 'x'.repeat(100_000) }));
  assert.equal(big.status, 413);
  const malformed = await request(app.server)
    .post('/v1/jobs/geotech/cut-over')
    .set('x-api-key', ADMIN_KEY)
    .set('content-type', 'application/json')
    .send('{"version": 1,');
  assertCleanError(malformed, [400], 'malformed JSON body');
  assertCleanError(
    await request(app.server)
      .get(`/v1/instruments/${'A'.repeat(300)}`)
      .set(auth),
    [400, 404, 414],
    'long id',
  );
  assertCleanError(
    await request(app.server).get('/v1/instruments/%E0%A4%A').set(auth),
    [400, 404],
    'bad escape',
  );
  assert.doesNotMatch(big.text, /\bat .*\.(ts|js):\d+/);
});

test('API keys never reach the logs, not even the live stream\u2019s query-string key', async () => {
  const res = await request(app.server)
    .get(`/v1/live/geotech/P1?api_key=${READ_KEY}`)
    .buffer(false)
    .parse((response, done) => {
      response.once('data', () => (response as unknown as { destroy(): void }).destroy());
      response.once('close', () => done(null, null));
    });
  assert.equal(res.status, 200);
  await request(app.server).get('/v1/instruments').set(auth).expect(200);
  assert.ok(logLines.length > 0);
  assert.ok(!logLines.some((line) => line.includes(READ_KEY)), 'a key was logged');
});

test('rate limits per key answer 429 with a stable code; CORS allows only configured origins', async () => {
  const limited = await buildApp(seeded, { RATE_LIMIT_MAX: '2', CORS_ORIGINS: 'https://dash.example' });
  try {
    await request(limited.server).get('/v1/instruments').set(auth).expect(200);
    await request(limited.server).get('/v1/instruments').set(auth).expect(200);
    const third = await request(limited.server).get('/v1/instruments').set(auth).expect(429);
    assert.equal(third.body.error.code, 'QUERY_ERR_RATE_LIMITED');
    // Another key has its own budget; open routes are not counted.
    await request(limited.server).get('/v1/instruments').set('x-api-key', ADMIN_KEY).expect(200);
    for (let i = 0; i < 3; i++) await request(limited.server).get('/healthz').expect(200);
    const allowed = await request(limited.server)
      .options('/v1/instruments')
      .set('origin', 'https://dash.example')
      .set('access-control-request-method', 'GET');
    assert.equal(allowed.headers['access-control-allow-origin'], 'https://dash.example');
    const other = await request(limited.server)
      .options('/v1/instruments')
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'GET');
    assert.equal(other.headers['access-control-allow-origin'], undefined);
  } finally {
    await limited.close();
  }
});

test('under pressure the API sheds load with 503, Retry-After and a stable code; /healthz still answers', async () => {
  const pressed = await buildApp(seeded, { MAX_EVENT_LOOP_DELAY_MS: '1', RETRY_AFTER_S: '7' });
  try {
    let shed: request.Response | undefined;
    for (let attempt = 0; attempt < 10 && shed === undefined; attempt++) {
      const until = Date.now() + 300;
      while (Date.now() < until); // block the event loop, as an overload would
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const res = await request(pressed.server).get('/v1/instruments').set(auth);
      if (res.status === 503) shed = res;
    }
    assert.ok(shed, 'never shed load');
    assert.equal(shed.headers['retry-after'], '7');
    assert.equal(shed.body.error.code, 'QUERY_ERR_OVERLOADED');
    await request(pressed.server).get('/healthz').expect(200);
  } finally {
    await pressed.close();
  }
});
