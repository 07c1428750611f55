import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateEvent } from '../../src/index.ts';
import { first, geotechReadings } from '../fixtures/seed.ts';

test('every reading of the seed geotechnical sample, normalized, is a valid GeotechReading', () => {
  const readings = geotechReadings();
  assert.equal(readings.length, 134);
  for (const reading of readings) {
    const result = validateEvent('geotechReading', reading);
    assert.equal(result.ok, true, JSON.stringify(result));
  }
});

test('a GeotechReading without the optional location fields is valid', () => {
  const { surfaceLevelM: _s, northing: _n, easting: _e, ...bare } = first(geotechReadings());
  assert.equal(validateEvent('geotechReading', bare).ok, true);
});

test('GeotechReading rejects a non-finite, textual or missing value and names the field', () => {
  const reading = first(geotechReadings());
  for (const value of [Number.NaN, Number.POSITIVE_INFINITY, '75.07', null, undefined]) {
    const result = validateEvent('geotechReading', { ...reading, value });
    assert.equal(result.ok, false, `value ${String(value)} should be rejected`);
    if (!result.ok) assert.ok(result.errors.some((e) => e.path === '/value'));
  }
});

test('GeotechReading rejects an unknown instrument type, a fractional time, a second version and extra fields', () => {
  const reading = first(geotechReadings());
  const cases: [string, unknown][] = [
    ['/instrumentType', { ...reading, instrumentType: 'inclinometer' }],
    ['/eventTimeMs', { ...reading, eventTimeMs: 1651478540073.5 }],
    ['/eventTimeMs', { ...reading, eventTimeMs: '2022-05-02T08:02:20.073Z' }],
    ['/schemaVersion', { ...reading, schemaVersion: 2 }],
    ['/feed', { ...reading, feed: 'market' }],
    ['/extra', { ...reading, extra: true }],
    ['/source', { ...reading, source: '' }],
  ];
  for (const [path, value] of cases) {
    const result = validateEvent('geotechReading', value);
    assert.equal(result.ok, false, path);
    if (!result.ok)
      assert.ok(
        result.errors.some((e) => e.path === path),
        `${path}: ${JSON.stringify(result.errors)}`,
      );
  }
});
