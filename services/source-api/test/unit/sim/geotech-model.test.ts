import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalogue } from '../../../src/sim/catalogue.ts';
import { geotechReading } from '../../../src/sim/geotech-model.ts';
import { NOW_MS } from '../helpers.ts';

const SEED = 5;
const catalogue = buildCatalogue(SEED);
const DAY_MS = 86_400_000;
const STEP_MS = 60_000;

function series(index: number, days: number): number[] {
  const borehole = catalogue.boreholes[index]!;
  return Array.from({ length: (days * DAY_MS) / STEP_MS }, (_, i) =>
    geotechReading(SEED, borehole, NOW_MS + i * STEP_MS),
  );
}

test('a reading is a pure function of seed, borehole and time, to two decimals', () => {
  const borehole = catalogue.boreholes[0]!;
  const value = geotechReading(SEED, borehole, NOW_MS);
  assert.equal(geotechReading(SEED, borehole, NOW_MS), value);
  assert.equal(Math.round(value * 100) / 100, value);
});

test('readings drift like ground, not uniform noise: one minute apart they barely move', () => {
  for (const index of [0, 120, 300]) {
    const values = series(index, 1);
    const min = Math.min(...values);
    const max = Math.max(...values);
    const steps = values.slice(1).map((v, i) => Math.abs(v - values[i]!));
    const medianStep = steps.sort((a, b) => a - b)[Math.floor(steps.length / 2)]!;
    assert.ok(max - min > 0, 'the reading moves');
    // With uniform noise the median step would be about a third of the range.
    assert.ok(medianStep < (max - min) / 20, `median step ${medianStep} over range ${max - min}`);
  }
});

test('over a week most instruments cross their alert level now and then, and come back below it', () => {
  let crossed = 0;
  let reachedAlarm = 0;
  const sample = catalogue.boreholes.filter((_, i) => i % 10 === 0);
  for (const borehole of sample) {
    const { alertLevel, alarmLevel, levelDirection } = borehole.instrument;
    const values = series(borehole.index, 7).map((v) => (levelDirection === 'magnitude' ? Math.abs(v) : v));
    const above = values.filter((v) => v >= alertLevel).length;
    if (above > 0) crossed++;
    if (values.some((v) => v >= alarmLevel)) reachedAlarm++;
    // Excursions are occasional: well under a tenth of the time past the alert level.
    assert.ok(
      above < values.length / 10,
      `${borehole.instrument.id} above alert ${above} of ${values.length}`,
    );
  }
  assert.ok(crossed > sample.length / 2, `${crossed} of ${sample.length} crossed`);
  assert.ok(reachedAlarm > 0);
});
