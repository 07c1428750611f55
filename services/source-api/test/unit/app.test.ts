import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp } from './helpers.ts';

test('healthz and readyz answer 200 while serving', async () => {
  const t = await startApp();
  assert.deepEqual((await t.http.get('/healthz').expect(200)).body, { status: 'ok' });
  assert.equal((await t.http.get('/readyz').expect(200)).body.status, 'ready');
  await t.close();
});

test('metrics count requests per route and items served per feed', async () => {
  const t = await startApp();
  await t.http.get('/v1/market/trades?limit=25').expect(200);
  await t.http.get('/v1/market/trades?limit=0').expect(400);
  const metrics = (
    await t.http
      .get('/metrics')
      .expect(200)
      .expect('content-type', /text\/plain/)
  ).text;
  assert.match(metrics, /source_api_items_served_total\{feed="market",service="source-api"\} 25/);
  assert.match(
    metrics,
    /tideline_http_requests_total\{method="GET",route="\/v1\/market\/trades",status="200",service="source-api"\} 1/,
  );
  assert.match(
    metrics,
    /tideline_http_requests_total\{method="GET",route="\/v1\/market\/trades",status="400",service="source-api"\} 1/,
  );
  await t.close();
});

test('injected faults are counted by kind', async () => {
  const t = await startApp({ FAULT_DUPLICATE_RATE: '0.5', FAULT_ERROR_RATE: '0' });
  await t.http.get('/v1/market/trades?limit=100').expect(200);
  await t.http.put('/v1/admin/faults').send({ outageForMs: 1000 }).expect(200);
  await t.http.get('/v1/market/trades').expect(503);
  const metrics = (await t.http.get('/metrics')).text;
  assert.match(metrics, /source_api_faults_injected_total\{fault="duplicate",service="source-api"\} [1-9]/);
  assert.match(metrics, /source_api_faults_injected_total\{fault="outage",service="source-api"\} 1/);
  await t.close();
});

test('GET /openapi.json documents every data route with its query parameters', async () => {
  const t = await startApp();
  const doc = (await t.http.get('/openapi.json').expect(200)).body as {
    openapi: string;
    paths: Record<
      string,
      Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>
    >;
  };
  assert.equal(doc.openapi, '3.1.0');
  for (const path of [
    '/params/water_standpipe',
    '/params/pore_pressure',
    '/params/settlement/x',
    '/params/settlement/y',
    '/params/settlement/z',
    '/v1/instruments',
    '/v1/instruments/{id}/latest',
    '/v1/geotech/readings',
    '/v1/market/trades',
    '/v1/sensors/temperature',
  ]) {
    assert.ok(doc.paths[path]?.get, path);
    assert.ok(doc.paths[path]?.get?.responses['200'], path);
  }
  const trades = doc.paths['/v1/market/trades']?.get?.parameters?.map((p) => `${p.in}:${p.name}`).sort();
  assert.deepEqual(trades, ['query:limit', 'query:since', 'query:symbols']);
  assert.ok(doc.paths['/v1/admin/faults']?.put);
  await t.close();
});

test('a request id sent in x-request-id is echoed in error bodies', async () => {
  const t = await startApp();
  const response = await t.http.get('/nowhere').set('x-request-id', 'abc-123').expect(404);
  assert.deepEqual(response.body.error, {
    code: 'TL_ERR_NOT_FOUND',
    message: 'no route GET /nowhere',
    requestId: 'abc-123',
  });
  await t.close();
});

test('SIM_START_MS and SIM_SPEED run simulated time from a fixed start, faster than the wall clock', async () => {
  const start = Date.UTC(2024, 5, 1);
  const t = await startApp({ SIM_START_MS: String(start), SIM_SPEED: '60', HISTORY_MS: '0' });
  const first = (await t.http.get('/v1/market/trades?limit=10000').expect(200)).body;
  assert.ok(
    first.items.every(
      (trade: { eventTimeMs: number }) => trade.eventTimeMs === start || trade.eventTimeMs < start + 1000,
    ),
  );
  t.clock.nowMs += 1000; // one wall-clock second is a simulated minute
  const next = (await t.http.get(`/v1/market/trades?limit=10000&since=${first.nextCursor}`).expect(200)).body;
  assert.ok(Math.abs(next.items.length - 60 * 8) <= 8, `${next.items.length} trades in a simulated minute`);
  await t.close();
});
