import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateEvent } from '../../src/index.ts';
import { csvTrades, first, marketTrades } from '../fixtures/seed.ts';

test('every seed trade, with its side trimmed, is a valid MarketTrade', () => {
  const trades = marketTrades();
  assert.equal(trades.length, 9);
  for (const trade of trades)
    assert.equal(validateEvent('marketTrade', trade).ok, true, JSON.stringify(trade));
});

test('the raw "BUY " side of the seed CSV is not a valid side: ingest must trim it', () => {
  const row = first(csvTrades().filter((r) => r.tradeType === 'BUY '));
  const trade = { ...first(marketTrades()), side: row.tradeType };
  const result = validateEvent('marketTrade', trade);
  assert.equal(result.ok, false);
  if (!result.ok) assert.equal(result.errors[0]?.path, '/side');
});

test('MarketTrade accepts symbols with digits, dots and dashes up to 12 characters', () => {
  for (const symbol of ['BHP', 'BRK.A', 'A2M', 'XJO-200', 'ABCDEFGHIJKL']) {
    assert.equal(validateEvent('marketTrade', { ...first(marketTrades()), symbol }).ok, true, symbol);
  }
});

test('MarketTrade rejects bad symbols, a zero price and a negative quantity', () => {
  const trade = first(marketTrades());
  const cases: [string, unknown][] = [
    ['/symbol', { ...trade, symbol: 'agl' }],
    ['/symbol', { ...trade, symbol: '' }],
    ['/symbol', { ...trade, symbol: 'ABCDEFGHIJKLM' }],
    ['/symbol', { ...trade, symbol: 'BRK/A' }],
    ['/price', { ...trade, price: 0 }],
    ['/price', { ...trade, price: -1.5 }],
    ['/quantity', { ...trade, quantity: -1 }],
  ];
  for (const [path, value] of cases) {
    const result = validateEvent('marketTrade', value);
    assert.equal(result.ok, false, JSON.stringify(value));
    if (!result.ok) assert.ok(result.errors.some((e) => e.path === path));
  }
});

test('a zero quantity is a valid trade (the source draws quantities from U(0, 1000))', () => {
  assert.equal(validateEvent('marketTrade', { ...first(marketTrades()), quantity: 0 }).ok, true);
});
