import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventSchemas, validateEvent, validateRawEvent, type EventKind } from '../src/index.ts';
import { first, geotechReadings, marketTrades, temperatureReadings } from './fixtures/seed.ts';

test('validateRawEvent picks the schema from the feed and narrows the type', () => {
  for (const event of [first(geotechReadings()), first(marketTrades()), first(temperatureReadings())]) {
    const result = validateRawEvent(event);
    assert.equal(result.ok, true);
    if (result.ok) assert.equal(result.value.feed, event.feed);
  }
});

test('validateRawEvent names the wrong fields of the feed it was given, not the whole union', () => {
  const result = validateRawEvent({ ...first(marketTrades()), price: 'abc' });
  assert.equal(result.ok, false);
  if (!result.ok) assert.deepEqual([...new Set(result.errors.map((e) => e.path))], ['/price']);
});

test('validateRawEvent rejects values without a known feed', () => {
  for (const value of [null, 42, 'text', [], {}, { feed: 'weather' }, { feed: 'toString' }]) {
    const result = validateRawEvent(value);
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.errors[0]?.path, '/feed');
  }
});

test('validateEvent reports at most 20 problems for a garbage payload', () => {
  const garbage = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`field${i}`, i]));
  const result = validateEvent('alert', garbage);
  assert.equal(result.ok, false);
  if (!result.ok) assert.equal(result.errors.length, 20);
});

test('validateEvent throws for a kind that does not exist', () => {
  assert.throws(() => validateEvent('nope' as EventKind, {}), /unknown event kind: nope/);
});

test('every event schema is plain JSON Schema that declares schemaVersion 1', () => {
  for (const [kind, schema] of Object.entries(EventSchemas)) {
    const json = JSON.parse(JSON.stringify(schema)) as { properties: { schemaVersion: { const: number } } };
    assert.equal(json.properties.schemaVersion.const, 1, kind);
  }
});
