// Elasticsearch away for 20 s during a run loses nothing. The outage is simulated with a loopback TCP
// proxy between the sink and Elasticsearch (startTcpProxy, cut for 20 s): the shared Elasticsearch that
// other engineers and tests use is never stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@elastic/elasticsearch';
import { generateProcessedOutput, produceFixture, startTcpProxy } from '@tideline/sink-runtime';
import { allDocs, countDocs, elasticsearchUrl, isolation, kafka, startSink, waitFor } from './harness.ts';
import { expectedDocs, pick } from './expected.ts';

const OUTAGE_MS = 20_000;
const startMs = Math.floor(Date.now() / 60_000) * 60_000 - 20 * 60_000;

test('Elasticsearch cut off for 20 s mid-run: the sink waits, retries, and then every document is there once', async (t) => {
  const iso = isolation();
  const url = new URL(elasticsearchUrl);
  const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 9200) });
  url.port = String(proxy.port);
  const sink = await startSink({
    SINK_ES_TOPIC_NAMESPACE: iso.namespace,
    SINK_ES_INDEX_PREFIX: iso.prefix,
    SINK_ES_GROUP_ID: iso.groupId,
    SINK_ES_ELASTICSEARCH_URL: url.toString(),
  });
  // Assertions read Elasticsearch directly, not through the proxy.
  const direct = new Client({ node: elasticsearchUrl });
  t.after(async () => {
    await sink.close();
    await proxy.close();
    await direct.close();
    await iso.cleanup();
  });

  const before = generateProcessedOutput({ namer: iso.namer, startMs, secondsPerKey: 60 });
  const during = generateProcessedOutput({ namer: iso.namer, startMs: startMs + 60_000, secondsPerKey: 60 });
  await produceFixture(kafka, before);
  const first = expectedDocs(before, iso.namespace);
  await waitFor(
    'the first half',
    () => countDocs(direct, iso.prefix),
    (c) => c.readings === first.readings.size,
  );

  proxy.cut();
  await produceFixture(kafka, during);
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  assert.equal(
    (await countDocs(direct, iso.prefix)).readings,
    first.readings.size,
    'nothing written while cut off',
  );
  assert.ok(sink.runner.stats().retries > 0, 'the sink retried');
  assert.equal(sink.runner.ready, false);
  proxy.restore();

  const all = expectedDocs([...before, ...during], iso.namespace);
  await waitFor(
    'every document',
    () => countDocs(direct, iso.prefix),
    (c) => c.readings === all.readings.size && c.windows === all.windows.size && c.alerts === all.alerts.size,
  );
  const windows = await allDocs(direct, `${iso.prefix}-windows`);
  assert.deepEqual([...windows.keys()].sort(), [...all.windows.keys()].sort());
  for (const [id, doc] of all.windows) assert.deepEqual(pick(windows.get(id)!, doc), doc, id);
  assert.equal(sink.runner.stats().deadLettered, 0);
});
