import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { LegacyGeotechEnvelopeSchema, LegacyGeotechRoutes } from '../../src/index.ts';
import { first, legacyEnvelope, readSeed } from '../fixtures/seed.ts';

const envelope = TypeCompiler.Compile(LegacyGeotechEnvelopeSchema);

test('both seed responses of the original API match the legacy envelope schema', () => {
  for (const name of ['api_sample_water_standpipe_input1.json', 'api_sample_water_standpipe_input2.json']) {
    const value = legacyEnvelope(name);
    assert.deepEqual([...envelope.Errors(value)], [], name);
    assert.equal(value.instruments, value.items.length);
  }
});

test('the seed Kafka message value is the same envelope serialised by Python', () => {
  const value: unknown = JSON.parse(readSeed('geotech/raw_message_sample.json'));
  assert.ok(envelope.Check(value));
});

test('the legacy schema rejects a timestamp without milliseconds or zone and a text reading', () => {
  const sample = legacyEnvelope();
  const item = first(sample.items);
  for (const bad of [
    { ...item, timestamp: '2022-05-02T08:02:20Z' },
    { ...item, timestamp: '2022-05-02 08:02:20.073' },
    { ...item, reading: '75.07' },
  ]) {
    assert.equal(envelope.Check({ ...sample, items: [bad] }), false, JSON.stringify(bad));
  }
});

test('the legacy routes and units are those of the original API', () => {
  assert.deepEqual(LegacyGeotechRoutes.water_standpipe, {
    path: '/params/water_standpipe',
    units: 'water level (m)',
  });
  assert.deepEqual(LegacyGeotechRoutes.piezometer, {
    path: '/params/pore_pressure',
    units: 'pressure (kPa)',
  });
  assert.deepEqual(
    [
      LegacyGeotechRoutes.settlement_marker.path,
      LegacyGeotechRoutes.extensometer.path,
      LegacyGeotechRoutes.strain_gauge.path,
    ],
    ['/params/settlement/x', '/params/settlement/y', '/params/settlement/z'],
  );
  assert.equal(legacyEnvelope().units, LegacyGeotechRoutes.water_standpipe.units);
});
