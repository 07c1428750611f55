// Real Kafka and Elasticsearch: the sink against contract-valid processor output (the one fixture
// generator in @tideline/sink-runtime), with its own namespace, index prefix and consumer group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectMessages } from '@tideline/kafka';
import {
  generateHealthRecords,
  generateProcessedOutput,
  poisonReading,
  produceFixture,
} from '@tideline/sink-runtime';
import { allDocs, countDocs, countOf, isolation, kafka, startSink, waitFor } from './harness.ts';
import { expectedDocs, pick } from './expected.ts';

const startMs = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;

test('the same input delivered twice leaves one document per window, equal to the input; late records and dead letters are indexed; a poison record is dead-lettered', async (t) => {
  const iso = isolation();
  const sink = await startSink({
    SINK_ES_TOPIC_NAMESPACE: iso.namespace,
    SINK_ES_INDEX_PREFIX: iso.prefix,
    SINK_ES_GROUP_ID: iso.groupId,
  });
  t.after(async () => {
    await sink.close();
    await iso.cleanup();
  });

  const v1 = generateProcessedOutput({ namer: iso.namer, startMs, secondsPerKey: 60, symbols: ['BHP'] });
  await produceFixture(kafka, v1);
  await produceFixture(kafka, v1);
  const first = expectedDocs(v1, iso.namespace);
  await waitFor(
    'v1 documents',
    () => countDocs(sink.client, iso.prefix),
    (c) => c.readings === first.readings.size,
  );
  const topicsBefore = sink.runner.subscribedTopics.length;

  // A symbol whose topic appears while the sink runs, a version-2 output, processor health records, a poison.
  const more = [
    ...generateProcessedOutput({
      namer: iso.namer,
      startMs,
      secondsPerKey: 20,
      symbols: ['WES'],
      piezometers: 0,
      sensorNodes: 0,
    }),
    ...generateProcessedOutput({
      namer: iso.namer,
      startMs,
      secondsPerKey: 20,
      version: 2,
      symbols: ['BHP'],
    }),
  ];
  const health = generateHealthRecords(iso.namer, startMs + 30_000);
  const poison = poisonReading(iso.namer, startMs + 5000);
  await produceFixture(kafka, [...more, ...health, poison]);
  await produceFixture(kafka, [...more, ...health]);
  await waitFor(
    'the new topics subscribed',
    async () => sink.runner.subscribedTopics.length,
    (n) => n > topicsBefore,
  );

  const expected = expectedDocs([...v1, ...more], iso.namespace);
  const counted = await waitFor(
    'every document',
    () => countDocs(sink.client, iso.prefix),
    (c) =>
      c.readings === expected.readings.size &&
      c.windows === expected.windows.size &&
      c.alerts === expected.alerts.size &&
      c.late === 1 &&
      c.deadletters >= 2,
    90_000,
  );
  assert.ok(expected.windows.size > 10 && expected.alerts.size > 0);

  // One document per window, under its deterministic id, equal to the input.
  const windows = await allDocs(sink.client, `${iso.prefix}-windows`);
  assert.deepEqual([...windows.keys()].sort(), [...expected.windows.keys()].sort());
  for (const [id, doc] of expected.windows) assert.deepEqual(pick(windows.get(id)!, doc), doc, id);
  const alerts = await allDocs(sink.client, `${iso.prefix}-alerts`);
  assert.deepEqual([...alerts.keys()].sort(), [...expected.alerts.keys()].sort());
  for (const [id, doc] of expected.alerts) assert.deepEqual(pick(alerts.get(id)!, doc), doc, id);
  const readings = [...(await allDocs(sink.client, `${iso.prefix}-readings`)).values()];
  const byIdentity = new Map(
    readings.map((d) => [
      `${d.jobVersion}|${d.feed}|${d.key}|${Date.parse(d['@timestamp'] as string)}|${d.eventId}`,
      d,
    ]),
  );
  assert.equal(byIdentity.size, expected.readings.size);
  for (const [identity, doc] of expected.readings)
    assert.deepEqual(pick(byIdentity.get(identity)!, doc), doc, identity);
  assert.ok(
    readings.every((d) => typeof d.latencyMs === 'number'),
    'latency from the tl-source-append-ms header',
  );

  // The poison record: refused by the mapping, dead-lettered with Elasticsearch's reason, and indexed
  // as a dead letter itself (the pipeline-health view), besides the processor's dead letter.
  const letters = await collectMessages(kafka, {
    topic: iso.namer.topicName({ kind: 'dlq', stage: 'sink-elasticsearch' }),
    until: (m) => m.length >= 1,
    timeoutMs: 20_000,
  });
  assert.equal(letters.length, 1);
  const letter = JSON.parse(letters[0]!.value!);
  assert.equal(letter.reasonCode, 'SINK_ES_ERR_REJECTED');
  assert.match(letter.reason, /^400 (mapper_parsing_exception|document_parsing_exception)/);
  assert.equal(JSON.parse(letter.rawPayload).key, 'PZ-POISON');
  assert.equal(counted.deadletters, 2);
  const deadLetters = [...(await allDocs(sink.client, `${iso.prefix}-deadletters`)).values()];
  assert.deepEqual(deadLetters.map((d) => d.stage).sort(), ['processor', 'sink-elasticsearch']);
  const late = [...(await allDocs(sink.client, `${iso.prefix}-late`)).values()];
  assert.deepEqual(pick(late[0]!, { job: 0, reason: 0, key: 0 }), {
    job: 'geotech-10s',
    reason: 'beyond_allowed_lateness',
    key: 'PZ-001',
  });

  // The sink's own figures reach Elasticsearch for the pipeline-health dashboard.
  await waitFor(
    'a sink metrics document',
    async () => {
      await sink.client.indices.refresh({ index: `${iso.prefix}-sinkmetrics` }, { ignore: [404] });
      return countOf(sink.client, `${iso.prefix}-sinkmetrics`);
    },
    (n) => n > 0,
  );
});
