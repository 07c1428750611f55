import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateEvent, type WindowAggregate } from '../../src/index.ts';

const aggregate: WindowAggregate = {
  schemaVersion: 1,
  job: 'trades-3s-1s.v1',
  key: 'AGL',
  windowStartMs: 1534849271000,
  windowEndMs: 1534849274000,
  aggregates: { avg: 261.55, min: 26.57, max: 496.53, stddev: null },
  count: 2,
  firing: 'final',
  emittedAtWatermarkMs: 1534849274066,
};

test('a window result with a null aggregate is a valid WindowAggregate', () => {
  assert.equal(validateEvent('windowAggregate', aggregate).ok, true);
});

test('WindowAggregate rejects an unknown firing, a text aggregate and a negative count', () => {
  for (const bad of [
    { ...aggregate, firing: 'early' },
    { ...aggregate, aggregates: { avg: '261.55' } },
    { ...aggregate, count: -1 },
  ]) {
    assert.equal(validateEvent('windowAggregate', bad).ok, false, JSON.stringify(bad));
  }
});
