import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateEvent, type DeadLetter } from '../../src/index.ts';
import { readSeed } from '../fixtures/seed.ts';

const letter: DeadLetter = {
  schemaVersion: 1,
  stage: 'ingest',
  reasonCode: 'INGEST_ERR_DOUBLE_ENCODED',
  reason: 'value is a JSON string containing JSON',
  source: 'http://127.0.0.1:8081/v1/sensors/temperature',
  topic: 'raw.sensors.temperature',
  rawPayload: readSeed('sensors/kafka_value_double_encoded.txt'),
  receivedAtMs: 1591951689000,
};

test('a dead letter keeps the original bytes, quirks included', () => {
  const result = validateEvent('deadLetter', letter);
  assert.equal(result.ok, true);
  if (result.ok) assert.match(result.value.rawPayload, /^"\[\{\\"topic\\"/);
  const { topic: _topic, ...withoutTopic } = letter;
  assert.equal(validateEvent('deadLetter', { ...withoutTopic, partition: 3, offset: '1200' }).ok, true);
});

test('DeadLetter rejects an unknown stage, a numeric offset and a missing payload', () => {
  const { rawPayload: _raw, ...noPayload } = letter;
  for (const bad of [{ ...letter, stage: 'query-api' }, { ...letter, offset: 1200 }, noPayload]) {
    assert.equal(validateEvent('deadLetter', bad).ok, false, JSON.stringify(bad).slice(0, 80));
  }
});
