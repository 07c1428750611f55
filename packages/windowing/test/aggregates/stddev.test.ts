import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Aggregates } from '../../src/index.ts';
import { fold, resultOf } from '../support/fold.ts';

const id = (v: number) => v;

describe('stddev', () => {
  test('the sample standard deviation divides by n - 1 and the population one by n', () => {
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    assert.equal(resultOf(Aggregates.stddev(id, { population: true }), values), 2);
    assert.equal(resultOf(Aggregates.stddev(id), values), Math.sqrt(32 / 7));
  });

  test('stddev is null when undefined: fewer than two events (sample) or none (population)', () => {
    assert.equal(resultOf(Aggregates.stddev(id), [3]), null);
    assert.equal(resultOf(Aggregates.stddev(id, { population: true }), []), null);
    assert.equal(resultOf(Aggregates.stddev(id, { population: true }), [3]), 0);
  });

  test('stddev stays exact where a naive sum of squares cancels', () => {
    const big = [4, 7, 13, 16].map((x) => 1e9 + x);
    assert.equal(resultOf(Aggregates.stddev(id), big), Math.sqrt(30));
  });

  test('merging two sides agrees with one pass over both', () => {
    const sd = Aggregates.stddev(id);
    const left = [1.5, 9, -3];
    const right = [4, 4.25, 100, 7];
    const merged = sd.result(sd.merge(fold(sd, left), fold(sd, right))) as number;
    const sequential = resultOf(sd, [...left, ...right]) as number;
    assert.ok(Math.abs(merged - sequential) < 1e-12 * sequential);
    assert.deepEqual(sd.merge(sd.create(), fold(sd, right)), fold(sd, right));
  });
});
