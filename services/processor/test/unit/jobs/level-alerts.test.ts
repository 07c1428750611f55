import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CleanReading } from '@tideline/contracts';
import { LevelAlerts } from '../../../src/jobs/level-alerts.ts';

const reading = (value: number, i: number): CleanReading => ({
  schemaVersion: 1,
  eventId: `e${i}`,
  feed: 'geotech',
  key: 'BH-1',
  measure: 'piezometer',
  value,
  unit: 'kPa',
  eventTimeMs: 1_000 * i,
  source: 'test',
});

test('a reading hovering at a level raises one alert; falling through the hysteresis band clears it', () => {
  const alerts = new LevelAlerts(0.05, () => ({ alertLevel: 100, alarmLevel: 200, levelDirection: 'above' }));
  const values = [90, 100, 99, 101, 96, 100, 94, 99, 100];
  const raised = values.map((v, i) => alerts.evaluate(reading(v, i))?.level);
  // 100 enters alert; 99, 101, 96 stay (band is 95..100); 94 clears; 99 stays clear; 100 alerts again.
  assert.deepEqual(raised, [
    undefined,
    'alert',
    undefined,
    undefined,
    undefined,
    undefined,
    'cleared',
    undefined,
    'alert',
  ]);
});

test('alarm is entered over alert, left to alert inside its band, and magnitude counts both directions', () => {
  const alerts = new LevelAlerts(0.1, () => ({
    alertLevel: 10,
    alarmLevel: 20,
    levelDirection: 'magnitude',
  }));
  const raised = [-21, -19, -17, -8, 0].map((v, i) => alerts.evaluate(reading(v, i))?.level);
  assert.deepEqual(raised, ['alarm', undefined, 'alert', 'cleared', undefined]);
});

test('the state survives a restore from its changes', () => {
  const levels = () => ({ alertLevel: 100, alarmLevel: 200, levelDirection: 'above' }) as const;
  const a = new LevelAlerts(0.05, levels);
  a.evaluate(reading(150, 1));
  const b = new LevelAlerts(0.05, levels);
  b.restore(a.takeChanges());
  assert.equal(b.evaluate(reading(99, 2)), undefined, 'still in alert within the band');
  assert.equal(b.evaluate(reading(90, 3))?.level, 'cleared');
  assert.deepEqual(b.takeChanges(), [['BH-1', null]]);
});
