// The service as a user runs it: src/main.ts with environment configuration, ready, then SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { READ_KEY, geotechEvent } from '../support/harness.ts';
import { PG_URL, REDIS_URL, seed, type Seeded } from '../support/seed.ts';

const main = new URL('../../src/main.ts', import.meta.url).pathname;
let seeded: Seeded;

before(async () => {
  seeded = await seed({ events: [geotechEvent('P9', 0, 7.5)] });
});
after(async () => {
  await seeded?.cleanup();
});

test('main.ts serves with environment configuration and exits 0 on SIGTERM', async () => {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      QUERY_API_PORT: String(port),
      QUERY_API_LOG_LEVEL: 'warn',
      QUERY_API_MAX_EVENT_LOOP_DELAY_MS: '0',
      QUERY_API_PG_URL: PG_URL,
      QUERY_API_REDIS_URL: REDIS_URL,
      QUERY_API_PG_SCHEMA: seeded.pgSchema,
      QUERY_API_STATE_NAMESPACE: seeded.namespace,
      QUERY_API_API_KEYS: `${READ_KEY}:read`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    let ready = false;
    for (let i = 0; i < 150 && !ready; i++) {
      ready = await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(ready, 'never ready');
    const latest = (await (
      await fetch(`${url}/v1/instruments/P9/latest`, { headers: { 'x-api-key': READ_KEY } })
    ).json()) as {
      reading: { value: number };
    };
    assert.equal(latest.reading.value, 7.5);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('main.ts refuses an invalid configuration, naming every problem', async () => {
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, QUERY_API_PORT: 'eighty', QUERY_API_PG_SCHEMA: 'Bad Schema' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.notEqual(code, 0);
  assert.match(stderr, /QUERY_API_PORT/);
  assert.match(stderr, /QUERY_API_PG_SCHEMA/);
});
