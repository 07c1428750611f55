// The original geotechnical pipeline's producer writes each /params/* envelope, unkeyed, to a topic
// named `monitoring`. Here a Kafka client that is not kafkajs (Kafka's own console producer, from the
// stack's jars) writes the seed envelopes to `<namespace>.monitoring`: ingest reads them as the upload
// route would, keys them per instrument, dead-letters what it cannot read, and commits its offsets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeadLetter, GeotechReading } from '@tideline/contracts';
import { collectMessages } from '@tideline/kafka';
import { seedFile } from '../support.ts';
import { brokers, kafka, startIngest } from './harness.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const kafkaLibs = path.join(
  process.env.TIDELINE_CACHE ?? path.join(root, '.local', 'cache'),
  'kafka',
  'libs',
);

/** Writes one message per line with kafka.tools.ConsoleProducer (Kafka 3.9.1's own Java client). */
function consoleProduce(topic: string, lines: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'java',
      [
        '-cp',
        `${kafkaLibs}/*`,
        `-Dlog4j.configuration=file:${path.join(root, 'infra', 'kafka', 'log4j-tools.properties')}`,
        'kafka.tools.ConsoleProducer',
        '--bootstrap-server',
        brokers.join(','),
        '--topic',
        topic,
        '--producer-property',
        'acks=all',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`ConsoleProducer exited ${code}: ${output}`)),
    );
    child.stdin.end(lines.map((line) => `${line}\n`).join(''));
  });
}

test('envelopes on the legacy monitoring topic are normalized, keyed per instrument and committed', async () => {
  const ingest = await startIngest({ INGEST_LEGACY_TOPICS: 'monitoring' });
  try {
    const { topics } = ingest;
    const monitoring = `${topics.namespace}.monitoring`;
    const standpipes = topics.topicName({ kind: 'raw', feed: 'geotech', instrumentType: 'water_standpipe' });
    const dlq = topics.topicName({ kind: 'dlq', stage: 'ingest' });
    // As Python's json.dumps wrote them: one line per envelope.
    const envelopes = await Promise.all(
      [
        'geotech/api_sample_water_standpipe_input1.json',
        'geotech/api_sample_water_standpipe_input2.json',
        'geotech/raw_message_sample.json',
      ].map(async (file) => JSON.stringify(JSON.parse(await seedFile(file))) as string),
    );
    const items = envelopes.map((e) => (JSON.parse(e) as { items: unknown[] }).items.length);
    const expected = items.reduce((a, b) => a + b, 0);
    // A garbage value, and the last envelope again (a redelivery by the original producer).
    await consoleProduce(monitoring, [...envelopes, 'not an envelope {', envelopes[2] as string]);

    const records = await collectMessages(kafka, {
      topic: standpipes,
      until: (m) => m.length >= expected + (items[2] as number),
      timeoutMs: 60_000,
    });
    assert.equal(records.length, expected + (items[2] as number));
    const readings = records.map((r) => ({ key: r.key, event: JSON.parse(r.value ?? '') as GeotechReading }));
    for (const { key, event } of readings) {
      assert.equal(key, event.instrumentId, 'keyed per instrument');
      assert.equal(event.source, `kafka:${monitoring}`);
      assert.equal(event.unit, 'water level (m)');
    }
    const ids = new Set(readings.map((r) => r.event.eventId));
    assert.equal(ids.size, expected, 'the redelivered envelope carries the same event ids');

    const [letter] = (
      await collectMessages(kafka, { topic: dlq, until: (m) => m.length >= 1, timeoutMs: 30_000 })
    ).map((r) => JSON.parse(r.value ?? '') as DeadLetter);
    assert.equal(letter?.reasonCode, 'INGEST_ERR_MALFORMED_JSON');
    assert.equal(letter?.rawPayload, 'not an envelope {');
    assert.equal(letter?.topic, monitoring);
    assert.equal(letter?.offset, '3');

    // Offsets are committed once the records are produced: all five messages.
    const admin = kafka.admin();
    await admin.connect();
    try {
      let committed = '';
      for (let i = 0; i < 50 && committed !== '5'; i++) {
        const [offsets] = await admin.fetchOffsets({
          groupId: ingest.config.LEGACY_GROUP_ID,
          topics: [monitoring],
        });
        committed = offsets?.partitions[0]?.offset ?? '';
        if (committed !== '5') await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.equal(committed, '5');
    } finally {
      await admin.disconnect();
    }
  } finally {
    await ingest.close();
  }
});
