import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateRawEvent, withEventId } from '@tideline/contracts';
import { readWhole } from '../../../src/formats/record-sink.ts';
import { readLegacyEnvelope } from '../../../src/formats/legacy-envelope.ts';
import { seedFile } from '../../support.ts';

test('readLegacyEnvelope turns every item of the original API sample into a valid reading', async () => {
  const text = await seedFile('geotech/api_sample_water_standpipe_input1.json');
  const envelope = JSON.parse(text) as {
    instruments: number;
    items: { borehole_number: string; reading: number }[];
  };
  const { drafts, rejected } = await readWhole(readLegacyEnvelope, text, 'test');
  assert.equal(rejected.length, 0);
  assert.equal(drafts.length, envelope.items.length);
  assert.equal(drafts.length, envelope.instruments);
  const first = drafts[0];
  assert.ok(first && first.feed === 'geotech');
  assert.equal(first.instrumentId, envelope.items[0]?.borehole_number);
  assert.equal(first.value, envelope.items[0]?.reading);
  assert.equal(first.unit, 'water level (m)');
  for (const draft of drafts) assert.equal(validateRawEvent(withEventId(draft)).ok, true);
});

test('readLegacyEnvelope accepts the original Kafka value as it was sent', async () => {
  const text = await seedFile('geotech/raw_message_sample.json');
  const { drafts, rejected } = await readWhole(readLegacyEnvelope, text, 'test');
  assert.equal(rejected.length, 0);
  assert.ok(drafts.length > 0);
  const first = drafts[0];
  assert.ok(first?.feed === 'geotech');
  assert.equal(first.instrumentId, 'BH-4493');
  assert.equal(first.eventTimeMs, Date.parse('2022-05-02T08:06:42.882Z'));
});

test('readLegacyEnvelope rejects unparseable text and bad timestamps with their reasons', async () => {
  assert.equal(
    (await readWhole(readLegacyEnvelope, '{"items": [', 't')).rejected[0]?.reasonCode,
    'INGEST_ERR_MALFORMED_JSON',
  );
  assert.equal(
    (await readWhole(readLegacyEnvelope, '{"rows": []}', 't')).rejected[0]?.reasonCode,
    'INGEST_ERR_BAD_ENVELOPE',
  );
  const envelope = {
    units: 'x',
    items: [{ borehole_number: 'BH-1', instrument: 'piezometer', reading: 1, timestamp: 'yesterday' }],
  };
  const { drafts, rejected } = await readWhole(readLegacyEnvelope, JSON.stringify(envelope), 't');
  assert.equal(drafts.length, 0);
  assert.equal(rejected[0]?.reasonCode, 'INGEST_ERR_BAD_TIMESTAMP');
  assert.match(rejected[0]?.rawPayload ?? '', /yesterday/);
});
