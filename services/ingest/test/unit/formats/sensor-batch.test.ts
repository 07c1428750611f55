import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateRawEvent, withEventId } from '@tideline/contracts';
import { readWhole } from '../../../src/formats/record-sink.ts';
import { readSensorBatch } from '../../../src/formats/sensor-batch.ts';
import { seedFile } from '../../support.ts';

test('readSensorBatch reads the minibatch and its double-encoded Kafka form identically', async () => {
  const plain = await readWhole(readSensorBatch, await seedFile('sensors/minibatch_sample_10s.json'), 'test');
  const twice = await readWhole(
    readSensorBatch,
    await seedFile('sensors/kafka_value_double_encoded.txt'),
    'test',
  );
  assert.equal(plain.rejected.length, 0);
  assert.equal(twice.rejected.length, 0);
  assert.equal(plain.drafts.length, 10);
  assert.deepEqual(twice.drafts, plain.drafts);
  const first = plain.drafts[0];
  assert.ok(first?.feed === 'sensors');
  assert.equal(first.nodeId, 'Node 2');
  assert.equal(first.eventTimeMs, Date.parse('2020-06-12T08:48:09Z'));
  for (const draft of plain.drafts) assert.equal(validateRawEvent(withEventId(draft)).ok, true);
});

test('readSensorBatch rejects a non-array and a reading without a usable time', async () => {
  assert.equal(
    (await readWhole(readSensorBatch, '{"a":1}', 't')).rejected[0]?.reasonCode,
    'INGEST_ERR_BAD_ENVELOPE',
  );
  assert.equal(
    (await readWhole(readSensorBatch, '[{"temperature": 1', 't')).rejected[0]?.reasonCode,
    'INGEST_ERR_MALFORMED_JSON',
  );
  const { rejected } = await readWhole(
    readSensorBatch,
    JSON.stringify([{ node_name: 'Node 1', temperature: 3, broker_publish_time: '12/06/2020' }]),
    't',
  );
  assert.equal(rejected[0]?.reasonCode, 'INGEST_ERR_BAD_TIMESTAMP');
});
