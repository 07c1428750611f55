import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Aggregates } from '../../src/index.ts';

const id = (v: number) => v;

describe('first and last', () => {
  test('first and last follow event time, not arrival', () => {
    const first = Aggregates.first(id);
    const last = Aggregates.last(id);
    let a = first.create();
    let b = last.create();
    for (const [value, timeMs, seq] of [
      [10, 50, 0],
      [20, 10, 1],
      [30, 90, 2],
      [40, 70, 3],
    ] as const) {
      a = first.add(a, value, timeMs, seq);
      b = last.add(b, value, timeMs, seq);
    }
    assert.equal(first.result(a), 20);
    assert.equal(last.result(b), 30);
  });

  test('among events with the same time, first takes the earliest arrival and last the latest', () => {
    const first = Aggregates.first(id);
    const last = Aggregates.last(id);
    let a = first.create();
    let b = last.create();
    for (const [value, seq] of [
      [1, 0],
      [2, 1],
      [3, 2],
    ] as const) {
      a = first.add(a, value, 100, seq);
      b = last.add(b, value, 100, seq);
    }
    assert.deepEqual([first.result(a), last.result(b)], [1, 3]);
  });

  test('merging picks by event time, whichever side it is on', () => {
    const first = Aggregates.first(id);
    const left = first.add(first.create(), 5, 200, 0);
    const right = first.add(first.create(), 6, 100, 1);
    assert.equal(first.result(first.merge(left, right)), 6);
    assert.equal(first.result(first.merge(first.create(), right)), 6);
    assert.equal(first.result(first.create()), null);
  });

  test('first and last can extract any value, not only numbers', () => {
    const open = Aggregates.first((t: { side: string }) => t.side);
    assert.equal(open.result(open.add(open.create(), { side: 'BUY' }, 1, 0)), 'BUY');
  });
});
