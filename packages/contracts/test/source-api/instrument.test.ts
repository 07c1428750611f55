import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { InstrumentCatalogueSchema, type Instrument } from '../../src/index.ts';

const instrument: Instrument = {
  id: 'BH-4493',
  type: 'water_standpipe',
  unit: 'water level (m)',
  location: { northing: 5815854, easting: 323112 },
  surfaceLevelM: 79.45,
  alertLevel: 78.45,
  alarmLevel: 79.45,
  levelDirection: 'above',
};

test('the catalogue lists instruments with their location and alert and alarm levels', () => {
  const catalogue = TypeCompiler.Compile(InstrumentCatalogueSchema);
  assert.ok(catalogue.Check({ items: [instrument] }));
  const { alarmLevel: _alarm, ...withoutAlarm } = instrument;
  assert.equal(catalogue.Check({ items: [withoutAlarm] }), false);
  assert.equal(catalogue.Check({ items: [{ ...instrument, levelDirection: 'below' }] }), false);
});
