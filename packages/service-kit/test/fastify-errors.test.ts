import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { registerErrorHandling, ServiceError } from '../src/index.ts';

async function buildApp() {
  const app = Fastify({ logger: false, bodyLimit: 64 });
  registerErrorHandling(app);
  app.post('/echo', async (request) => ({ got: request.body }));
  app.get('/busy', async () => {
    throw new ServiceError('UNIT_ERR_BUSY', 'come back later', {
      statusCode: 503,
      canRetry: true,
      headers: { 'retry-after': '2' },
    });
  });
  await app.ready();
  return app;
}

test("Fastify's own body errors come back with the project's stable codes, not FST_ERR_*", async () => {
  const app = await buildApp();
  const cases = [
    { payload: '{not json', type: 'application/json', status: 400, code: 'TL_ERR_MALFORMED_JSON' },
    { payload: 'x'.repeat(100), type: 'text/plain', status: 413, code: 'TL_ERR_BODY_TOO_LARGE' },
    { payload: '<a/>', type: 'application/xml', status: 415, code: 'TL_ERR_UNSUPPORTED_MEDIA_TYPE' },
    { payload: '', type: 'application/json', status: 400, code: 'TL_ERR_VALIDATION' },
  ];
  for (const c of cases) {
    const response = await app.inject({
      method: 'POST',
      url: '/echo',
      payload: c.payload,
      headers: { 'content-type': c.type },
    });
    assert.equal(response.statusCode, c.status, `${c.type} ${c.payload.slice(0, 10)}`);
    assert.equal(response.json().error.code, c.code);
  }
  await app.close();
});

test('a ServiceError sends its headers (Retry-After) with the JSON error', async () => {
  const app = await buildApp();
  const response = await app.inject({ url: '/busy' });
  assert.equal(response.statusCode, 503);
  assert.equal(response.headers['retry-after'], '2');
  assert.equal(response.json().error.code, 'UNIT_ERR_BUSY');
  await app.close();
});
