import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  InstrumentCatalogueSchema,
  validateEvent,
  withEventId,
  type GeotechReadingDraft,
  type Instrument,
} from '@tideline/contracts';
import { NOW_MS, startApp } from '../helpers.ts';

test('GET /v1/instruments lists every borehole of the original routes with alert below alarm level', async () => {
  const t = await startApp();
  const catalogue = (await t.http.get('/v1/instruments').expect(200)).body as { items: Instrument[] };
  assert.ok(TypeCompiler.Compile(InstrumentCatalogueSchema).Check(catalogue));
  const legacy = (await t.http.get('/params/pore_pressure')).body as { items: { borehole_number: string }[] };
  const ids = new Set(catalogue.items.map((i) => i.id));
  for (const item of legacy.items) assert.ok(ids.has(item.borehole_number));
  for (const instrument of catalogue.items) {
    assert.ok(instrument.alertLevel < instrument.alarmLevel, instrument.id);
    assert.equal(
      instrument.levelDirection,
      ['water_standpipe', 'piezometer'].includes(instrument.type) ? 'above' : 'magnitude',
    );
    if (instrument.type === 'water_standpipe') assert.ok(instrument.alarmLevel <= instrument.surfaceLevelM);
  }
  await t.close();
});

test('GET /v1/instruments/:id/latest answers the last reading at or before now, the same one the feed serves', async () => {
  const t = await startApp({ GEOTECH_PERIOD_MS: '10000', HISTORY_MS: '20000' });
  const catalogue = (await t.http.get('/v1/instruments')).body as { items: Instrument[] };
  const instrument = catalogue.items[3] as Instrument;
  const latest = (await t.http.get(`/v1/instruments/${instrument.id}/latest`).expect(200))
    .body as GeotechReadingDraft;
  assert.equal(latest.instrumentId, instrument.id);
  assert.equal(latest.instrumentType, instrument.type);
  assert.ok(latest.eventTimeMs <= NOW_MS && latest.eventTimeMs > NOW_MS - 10_000);
  assert.equal(validateEvent('geotechReading', withEventId(latest)).ok, true);
  // The feed's page that covers the last period holds the same reading.
  const page = (await t.http.get('/v1/geotech/readings?limit=10000')).body as {
    items: GeotechReadingDraft[];
  };
  assert.deepEqual(
    page.items.find((r) => r.instrumentId === instrument.id && r.eventTimeMs === latest.eventTimeMs),
    latest,
  );
  await t.close();
});

test('an unknown instrument answers 404 TL_ERR_NOT_FOUND', async () => {
  const t = await startApp();
  const response = await t.http.get('/v1/instruments/BH-0/latest').expect(404);
  assert.equal(response.body.error.code, 'TL_ERR_NOT_FOUND');
  await t.close();
});
