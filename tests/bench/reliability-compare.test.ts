// The reliability suite's verdict is only as good as its comparison: it must see a lost reading, a
// doubled document, a window row with another value and a row nobody expected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compare, type Readback } from '../../bench/reliability/compare.ts';
import { windowKey, type Recomputation } from '../../bench/reliability/recompute.ts';
import { latencySummary } from '../../bench/lib/latency-summary.ts';

function expected(): Recomputation {
  const w = { key: 'BX00', windowStartMs: 1000, windowEndMs: 4000, count: 2, avg: 1.5, min: 1, max: 2 };
  return {
    rawRecords: 3,
    invalid: 0,
    eventIds: new Set(['a', 'b', 'c']),
    windows: new Map([[windowKey(w.key, w.windowStartMs, w.windowEndMs), w]]),
  };
}

function written(): Readback {
  return {
    pgReadings: new Map([
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ]),
    esReadings: new Map([
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ]),
    pgWindows: new Map([[windowKey('BX00', 1000, 4000), { rows: 1, count: 2, avg: 1.5, min: 1, max: 2 }]]),
  };
}

test('what equals the recomputation has nothing lost, doubled, unexpected or differing', () => {
  for (const row of compare(expected(), written())) {
    assert.deepEqual([row.lost, row.duplicated, row.unexpected, row.differing], [0, 0, 0, 0], row.target);
    assert.equal(row.found, row.expected, row.target);
  }
});

test('a lost reading, a doubled document, an extra row and a different window are each counted', () => {
  const w = written();
  w.pgReadings.delete('b');
  w.esReadings.set('c', 2);
  w.esReadings.set('z', 1);
  w.pgWindows.set(windowKey('BX00', 1000, 4000), { rows: 1, count: 2, avg: 1.5000001, min: 1, max: 2 });
  w.pgWindows.set(windowKey('BX01', 1000, 4000), { rows: 1, count: 1, avg: 1, min: 1, max: 1 });
  const [pg, es, windows] = compare(expected(), w);
  assert.deepEqual([pg?.lost, pg?.duplicated, pg?.unexpected], [1, 0, 0]);
  assert.deepEqual([es?.lost, es?.duplicated, es?.unexpected], [0, 1, 1]);
  assert.deepEqual([windows?.lost, windows?.differing, windows?.unexpected], [0, 1, 1]);
});

test('a window missing from PostgreSQL is lost; an avg off in the last bits is equal', () => {
  const w = written();
  w.pgWindows.clear();
  assert.equal(compare(expected(), w)[2]?.lost, 1);
  const close = written();
  close.pgWindows.set(windowKey('BX00', 1000, 4000), { rows: 1, count: 2, avg: 1.5 + 1e-15, min: 1, max: 2 });
  assert.equal(compare(expected(), close)[2]?.differing, 0);
});

test('latency percentiles are nearest-rank', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.deepEqual(latencySummary(values), { p50: 50, p99: 99, max: 100 });
  assert.ok(Number.isNaN(latencySummary([]).p50));
});
