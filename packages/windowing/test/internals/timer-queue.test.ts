import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TimerQueue } from '../../src/internals/timer-queue.ts';

describe('TimerQueue', () => {
  test('timers come out by time, then in the order they were set', () => {
    const q = new TimerQueue<string>();
    q.add(30, 'c', 1);
    q.add(10, 'a', 2);
    q.add(30, 'd', 3);
    q.add(20, 'b', 4);
    q.add(10, 'a2', 5);
    assert.deepEqual(
      [...q.entries()].map((e) => e.entry),
      ['a', 'a2', 'b', 'c', 'd'],
    );
    const popped: string[] = [];
    while (q.hasDue(25)) popped.push(...(q.pop()?.entries ?? []));
    assert.deepEqual(popped, ['a', 'a2', 'b']);
    assert.equal(q.peekTimeMs(), 30);
    assert.deepEqual(q.pop(), { timeMs: 30, entries: ['c', 'd'], tokens: [1, 3] });
    assert.equal(q.pop(), undefined);
    assert.equal(q.hasDue(Number.POSITIVE_INFINITY), false);
  });

  test('the heap keeps order over many random times', () => {
    const q = new TimerQueue<number>();
    const times = Array.from({ length: 500 }, (_, i) => (i * 7919) % 263);
    times.forEach((t, i) => q.add(t, i, i));
    const out: number[] = [];
    for (let b = q.pop(); b !== undefined; b = q.pop()) out.push(b.timeMs);
    assert.deepEqual(
      out,
      [...new Set(times)].sort((a, b) => a - b),
    );
  });
});
