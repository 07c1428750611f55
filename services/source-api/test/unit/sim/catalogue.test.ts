import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalogue } from '../../../src/sim/catalogue.ts';

test('a seed fixes the catalogue; 50 to 149 boreholes per type with unique BH ids', () => {
  const catalogue = buildCatalogue(42);
  assert.deepEqual(buildCatalogue(42), catalogue);
  assert.notDeepEqual(
    buildCatalogue(43).boreholes.map((b) => b.instrument.id),
    catalogue.boreholes.map((b) => b.instrument.id),
  );
  for (const boreholes of Object.values(catalogue.byType))
    assert.ok(boreholes.length >= 50 && boreholes.length <= 149);
  assert.equal(catalogue.byId.size, catalogue.boreholes.length);
  for (const [index, borehole] of catalogue.boreholes.entries()) {
    assert.equal(borehole.index, index);
    assert.equal(catalogue.byId.get(borehole.instrument.id), borehole);
  }
});
