import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateEvent, withEventId, type SourceTrade } from '@tideline/contracts';
import { NO_FAULTS, type FaultSettings } from '../../../src/faults/fault-settings.ts';
import { createMarketFeed } from '../../../src/feeds/market-feed.ts';
import { readPage } from '../../../src/feeds/paginate.ts';
import { createGeotechFeed } from '../../../src/feeds/geotech-feed.ts';
import { buildCatalogue } from '../../../src/sim/catalogue.ts';
import { NOW_MS } from '../helpers.ts';

const SEED = 11;
const market = createMarketFeed({ seed: SEED, symbols: ['AGL', 'BHP', 'CBA', 'CSL'], intervalMs: 1000 });
const startSlot = Math.floor((NOW_MS - 600_000) / 1000);

/** Ten minutes of trades (2400), read in pages of `pageSize`, with the given faults. */
function read(faults: Partial<FaultSettings>, pageSize = 10_000): SourceTrade[] {
  const settings = { ...NO_FAULTS, ...faults };
  const items: SourceTrade[] = [];
  let position = { slot: startSlot, offset: 0 };
  for (;;) {
    const page = readPage(market, settings, SEED, { position, limit: pageSize, nowMs: NOW_MS });
    items.push(...(page.items as SourceTrade[]));
    position = page.next;
    if (page.items.length === 0) return items;
  }
}

const clean = read({});
const key = (trade: SourceTrade) => `${trade.symbol}@${trade.eventTimeMs}`;

test('without faults ten minutes hold 2400 trades in time order, all valid', () => {
  assert.equal(clean.length, 2400);
  for (const [i, trade] of clean.entries()) {
    if (i > 0) assert.ok(trade.eventTimeMs >= (clean[i - 1] as SourceTrade).eventTimeMs);
  }
});

test('duplicates: some items come twice in a row, identical, and nothing else changes', () => {
  const items = read({ duplicateRate: 0.1 });
  const repeats = items.filter(
    (trade, i) => i > 0 && JSON.stringify(trade) === JSON.stringify(items[i - 1]),
  ).length;
  assert.ok(repeats > 150 && repeats < 350, `${repeats} duplicates`);
  const deduplicated = items.filter(
    (trade, i) => i === 0 || JSON.stringify(trade) !== JSON.stringify(items[i - 1]),
  );
  assert.deepEqual(deduplicated, clean);
});

test('out of order: event time goes backwards between neighbours, the same trades overall', () => {
  const items = read({ outOfOrderRate: 0.1 });
  const backwards = items.filter(
    (trade, i) => i > 0 && trade.eventTimeMs < (items[i - 1] as SourceTrade).eventTimeMs,
  ).length;
  assert.ok(backwards > 100, `${backwards} steps backwards`);
  assert.deepEqual(items.map(key).sort(), clean.map(key).sort());
});

test('late: some trades arrive carrying an event time lateByMs in the past', () => {
  const items = read({ lateRate: 0.05, lateByMs: 120_000 });
  assert.equal(items.length, clean.length);
  const late = items.filter(
    (trade, i) => trade.eventTimeMs <= (clean[i] as SourceTrade).eventTimeMs - 120_000,
  );
  assert.ok(late.length > 60 && late.length < 180, `${late.length} late`);
  for (const trade of late)
    assert.equal(
      validateEvent('marketTrade', {
        ...withEventId({ schemaVersion: 1, feed: 'market', ...trade, source: 's' }),
      }).ok,
      true,
    );
});

test('bursts: some seconds carry burstSize extra trades', () => {
  const items = read({ burstRate: 0.02, burstSize: 50 });
  const extra = items.length - clean.length;
  assert.equal(extra % 50, 0);
  assert.ok(extra >= 50, `${extra} extra trades`);
  const perSecond = Map.groupBy(items, (trade) => Math.floor(trade.eventTimeMs / 1000));
  assert.ok(Math.max(...[...perSecond.values()].map((trades) => trades.length)) >= 54);
});

test('null and malformed items fail the contract in the ways a real source does', () => {
  const items = read({ nullRate: 0.05, malformedRate: 0.05 });
  assert.equal(items.length, clean.length);
  const broken = items.filter(
    (trade) =>
      !validateEvent('marketTrade', { schemaVersion: 1, eventId: 'x', feed: 'market', source: 's', ...trade })
        .ok,
  );
  assert.ok(broken.length > 150 && broken.length < 330, `${broken.length} broken`);
  const texts = broken.map((trade) => JSON.stringify(trade)).join('\n');
  for (const pattern of [
    /:null/,
    /:""/,
    /"NaN"/,
    /"price":"[0-9.]+"/,
    /"eventTimeMs":"20\d\d-/,
    /"not-a-time"/,
    /"side":"(BUY|SELL) "/,
  ]) {
    assert.match(texts, pattern);
  }
  assert.ok(broken.some((trade) => !('eventTimeMs' in trade) || !('symbol' in trade) || !('price' in trade)));
});

test('with faults on, pages of any size still join up, and the same settings give the same items', () => {
  const faults = {
    duplicateRate: 0.1,
    outOfOrderRate: 0.1,
    lateRate: 0.1,
    burstRate: 0.05,
    burstSize: 7,
    nullRate: 0.1,
    malformedRate: 0.1,
  };
  const whole = read(faults);
  assert.deepEqual(read(faults, 13), whole);
  assert.deepEqual(read(faults, 1000), whole);
  assert.notDeepEqual(whole, clean);
});

test('a page never serves an item that is not available yet, and resumes exactly there', () => {
  const catalogue = buildCatalogue(SEED);
  const geotech = createGeotechFeed({ seed: SEED, catalogue, periodMs: 10_000, source: 's' });
  const position = { slot: Math.floor(NOW_MS / 10_000), offset: 0 };
  const early = readPage(geotech, NO_FAULTS, SEED, { position, limit: 10_000, nowMs: NOW_MS + 5000 });
  const times = (early.items as { eventTimeMs: number }[]).map((item) => item.eventTimeMs);
  assert.ok(times.every((time) => time <= NOW_MS + 5000));
  assert.ok(early.items.length > 0 && early.items.length < catalogue.boreholes.length);
  const later = readPage(geotech, NO_FAULTS, SEED, {
    position: early.next,
    limit: 10_000,
    nowMs: NOW_MS + 9999,
  });
  assert.equal(early.items.length + later.items.length, catalogue.boreholes.length);
  assert.ok((later.items as { eventTimeMs: number }[]).every((item) => item.eventTimeMs > NOW_MS + 5000));
});
