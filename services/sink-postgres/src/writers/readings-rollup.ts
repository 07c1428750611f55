import type { PoolClient } from 'pg';
import { Readings, ReadingsReplaced } from '../tables.ts';
import type { RowSource } from './merge.ts';

const columns = Readings.columns.map((c) => c.name).join(', ');
const key = Readings.key.join(', ');
const minuteOf = (column: string) => `date_bin('1 minute', ${column}, TIMESTAMPTZ 'epoch')`;
const rollupKey = 'job_version, feed, key, bucket';

// 1. The readings not stored yet are inserted, and only those (RETURNING of DO NOTHING) are added to
// their minutes: a reading delivered twice counts once. Grouped rows are upserted in key order, so two
// sinks adding to the same minutes lock them in the same order.
const insertAndAdd = (source: string) => `WITH inserted AS (
    INSERT INTO readings (${columns}) ${source} ON CONFLICT (${key}) DO NOTHING
    RETURNING job_version, feed, key, event_time, value
  ), added AS (
    INSERT INTO readings_1m AS r (${rollupKey}, count, sum, min, max)
    SELECT job_version, feed, key, ${minuteOf('event_time')} AS bucket, count(*), sum(value), min(value), max(value)
      FROM inserted GROUP BY ${rollupKey} ORDER BY ${rollupKey}
    ON CONFLICT (${rollupKey}) DO UPDATE SET count = r.count + EXCLUDED.count, sum = r.sum + EXCLUDED.sum,
      min = least(r.min, EXCLUDED.min), max = greatest(r.max, EXCLUDED.max)
  )
  SELECT count(*)::int AS inserted FROM inserted`;

// 2. The rest were stored already: a redelivery replaces them (the last wins, as before), but only when
// something differs, so an identical replay writes nothing. The minutes of the rows that changed are
// returned: their min and max cannot be corrected by a delta.
const replaceChanged = (source: string) => `WITH changed AS (
    INSERT INTO readings AS x (${columns}) ${source}
    ON CONFLICT (${key}) DO UPDATE SET ${Readings.onConflict}
    WHERE (${ReadingsReplaced.map((c) => `x.${c}`).join(', ')})
      IS DISTINCT FROM (${ReadingsReplaced.map((c) => `EXCLUDED.${c}`).join(', ')})
    RETURNING job_version, feed, key, event_time
  )
  SELECT DISTINCT job_version, feed, key, ${minuteOf('event_time')} AS bucket FROM changed
   ORDER BY ${rollupKey}`;

const minutes = `unnest($1::int4[], $2::text[], $3::text[], $4::timestamptz[]) AS d(${rollupKey})`;

// 3. Those minutes are locked (in key order), then recomputed from the readings in a new statement: its
// snapshot, taken after the locks, includes every reading another sink committed to them, and a sink
// still to commit adds its delta to our result once we commit.
const lockMinutes = `SELECT 1 FROM readings_1m
   WHERE (${rollupKey}) IN (SELECT ${rollupKey} FROM ${minutes})
   ORDER BY ${rollupKey} FOR UPDATE`;
const recomputeMinutes = `INSERT INTO readings_1m AS r (${rollupKey}, count, sum, min, max)
  SELECT d.job_version, d.feed, d.key, d.bucket, count(*), sum(x.value), min(x.value), max(x.value)
    FROM ${minutes}
    JOIN readings x ON x.job_version = d.job_version AND x.feed = d.feed AND x.key = d.key
     AND x.event_time >= d.bucket AND x.event_time < d.bucket + interval '1 minute'
   GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (${rollupKey}) DO UPDATE SET count = EXCLUDED.count, sum = EXCLUDED.sum,
    min = EXCLUDED.min, max = EXCLUDED.max`;

interface Minute {
  job_version: number;
  feed: string;
  key: string;
  bucket: Date;
}

/**
 * Merges readings and keeps readings_1m (count, sum, min, max per series and minute) equal to what
 * the readings table holds, inside the caller's transaction: fresh readings are added to their
 * minutes; a redelivery adds nothing; a redelivery that changes a stored reading recomputes its minute.
 * Fresh data costs one statement; steps 2 and 3 run only when some rows were stored already.
 */
export async function mergeReadings(client: PoolClient, source: RowSource): Promise<void> {
  const first = await client.query<{ inserted: number }>({
    text: insertAndAdd(source.text),
    values: source.values,
  });
  if ((first.rows[0]?.inserted ?? 0) === source.rows) return;
  const changed = await client.query<Minute>({ text: replaceChanged(source.text), values: source.values });
  if (changed.rows.length === 0) return;
  const values = [
    changed.rows.map((m) => m.job_version),
    changed.rows.map((m) => m.feed),
    changed.rows.map((m) => m.key),
    changed.rows.map((m) => m.bucket),
  ];
  await client.query({ text: lockMinutes, values });
  await client.query({ text: recomputeMinutes, values });
}
