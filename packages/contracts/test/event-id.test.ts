import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  alertIdFor,
  eventIdFor,
  windowAggregateIdFor,
  withEventId,
  type RawEventDraft,
} from '../src/index.ts';
import { first, geotechReadings, marketTrades, temperatureReadings } from './fixtures/seed.ts';

function draftOf<E extends { eventId: string }>(event: E): Omit<E, 'eventId'> {
  const { eventId: _id, ...draft } = event;
  return draft;
}

test('the same source record always gets the same 40-hex-digit id', () => {
  for (const event of [first(geotechReadings()), first(marketTrades()), first(temperatureReadings())]) {
    const draft = draftOf(event) as RawEventDraft;
    const id = eventIdFor(draft);
    assert.match(id, /^[0-9a-f]{40}$/);
    assert.equal(eventIdFor(structuredClone(draft)), id);
    assert.equal(event.eventId, id);
  }
});

test('the id is pinned: changing the canonical form would break dedup across versions', () => {
  const trade = draftOf(first(marketTrades()));
  assert.deepEqual(
    {
      symbol: trade.symbol,
      side: trade.side,
      price: trade.price,
      quantity: trade.quantity,
      t: trade.eventTimeMs,
    },
    { symbol: 'AMC', side: 'SELL', price: 158.84, quantity: 216, t: 1534849271061 },
  );
  // sha1 of ["market","AMC",1534849271061,"SELL",158.84,216]
  assert.equal(eventIdFor(trade), '0343d387dce22717a7a858256c8d98632ff346db');
});

test('the id ignores where the record came from and the order of its fields', () => {
  const reading = draftOf(first(geotechReadings()));
  const reordered = Object.fromEntries(Object.entries(reading).reverse()) as typeof reading;
  assert.equal(eventIdFor({ ...reading, source: 'elsewhere' }), eventIdFor(reading));
  assert.equal(eventIdFor(reordered), eventIdFor(reading));
});

test('any identifying field changes the id', () => {
  const reading = draftOf(first(geotechReadings()));
  const trade = draftOf(first(marketTrades()));
  const temperature = draftOf(first(temperatureReadings()));
  const ids = [
    eventIdFor(reading),
    eventIdFor({ ...reading, value: reading.value + 0.01 }),
    eventIdFor({ ...reading, eventTimeMs: reading.eventTimeMs + 1 }),
    eventIdFor({ ...reading, instrumentId: 'BH-1' }),
    eventIdFor({ ...reading, unit: 'm' }),
    eventIdFor(trade),
    eventIdFor({ ...trade, side: 'BUY' }),
    eventIdFor({ ...trade, quantity: trade.quantity + 1 }),
    eventIdFor(temperature),
    eventIdFor({ ...temperature, nodeId: 'Node 9' }),
  ];
  assert.equal(new Set(ids).size, ids.length);
});

test('the canonical form is unambiguous when ids contain separators', () => {
  const temperature = draftOf(first(temperatureReadings()));
  const a = eventIdFor({ ...temperature, nodeId: 'a|1' });
  const b = eventIdFor({ ...temperature, nodeId: 'a', eventTimeMs: temperature.eventTimeMs });
  assert.notEqual(a, b);
});

test('withEventId adds the id and keeps every other field', () => {
  const draft = draftOf(first(temperatureReadings()));
  const event = withEventId(draft);
  assert.deepEqual({ ...event, eventId: undefined }, { ...draft, eventId: undefined });
  assert.equal(event.eventId, eventIdFor(draft));
});

test('window results share an id across firings; alerts are identified by key, level and time', () => {
  const window = { job: 'j.v1', key: 'AGL', windowStartMs: 0, windowEndMs: 3000 };
  assert.equal(windowAggregateIdFor(window), windowAggregateIdFor({ ...window }));
  assert.notEqual(windowAggregateIdFor(window), windowAggregateIdFor({ ...window, windowEndMs: 4000 }));
  const alert = { feed: 'geotech', key: 'BH-1', level: 'alert', eventTimeMs: 5 } as const;
  assert.notEqual(alertIdFor(alert), alertIdFor({ ...alert, level: 'alarm' }));
  assert.match(alertIdFor(alert), /^[0-9a-f]{40}$/);
});
