import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelayMs, sleep } from '../src/index.ts';

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
  const sleeping = sleep(600_000, controller.signal).then(() => 'woke');
  controller.abort();
  let timer: NodeJS.Timeout | undefined;
  const ceiling = new Promise((resolve) => (timer = setTimeout(() => resolve('still asleep'), 30_000)));
  assert.equal(await Promise.race([sleeping, ceiling]), 'woke');
  clearTimeout(timer);
});
