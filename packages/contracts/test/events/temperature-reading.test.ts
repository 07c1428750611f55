import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateEvent } from '../../src/index.ts';
import { first, temperatureReadings } from '../fixtures/seed.ts';

test('every reading of the seed sensor minibatch, normalized, is a valid TemperatureReading', () => {
  const readings = temperatureReadings();
  assert.equal(readings.length, 10);
  assert.equal(first(readings).eventTimeMs, Date.UTC(2020, 5, 12, 8, 48, 9));
  for (const reading of readings) assert.equal(validateEvent('temperatureReading', reading).ok, true);
});

test('TemperatureReading rejects a text temperature, an empty node and a missing event time', () => {
  const reading = first(temperatureReadings());
  const { eventTimeMs: _t, ...timeless } = reading;
  const cases: [string, unknown][] = [
    ['/temperatureC', { ...reading, temperatureC: 'NaN' }],
    ['/nodeId', { ...reading, nodeId: '' }],
    ['/eventTimeMs', timeless],
  ];
  for (const [path, value] of cases) {
    const result = validateEvent('temperatureReading', value);
    assert.equal(result.ok, false);
    if (!result.ok)
      assert.ok(
        result.errors.some((e) => e.path === path),
        JSON.stringify(result.errors),
      );
  }
});
