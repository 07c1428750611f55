// Real Kafka and PostgreSQL: the sink against contract-valid processor output (from the one fixture
// generator in @tideline/sink-runtime), in a namespace, schema and consumer group of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectMessages } from '@tideline/kafka';
import {
  generateProcessedOutput,
  poisonReading,
  produceFixture,
  type FixtureMessage,
} from '@tideline/sink-runtime';
import { connect, counts, isolation, kafka, startSink, waitFor } from './harness.ts';
import { expectedRows, selectRows, sortRows } from './expected.ts';

const startMs = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;

for (const mode of ['insert', 'copy'] as const) {
  test(`${mode}: the same input delivered twice leaves one row per key, equal to the input value for value; new topics, versions and a poison record are handled`, async (t) => {
    const iso = isolation();
    const sink = await startSink({
      SINK_PG_TOPIC_NAMESPACE: iso.namespace,
      SINK_PG_PG_SCHEMA: iso.schema,
      SINK_PG_GROUP_ID: iso.groupId,
      SINK_PG_WRITE_MODE: mode,
    });
    const db = await connect(iso.schema);
    t.after(async () => {
      await sink.close();
      await db.end();
      await iso.cleanup();
    });

    // v1 output, produced twice (a processor retry after a crash delivers the same records again).
    const v1 = generateProcessedOutput({ namer: iso.namer, startMs, secondsPerKey: 60, symbols: ['BHP'] });
    await produceFixture(kafka, v1);
    await produceFixture(kafka, v1);
    const v1Readings = expectedRows(v1, iso.namespace).readings.length;
    await waitFor(
      'v1 readings',
      () => counts(db),
      (c) => c.readings === v1Readings,
    );
    const topicsBefore = sink.runner.subscribedTopics.length;
    // A symbol whose topic appears while the sink runs, and a reprocessing's output version 2.
    const late = generateProcessedOutput({
      namer: iso.namer,
      startMs,
      secondsPerKey: 20,
      symbols: ['WES'],
      piezometers: 0,
      sensorNodes: 0,
    });
    const v2 = generateProcessedOutput({
      namer: iso.namer,
      startMs,
      secondsPerKey: 20,
      version: 2,
      symbols: ['BHP'],
    });
    const poison = poisonReading(iso.namer, startMs + 5000);
    await produceFixture(kafka, [...late, ...v2, poison]);
    await produceFixture(kafka, late);

    await waitFor(
      'the new topics subscribed',
      async () => sink.runner.subscribedTopics.length,
      (n) => n > topicsBefore,
    );
    const all: FixtureMessage[] = [...v1, ...late, ...v2];
    const expected = expectedRows(all, iso.namespace);
    const settled = await waitFor(
      'every row',
      () => counts(db),
      (c) =>
        c.readings === expected.readings.length &&
        c.windows === expected.windows.length &&
        c.alerts === expected.alerts.length,
      90_000,
    );
    assert.ok(expected.readings.length > 100 && expected.windows.length > 10 && expected.alerts.length > 0);
    // 3 piezometers, BHP and 2 sensor nodes in v1 and v2, and WES in v1.
    assert.equal(settled.series, 13);

    const readings = await db.query(selectRows.readings);
    assert.deepEqual(
      sortRows(readings.rows, ['job_version', 'feed', 'key', 'event_time_ms', 'event_id']),
      sortRows(expected.readings as Record<string, unknown>[], [
        'job_version',
        'feed',
        'key',
        'event_time_ms',
        'event_id',
      ]),
    );
    // readings_1m: each minute of the input once, though v1 and WES were delivered twice (sums within a
    // relative 1e-12: PostgreSQL adds in its own order).
    const minutes = new Map<string, { count: number; sum: number; min: number; max: number }>();
    type ReadingRow = {
      job_version: number;
      feed: string;
      key: string;
      event_time_ms: number;
      value: number;
    };
    for (const r of expected.readings as ReadingRow[]) {
      const id = `${r.job_version}|${r.feed}|${r.key}|${Math.floor(r.event_time_ms / 60_000) * 60_000}`;
      const m = minutes.get(id);
      if (!m) minutes.set(id, { count: 1, sum: r.value, min: r.value, max: r.value });
      else
        Object.assign(m, {
          count: m.count + 1,
          sum: m.sum + r.value,
          min: Math.min(m.min, r.value),
          max: Math.max(m.max, r.value),
        });
    }
    const { rows: rollup } = await db.query(
      `SELECT job_version, feed, key, (extract(epoch FROM bucket) * 1000)::bigint::float8 AS bucket_ms, count, sum, min, max
         FROM readings_1m`,
    );
    assert.equal(rollup.length, minutes.size);
    for (const row of rollup) {
      const m = minutes.get(`${row.job_version}|${row.feed}|${row.key}|${row.bucket_ms}`);
      assert.ok(m, `an unexpected minute ${JSON.stringify(row)}`);
      assert.deepEqual([row.count, row.min, row.max], [m.count, m.min, m.max]);
      assert.ok(Math.abs(row.sum - m.sum) <= 1e-12 * Math.abs(m.sum), `sum ${row.sum} against ${m.sum}`);
    }
    const windows = await db.query(selectRows.windows);
    const windowKey = ['job', 'job_version', 'feed', 'key', 'window_start_ms', 'window_end_ms'] as const;
    assert.deepEqual(
      sortRows(windows.rows, windowKey),
      sortRows(expected.windows as Record<string, unknown>[], windowKey),
    );
    const alerts = await db.query(selectRows.alerts);
    assert.deepEqual(
      sortRows(alerts.rows, ['job_version', 'alert_id']),
      sortRows(expected.alerts as Record<string, unknown>[], ['job_version', 'alert_id']),
    );
    assert.equal(
      (await db.query(`SELECT count(*)::int AS n FROM readings WHERE key = 'PZ-POISON'`)).rows[0].n,
      0,
    );

    // series: the newest reading's attributes and the event-time span per (version, feed, key).
    const { rows: series } = await db.query(
      `SELECT job_version, feed, key, measure, unit, attributes,
            (extract(epoch FROM first_event_time) * 1000)::bigint::float8 AS first_ms,
            (extract(epoch FROM last_event_time) * 1000)::bigint::float8 AS last_ms
       FROM series WHERE job_version = 1 AND key = 'PZ-001'`,
    );
    const pz1 = v1.filter((m) => m.record.kind === 'reading' && m.record.value.key === 'PZ-001');
    const lastReading = pz1.at(-1)!.record.value as { attributes: unknown; eventTimeMs: number };
    assert.deepEqual(series, [
      {
        job_version: 1,
        feed: 'geotech',
        key: 'PZ-001',
        measure: 'piezometer',
        unit: 'm',
        attributes: lastReading.attributes,
        first_ms: startMs,
        last_ms: lastReading.eventTimeMs,
      },
    ]);

    // The poison record went to dlq.sink-postgres with PostgreSQL's reason, and did not stop the sink.
    const letters = await collectMessages(kafka, {
      topic: iso.namer.topicName({ kind: 'dlq', stage: 'sink-postgres' }),
      until: (m) => m.length >= 1,
      timeoutMs: 20_000,
    });
    assert.equal(letters.length, 1);
    const letter = JSON.parse(letters[0]!.value!);
    assert.equal(letter.reasonCode, 'SINK_PG_ERR_REJECTED');
    assert.match(letter.reason, /^22P05/);
    assert.equal(JSON.parse(letter.rawPayload).key, 'PZ-POISON');
    assert.equal(letter.topic, poison.topic);
    assert.ok(sink.runner.stats().deadLettered >= 1);
  });
}
