// PostgreSQL away for 20 s during a run loses nothing. The outage is simulated with a loopback TCP
// proxy between the sink and PostgreSQL (startTcpProxy, cut for 20 s): the shared PostgreSQL that other
// engineers and tests use is never stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchEndOffsets } from '@tideline/kafka';
import { generateProcessedOutput, produceFixture, startTcpProxy } from '@tideline/sink-runtime';
import { connect, counts, databaseUrl, isolation, kafka, startSink, waitFor } from './harness.ts';
import { expectedRows, selectRows, sortRows } from './expected.ts';

const OUTAGE_MS = 20_000;
const startMs = Math.floor(Date.now() / 60_000) * 60_000 - 20 * 60_000;

test('PostgreSQL cut off for 20 s mid-run: the sink waits, retries, and then every row is there once', async (t) => {
  const iso = isolation();
  const url = new URL(databaseUrl);
  const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.port = String(proxy.port);
  const sink = await startSink({
    SINK_PG_TOPIC_NAMESPACE: iso.namespace,
    SINK_PG_PG_SCHEMA: iso.schema,
    SINK_PG_GROUP_ID: iso.groupId,
    SINK_PG_DATABASE_URL: url.toString(),
  });
  const db = await connect(iso.schema);
  t.after(async () => {
    await sink.close();
    await proxy.close();
    await db.end();
    await iso.cleanup();
  });

  const before = generateProcessedOutput({ namer: iso.namer, startMs, secondsPerKey: 60 });
  const during = generateProcessedOutput({ namer: iso.namer, startMs: startMs + 60_000, secondsPerKey: 60 });
  await produceFixture(kafka, before);
  const first = expectedRows(before, iso.namespace);
  await waitFor(
    'the first half',
    () => counts(db),
    (c) => c.readings === first.readings.length,
  );

  proxy.cut();
  await produceFixture(kafka, during);
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  // While cut off, the sink wrote nothing more and did not move its offsets past what it wrote.
  assert.equal((await counts(db)).readings, first.readings.length);
  assert.ok(sink.runner.stats().retries > 0, 'the sink retried');
  assert.equal(sink.runner.ready, false, 'not ready while PostgreSQL refuses writes');
  const ready = await sink.app.inject({ url: '/readyz' });
  assert.equal(ready.statusCode, 503);
  proxy.restore();

  const all = expectedRows([...before, ...during], iso.namespace);
  await waitFor(
    'every row',
    () => counts(db),
    (c) =>
      c.readings === all.readings.length &&
      c.windows === all.windows.length &&
      c.alerts === all.alerts.length,
  );
  const readings = await db.query(selectRows.readings);
  const key = ['job_version', 'feed', 'key', 'event_time_ms', 'event_id'] as const;
  assert.deepEqual(sortRows(readings.rows, key), sortRows(all.readings as Record<string, unknown>[], key));
  const windows = await db.query(selectRows.windows);
  const wkey = ['job', 'job_version', 'feed', 'key', 'window_start_ms', 'window_end_ms'] as const;
  assert.deepEqual(sortRows(windows.rows, wkey), sortRows(all.windows as Record<string, unknown>[], wkey));
  assert.equal(sink.runner.stats().deadLettered, 0);
  const dlq = iso.namer.topicName({ kind: 'dlq', stage: 'sink-postgres' });
  const ends = await fetchEndOffsets(kafka, [dlq]);
  assert.equal(
    [...(ends.get(dlq)?.values() ?? [])].reduce((a, b) => a + Number(b), 0),
    0,
    'nothing dead-lettered',
  );
});
