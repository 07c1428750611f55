import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelayMs, sleep } from '../../../src/poll/backoff.ts';

test('backoffDelayMs doubles its ceiling per attempt up to the maximum, with full jitter', () => {
  const top = { initialMs: 100, maxMs: 1000, random: () => 0.999999 };
  assert.deepEqual(
    [1, 2, 3, 4, 5, 10].map((n) => backoffDelayMs(n, top)),
    [99, 199, 399, 799, 999, 999],
  );
  assert.equal(backoffDelayMs(3, { initialMs: 100, maxMs: 1000, random: () => 0 }), 0);
  assert.equal(backoffDelayMs(3, { initialMs: 100, maxMs: 1000, random: () => 0.5 }), 200);
});

test('sleep ends early when its signal aborts', async () => {
  const controller = new AbortController();
  const started = Date.now();
  const sleeping = sleep(60_000, controller.signal);
  controller.abort();
  await sleeping;
  assert.ok(Date.now() - started < 1000);
});
