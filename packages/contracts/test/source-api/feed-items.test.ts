import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  GeotechReadingPageSchema,
  SourceTemperaturePageSchema,
  SourceTradePageSchema,
  validateEvent,
  withEventId,
  type GeotechReadingDraft,
} from '../../src/index.ts';
import { first, geotechReadings, marketTrades, temperatureReadings } from '../fixtures/seed.ts';

test('a geotech draft page item becomes a valid GeotechReading once ingest adds the id', () => {
  const { eventId: _id, ...draft } = first(geotechReadings());
  const page = { items: [draft], nextCursor: 'abc' };
  assert.ok(TypeCompiler.Compile(GeotechReadingPageSchema).Check(page));
  assert.equal(validateEvent('geotechReading', withEventId(draft as GeotechReadingDraft)).ok, true);
  assert.equal(
    TypeCompiler.Compile(GeotechReadingPageSchema).Check({
      items: [first(geotechReadings())],
      nextCursor: 'a',
    }),
    false,
  );
});

test('trade and temperature pages hold the bare source records', () => {
  const trade = first(marketTrades());
  const temperature = first(temperatureReadings());
  const tradePage = {
    items: [
      {
        symbol: trade.symbol,
        side: trade.side,
        price: trade.price,
        quantity: trade.quantity,
        eventTimeMs: trade.eventTimeMs,
      },
    ],
    nextCursor: 'c',
  };
  const temperaturePage = {
    items: [
      {
        nodeId: temperature.nodeId,
        temperatureC: temperature.temperatureC,
        eventTimeMs: temperature.eventTimeMs,
      },
    ],
    nextCursor: 'c',
  };
  assert.ok(TypeCompiler.Compile(SourceTradePageSchema).Check(tradePage));
  assert.ok(TypeCompiler.Compile(SourceTemperaturePageSchema).Check(temperaturePage));
  assert.equal(TypeCompiler.Compile(SourceTradePageSchema).Check({ ...tradePage, nextCursor: '' }), false);
});
