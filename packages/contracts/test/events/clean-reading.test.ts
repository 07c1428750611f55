import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateEvent, type CleanReading } from '../../src/index.ts';
import { first, marketTrades } from '../fixtures/seed.ts';

const trade = first(marketTrades());
const clean: CleanReading = {
  schemaVersion: 1,
  eventId: trade.eventId,
  feed: 'market',
  key: trade.symbol,
  measure: 'price',
  value: trade.price,
  unit: 'AUD',
  eventTimeMs: trade.eventTimeMs,
  source: trade.source,
  attributes: { side: trade.side, quantity: trade.quantity },
};

test('a cleaned trade with its side and quantity as attributes is a valid CleanReading', () => {
  assert.equal(validateEvent('cleanReading', clean).ok, true);
});

test('CleanReading rejects nested attribute values and an unknown feed', () => {
  assert.equal(validateEvent('cleanReading', { ...clean, attributes: { nested: { a: 1 } } }).ok, false);
  assert.equal(validateEvent('cleanReading', { ...clean, feed: 'weather' }).ok, false);
});
