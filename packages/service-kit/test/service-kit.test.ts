import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import {
  createRegistry,
  Counter,
  registerErrorHandling,
  registerHealth,
  registerMetrics,
  ServiceError,
} from '../src/index.ts';

async function buildApp(ready: { ok: boolean }) {
  const app = Fastify({ logger: false });
  registerErrorHandling(app);
  registerHealth(app, {
    checks: {
      dependency: async () => {
        if (!ready.ok) throw new Error('dependency down');
      },
    },
  });
  const registry = createRegistry('unit');
  const hits = new Counter({ name: 'unit_hits_total', help: 'hits', registers: [registry] });
  registerMetrics(app, registry);
  app.get('/boom', async () => {
    throw new Error('secret internals');
  });
  app.get('/teapot', async () => {
    throw new ServiceError('UNIT_ERR_TEAPOT', 'short and stout', { statusCode: 418, details: { spout: 1 } });
  });
  app.get(
    '/typed',
    { schema: { querystring: { type: 'object', properties: { n: { type: 'integer' } } } } },
    async () => {
      hits.inc();
      return { ok: true };
    },
  );
  await app.ready();
  return app;
}

test('readyz answers 503 with the failing check and 200 once it passes', async () => {
  const state = { ok: false };
  const app = await buildApp(state);
  const down = await app.inject({ url: '/readyz' });
  assert.equal(down.statusCode, 503);
  assert.equal(down.json().checks.dependency, 'dependency down');
  state.ok = true;
  const up = await app.inject({ url: '/readyz' });
  assert.equal(up.statusCode, 200);
  assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
  await app.close();
});

test('errors are JSON with a stable code and a 5xx never leaks its message', async () => {
  const app = await buildApp({ ok: true });
  const boom = await app.inject({ url: '/boom' });
  assert.equal(boom.statusCode, 500);
  assert.equal(boom.json().error.code, 'TL_ERR_INTERNAL');
  assert.doesNotMatch(boom.body, /secret internals/);
  const teapot = await app.inject({ url: '/teapot' });
  assert.equal(teapot.statusCode, 418);
  assert.deepEqual(teapot.json().error.details, { spout: 1 });
  const invalid = await app.inject({ url: '/typed?n=abc' });
  assert.equal(invalid.statusCode, 400);
  assert.equal(invalid.json().error.code, 'TL_ERR_VALIDATION');
  const missing = await app.inject({ url: '/nope' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().error.code, 'TL_ERR_NOT_FOUND');
  await app.close();
});

test('metrics exposes custom counters and per-route request counts', async () => {
  const app = await buildApp({ ok: true });
  await app.inject({ url: '/typed?n=1' });
  const metrics = await app.inject({ url: '/metrics' });
  assert.match(metrics.body, /unit_hits_total\{service="unit"\} 1/);
  assert.match(
    metrics.body,
    /tideline_http_requests_total\{method="GET",route="\/typed",status="200",service="unit"\} 1/,
  );
  await app.close();
});
