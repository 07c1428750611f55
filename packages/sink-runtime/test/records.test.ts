import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topicNamer } from '@tideline/contracts';
import type { KafkaMessage } from 'kafkajs';
import {
  decodeRecord,
  generateHealthRecords,
  generateProcessedOutput,
  isUndecodable,
  SinkReason,
} from '../src/index.ts';

const namer = topicNamer('t-unit');

function message(value: string, headers: Record<string, string> = {}, offset = '7'): KafkaMessage {
  return {
    key: null,
    value: Buffer.from(value),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)])),
    offset,
    timestamp: '0',
    attributes: 0,
  } as KafkaMessage;
}

test('decodeRecord reads the kind from the tl-kind header and the job version and feed from the topic', () => {
  const fixture = generateProcessedOutput({
    namer,
    startMs: 0,
    secondsPerKey: 10,
    version: 3,
    symbols: ['BHP'],
  });
  const window = fixture.find((m) => m.record.kind === 'window' && m.topic.includes('market'))!;
  const decoded = decodeRecord(namer, window.topic, 2, message(window.value, window.headers));
  assert.ok(!isUndecodable(decoded));
  assert.equal(decoded.kind, 'window');
  assert.deepEqual(decoded.meta, {
    topic: 't-unit.processed.market.BHP.v3',
    partition: 2,
    offset: '7',
    jobVersion: 3,
    feed: 'market',
    sourceAppendMs: 10_000,
  });
  assert.deepEqual(decoded.value, window.record.value);
});

test('decodeRecord decodes alerts, late records and dead letters by their topic', () => {
  const fixture = [
    ...generateProcessedOutput({ namer, startMs: 0, secondsPerKey: 1, symbols: [], piezometers: 0 }),
    ...generateHealthRecords(namer, 1_000_000),
  ];
  const kinds = fixture
    .filter((m) => m.record.kind !== 'reading')
    .map((m) => {
      const decoded = decodeRecord(namer, m.topic, 0, message(m.value, m.headers));
      assert.ok(!isUndecodable(decoded), m.topic);
      return decoded.kind;
    });
  assert.deepEqual([...new Set(kinds)].sort(), ['alert', 'deadLetter', 'late']);
});

test('decodeRecord names what is wrong: unknown kind, malformed JSON, a contract violation', () => {
  const topic = namer.topicName({ kind: 'processed', feed: 'sensors' });
  const noKind = decodeRecord(namer, topic, 0, message('{}'));
  assert.ok(isUndecodable(noKind));
  assert.equal(noKind.code, SinkReason.unknownKind);

  const malformed = decodeRecord(namer, topic, 0, message('{"feed":', { 'tl-kind': 'reading' }));
  assert.ok(isUndecodable(malformed));
  assert.equal(malformed.code, SinkReason.malformedJson);
  assert.equal(malformed.rawPayload, '{"feed":');

  const invalid = decodeRecord(
    namer,
    topic,
    0,
    message('{"schemaVersion":1,"feed":"sensors"}', { 'tl-kind': 'reading' }),
  );
  assert.ok(isUndecodable(invalid));
  assert.equal(invalid.code, SinkReason.schema);
  assert.match(invalid.reason, /key/);

  const foreign = decodeRecord(namer, 'other.processed.sensors.temperature', 0, message('{}'));
  assert.ok(isUndecodable(foreign));
  assert.equal(foreign.code, SinkReason.unknownKind);
});
