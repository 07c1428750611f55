// Graceful drain (what SIGTERM runs: app.close()) in the middle of a backlog: the batch in hand is
// written and committed, the sink leaves its group, and a second sink in the same group finishes the
// backlog from the committed offsets: every row once, none missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateBenchBacklog, produceFixture } from '@tideline/sink-runtime';
import { connect, counts, isolation, kafka, startSink, waitFor } from './harness.ts';

test('closing mid-backlog drains the batch in hand; the next sink of the group finishes without loss', async (t) => {
  const iso = isolation();
  const env = {
    SINK_PG_TOPIC_NAMESPACE: iso.namespace,
    SINK_PG_PG_SCHEMA: iso.schema,
    SINK_PG_GROUP_ID: iso.groupId,
    // Small batches, so that closing lands in the middle of the backlog.
    SINK_PG_FETCH_MAX_BYTES_PER_PARTITION: '65536',
  };
  const total = 40_000;
  const startMs = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  await produceFixture(kafka, generateBenchBacklog(iso.namer, { startMs, total, keys: 500 }));
  const first = await startSink(env);
  const client = await connect(iso.schema);
  t.after(async () => {
    await client.end();
    await iso.cleanup();
  });
  await waitFor(
    'some rows',
    () => counts(client),
    (c) => c.readings + c.windows > 0,
  );
  await first.close();
  const afterDrain = await counts(client);
  assert.equal(
    first.runner.stats().written,
    afterDrain.readings + afterDrain.windows,
    'what the sink counted is what is stored',
  );
  assert.ok(afterDrain.readings + afterDrain.windows < total, 'closed mid-backlog');

  const second = await startSink(env);
  t.after(() => second.close());
  const final = await waitFor(
    'the whole backlog',
    () => counts(client),
    (c) => c.readings + c.windows === total,
  );
  assert.equal(final.readings, total / 2);
  assert.equal(final.windows, total / 2);
  assert.equal(final.series, 500);
});
