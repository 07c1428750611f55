import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Aggregates, type Aggregate } from '../../src/index.ts';
import { fold, resultOf } from '../support/fold.ts';

const id = (v: number) => v;

describe('basic aggregates', () => {
  test('count, sum, min, max and avg of a few values', () => {
    const values = [4, -2, 9, 1];
    assert.equal(resultOf(Aggregates.count(), values), 4);
    assert.equal(resultOf(Aggregates.sum(id), values), 12);
    assert.equal(resultOf(Aggregates.min(id), values), -2);
    assert.equal(resultOf(Aggregates.max(id), values), 9);
    assert.equal(resultOf(Aggregates.avg(id), values), 3);
  });

  test('sums are taken left to right in arrival order, so they reproduce bit for bit', () => {
    // (0.1 + 0.2) + 0.3 and 0.1 + (0.2 + 0.3) differ in the last bit.
    assert.equal(resultOf(Aggregates.sum(id), [0.1, 0.2, 0.3]), 0.1 + 0.2 + 0.3);
    assert.notEqual(
      resultOf(Aggregates.sum(id), [0.1, 0.2, 0.3]),
      resultOf(Aggregates.sum(id), [0.3, 0.2, 0.1]),
    );
    assert.equal(resultOf(Aggregates.avg(id), [0.1, 0.2, 0.3]), (0.1 + 0.2 + 0.3) / 3);
  });

  test('merging two accumulators gives the aggregate of both sides', () => {
    const left = [3, 8];
    const right = [1, 5, 7];
    const all: Aggregate<number, unknown, number>[] = [
      Aggregates.count<number>(),
      Aggregates.sum(id),
      Aggregates.min(id),
      Aggregates.max(id),
      Aggregates.avg(id),
    ];
    for (const aggregate of all) {
      const merged = aggregate.merge(fold(aggregate, left), fold(aggregate, right));
      assert.equal(aggregate.result(merged), resultOf(aggregate, [...left, ...right]), aggregate.kind);
    }
  });

  test('merging with an empty accumulator changes nothing', () => {
    const min = Aggregates.min(id);
    assert.equal(min.result(min.merge(min.create(), fold(min, [5, 2]))), 2);
    assert.equal(min.result(min.merge(fold(min, [5, 2]), min.create())), 2);
    assert.ok(Number.isNaN(min.result(min.create())), 'an empty min has no value');
  });

  test('extractors read the field each aggregate works on', () => {
    const trades = [
      { price: 10, volume: 3 },
      { price: 30, volume: 1 },
    ];
    assert.equal(
      resultOf(
        Aggregates.avg((t: { price: number }) => t.price),
        trades,
      ),
      20,
    );
    assert.equal(
      resultOf(
        Aggregates.sum((t: { volume: number }) => t.volume),
        trades,
      ),
      4,
    );
  });
});
