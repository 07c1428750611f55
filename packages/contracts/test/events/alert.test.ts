import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertIdFor, validateEvent, type Alert } from '../../src/index.ts';

const base = { feed: 'geotech', key: 'BH-4493', level: 'alarm', eventTimeMs: 1651478540073 } as const;
const alert: Alert = {
  schemaVersion: 1,
  alertId: alertIdFor(base),
  ...base,
  value: 79.9,
  thresholds: { alertLevel: 78.45, alarmLevel: 79.45 },
  message: 'BH-4493 water level 79.90 m reached the alarm level 79.45 m',
};

test('an alarm with its thresholds is a valid Alert, and missing data carries a null value', () => {
  assert.equal(validateEvent('alert', alert).ok, true);
  const missing = { ...alert, level: 'missing_data', value: null, thresholds: { missingAfterMs: 30_000 } };
  assert.equal(validateEvent('alert', missing).ok, true);
});

test('Alert rejects an unknown level and unknown threshold names', () => {
  assert.equal(validateEvent('alert', { ...alert, level: 'panic' }).ok, false);
  assert.equal(validateEvent('alert', { ...alert, thresholds: { critical: 1 } }).ok, false);
});
