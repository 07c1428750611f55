import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_FAULTS } from '../../../src/index.ts';
import { NOW_MS, startApp } from '../helpers.ts';

test('GET /v1/admin/faults answers the settings from the config', async () => {
  const quiet = await startApp();
  assert.deepEqual((await quiet.http.get('/v1/admin/faults').expect(200)).body, NO_FAULTS);
  const noisy = await startApp({
    FAULT_DUPLICATE_RATE: '0.25',
    FAULT_DELAY_MS: '5',
    FAULT_OUTAGE_FOR_MS: '1000',
  });
  const body = (await noisy.http.get('/v1/admin/faults').expect(200)).body;
  assert.equal(body.duplicateRate, 0.25);
  assert.equal(body.delayMs, 5);
  assert.equal(body.outageUntilMs, NOW_MS + 1000);
  await Promise.all([quiet.close(), noisy.close()]);
});

test('PUT /v1/admin/faults replaces the settings: keys left out are switched off', async () => {
  const t = await startApp({ FAULT_NULL_RATE: '0.5' });
  const response = await t.http.put('/v1/admin/faults').send({ lateRate: 0.1, lateByMs: 5000 }).expect(200);
  assert.deepEqual(response.body, { ...NO_FAULTS, lateRate: 0.1, lateByMs: 5000 });
  assert.deepEqual((await t.http.get('/v1/admin/faults')).body, response.body);
  await t.close();
});

test('PUT /v1/admin/faults validates the body and reports a stable code', async () => {
  const t = await startApp();
  for (const body of [
    { nullRate: 2 },
    { errorRate: -0.1 },
    { delayMs: 1.5 },
    { typo: 1 },
    { burstSize: 0 },
  ]) {
    const response = await t.http.put('/v1/admin/faults').send(body).expect(400);
    assert.equal(response.body.error.code, 'TL_ERR_VALIDATION', JSON.stringify(body));
  }
  await t.http.put('/v1/admin/faults').set('content-type', 'application/json').send('{not json').expect(400);
  await t.close();
});

test('an outage fails every data route with 503 and Retry-After until it ends; health and admin still answer', async () => {
  const t = await startApp();
  await t.http.put('/v1/admin/faults').send({ outageForMs: 30_000 }).expect(200);
  for (const path of [
    '/params/water_standpipe',
    '/v1/instruments',
    '/v1/geotech/readings',
    '/v1/market/trades?limit=abc',
  ]) {
    const response = await t.http.get(path).expect(503).expect('retry-after', '30');
    assert.equal(response.body.error.code, 'SOURCE_API_ERR_OUTAGE', path);
  }
  await t.http.get('/healthz').expect(200);
  await t.http.get('/v1/admin/faults').expect(200);
  t.clock.nowMs += 30_000;
  await t.http.get('/v1/geotech/readings?limit=1').expect(200);
  await t.close();
});

test('errorRate 1 fails every data request with 500 SOURCE_API_ERR_INJECTED_FAILURE', async () => {
  const t = await startApp({ FAULT_ERROR_RATE: '1' });
  const response = await t.http.get('/v1/sensors/temperature').expect(500);
  assert.equal(response.body.error.code, 'SOURCE_API_ERR_INJECTED_FAILURE');
  assert.equal(response.body.error.message, 'injected failure');
  await t.close();
});

test('a partial error rate fails the same requests for the same seed, and a retry can succeed', async () => {
  const statuses = async (seed: string) => {
    const t = await startApp({ SEED: seed });
    await t.http.put('/v1/admin/faults').send({ errorRate: 0.5 }).expect(200);
    const result: number[] = [];
    for (let i = 0; i < 40; i++) result.push((await t.http.get('/v1/market/trades?limit=1')).status);
    await t.close();
    return result;
  };
  const first = await statuses('5');
  assert.deepEqual(await statuses('5'), first);
  assert.notDeepEqual(await statuses('6'), first);
  const failures = first.filter((status) => status === 500).length;
  assert.ok(failures > 8 && failures < 32, `${failures} of 40 failed`);
  assert.ok(first.every((status) => status === 200 || status === 500));
});

test('delayMs slows every data response by at least that long', async () => {
  const t = await startApp();
  await t.http.put('/v1/admin/faults').send({ delayMs: 120 }).expect(200);
  const started = performance.now();
  await t.http.get('/v1/market/trades?limit=1').expect(200);
  assert.ok(performance.now() - started >= 115);
  const health = performance.now();
  await t.http.get('/healthz').expect(200);
  assert.ok(performance.now() - health < 100);
  await t.close();
});

test('ADMIN_ENABLED=false removes the admin routes', async () => {
  const t = await startApp({ ADMIN_ENABLED: 'false' });
  const response = await t.http.put('/v1/admin/faults').send({}).expect(404);
  assert.equal(response.body.error.code, 'TL_ERR_NOT_FOUND');
  await t.close();
});
