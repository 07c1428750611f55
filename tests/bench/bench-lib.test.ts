// The pure parts of the benchmarks' shared library: the feed, the reference windows, the row
// comparison and the percentile. (What talks to Kafka is exercised by `pnpm bench peers` itself.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventIdFor, validateRawEvent } from '@tideline/contracts';
import { MarketFeed } from '../../bench/lib/market-feed.ts';
import { HoppingReference } from '../../bench/lib/reference-windows.ts';
import { compareRows, rowKey, type WindowRow } from '../../bench/lib/window-rows.ts';
import { percentile } from '../../bench/lib/latency.ts';

test('the feed writes valid MarketTrades with their deterministic ids, keyed by symbol', () => {
  const feed = new MarketFeed({ seed: 7 });
  for (let i = 0; i < 500; i++) {
    const event = feed.next(1_700_000_000_000 + i);
    const checked = validateRawEvent(JSON.parse(event.value));
    assert.ok(checked.ok, JSON.stringify(checked));
    assert.equal(event.key, event.trade.symbol);
    const { eventId, ...draft } = event.trade;
    assert.equal(eventId, eventIdFor(draft));
  }
});

test('the same seed gives the same feed, another seed another one', () => {
  const values = (seed: number) => {
    const feed = new MarketFeed({ seed });
    return Array.from({ length: 50 }, (_, i) => feed.next(1_700_000_000_000 + i * 10).value);
  };
  assert.deepEqual(values(3), values(3));
  assert.notDeepEqual(values(3), values(4));
});

test('late events trail the clock by lateByMs, others by at most the disorder', () => {
  const feed = new MarketFeed({
    seed: 1,
    lateEvery: 10,
    lateByMs: 30_000,
    lateAfterMs: 0,
    maxDisorderMs: 1000,
  });
  let late = 0;
  for (let i = 0; i < 1000; i++) {
    const clock = 1_700_000_000_000 + i * 100;
    const event = feed.next(clock);
    if (event.late) {
      late++;
      assert.equal(event.trade.eventTimeMs, clock - 30_000);
    } else {
      assert.ok(event.trade.eventTimeMs <= clock && event.trade.eventTimeMs >= clock - 1000);
    }
  }
  assert.equal(late, 100);
});

test('the reference puts an event in every hopping window that holds it', () => {
  const reference = new HoppingReference({ sizeMs: 3000, advanceMs: 1000 });
  reference.add('A', 5500, 2);
  reference.add('A', 6000, 4);
  const rows = reference.rows();
  assert.deepEqual(
    [...rows.values()]
      .map((r) => [r.windowStartMs, r.count, r.avg, r.min, r.max])
      .sort((a, b) => a[0]! - b[0]!),
    [
      [3000, 1, 2, 2, 2],
      [4000, 2, 3, 2, 4],
      [5000, 2, 3, 2, 4],
      [6000, 1, 4, 4, 4],
    ],
  );
});

test('rows compare counts, min and max exactly and avg within 1e-9 relative', () => {
  const row: WindowRow = {
    symbol: 'A',
    windowStartMs: 0,
    windowEndMs: 3000,
    avg: 10,
    min: 1,
    max: 20,
    count: 3,
  };
  const other: WindowRow = { ...row, windowStartMs: 1000, windowEndMs: 4000 };
  const expected = new Map([row, other].map((r) => [rowKey(r), r]));
  const close = new Map([
    [rowKey(row), { ...row, avg: 10 * (1 + 5e-10) }],
    [rowKey(other), other],
  ]);
  assert.deepEqual(
    { ...compareRows(expected, close), examples: [] },
    { expected: 2, actual: 2, missing: 0, unexpected: 0, different: 0, examples: [] },
  );
  const off = new Map([
    [rowKey(row), { ...row, avg: 10 * (1 + 2e-9) }],
    [rowKey({ ...row, windowStartMs: 9 }), row],
  ]);
  const result = compareRows(expected, off);
  assert.equal(result.different, 1);
  assert.equal(result.missing, 1);
  assert.equal(result.unexpected, 1);
});

test('percentile is the nearest rank', () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(sorted, 0.99), 99);
  assert.equal(percentile(sorted, 0.5), 50);
  assert.equal(percentile([7], 0.99), 7);
});
