import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEventId } from '@tideline/contracts';
import { cleanRecord, type CleaningRules } from '../../../src/jobs/clean.ts';

const trade = withEventId({
  schemaVersion: 1,
  feed: 'market',
  symbol: 'BHP',
  side: 'BUY',
  price: 42.5,
  quantity: 10,
  eventTimeMs: Date.UTC(2026, 0, 1),
  source: 'test',
} as const);
const market: CleaningRules = {
  feed: 'market',
  ranges: { price: { min: 0, max: 1000 } },
  levelsOf: () => undefined,
};

test('a valid trade becomes a cleaned price reading keyed by its symbol', () => {
  const result = cleanRecord(JSON.stringify(trade), market);
  assert.ok(result.ok);
  assert.deepEqual(result.reading, {
    schemaVersion: 1,
    eventId: trade.eventId,
    feed: 'market',
    eventTimeMs: trade.eventTimeMs,
    source: 'test',
    key: 'BHP',
    measure: 'price',
    value: 42.5,
    unit: 'price',
    attributes: { side: 'BUY', quantity: 10 },
  });
});

test('every kind of bad record is rejected with its own reason', () => {
  const cases: [string, string][] = [
    ['{"symbol": "BHP"', 'malformed_json'],
    ['[1,2]', 'schema_violation'],
    [JSON.stringify({ ...trade, schemaVersion: 2 }), 'unknown_schema_version'],
    [JSON.stringify({ ...trade, feed: 'sensors' }), 'wrong_feed'],
    [JSON.stringify({ ...trade, symbol: '' }), 'empty_field'],
    [JSON.stringify({ ...trade, price: null }), 'empty_field'],
    [JSON.stringify({ ...trade, price: '42.5' }), 'schema_violation'],
    [JSON.stringify({ ...trade, extra: 1 }), 'schema_violation'],
    [JSON.stringify({ ...trade, price: 5000 }), 'out_of_range'],
  ];
  for (const [text, reason] of cases) {
    const result = cleanRecord(text, market);
    assert.equal(result.ok, false, text);
    if (!result.ok) assert.equal(result.reasonCode, reason, text);
  }
});

test('a geotech reading carries its location and its instrument levels', () => {
  const reading = withEventId({
    schemaVersion: 1,
    feed: 'geotech',
    instrumentId: 'BH-7',
    instrumentType: 'piezometer',
    value: 120,
    unit: 'pressure (kPa)',
    eventTimeMs: Date.UTC(2026, 0, 1),
    northing: 5811000,
    easting: 320000,
    source: 'test',
  } as const);
  const rules: CleaningRules = {
    feed: 'geotech',
    ranges: {},
    levelsOf: (id) =>
      id === 'BH-7' ? { alertLevel: 150, alarmLevel: 180, levelDirection: 'above' } : undefined,
  };
  const result = cleanRecord(JSON.stringify(reading), rules);
  assert.ok(result.ok);
  assert.equal(result.reading.key, 'BH-7');
  assert.equal(result.reading.measure, 'piezometer');
  assert.deepEqual(result.reading.attributes, {
    northing: 5811000,
    easting: 320000,
    alertLevel: 150,
    alarmLevel: 180,
    levelDirection: 'above',
  });
});
