// readings_1m, the per-minute rollup of readings, against the real PostgreSQL: kept by the store's merge
// (both write modes) through duplicates, replays, late and changed readings and two sinks at once, and
// backfilled by its migration. Sums are compared with a relative tolerance of 1e-12 (PostgreSQL adds
// in its own order); counts, minimums and maximums exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CleanReading } from '@tideline/contracts';
import { createLogger } from '@tideline/logging';
import type { SinkRecord, WriteContext } from '@tideline/sink-runtime';
import pg from 'pg';
import { migrate } from '../../src/migrate.ts';
import { PartitionManager } from '../../src/partitions.ts';
import { PgStore, WriteMode } from '../../src/pg-store.ts';
import { databaseUrl, isolation } from './harness.ts';

const MINUTE_MS = 60_000;
const logger = createLogger({ service: 'sink-postgres-test', level: process.env.TEST_LOG_LEVEL ?? 'warn' });
const context: WriteContext = { signal: new AbortController().signal, heartbeat: async () => undefined };
// Minutes of the current hour: inside the partitions made for today.
const baseMs = Math.floor(Date.now() / 3_600_000) * 3_600_000;

function reading(
  key: string,
  eventTimeMs: number,
  eventId: string,
  value: number,
  jobVersion = 1,
): SinkRecord {
  const value_: CleanReading = {
    schemaVersion: 1,
    eventId,
    feed: 'geotech',
    key,
    measure: 'piezometer',
    value,
    unit: 'kPa',
    eventTimeMs,
    source: 'test',
    attributes: { alertLevel: 60 },
  };
  return {
    kind: 'reading',
    value: value_,
    meta: {
      topic: 'test',
      partition: 0,
      offset: '0',
      jobVersion,
      feed: 'geotech',
      sourceAppendMs: undefined,
    },
  };
}

interface MinuteRow {
  job_version: number;
  key: string;
  bucket_ms: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** The minutes the readings should make, the last value of each reading key winning (as in readings). */
function expectedMinutes(records: readonly SinkRecord[]): MinuteRow[] {
  const last = new Map<string, { v: number; key: string; ms: number; value: number }>();
  for (const r of records) {
    if (r.kind !== 'reading') continue;
    const x = r.value;
    last.set(`${r.meta.jobVersion}|${x.key}|${x.eventTimeMs}|${x.eventId}`, {
      v: r.meta.jobVersion,
      key: x.key,
      ms: x.eventTimeMs,
      value: x.value,
    });
  }
  const minutes = new Map<string, MinuteRow>();
  for (const { v, key, ms, value } of last.values()) {
    const bucket = Math.floor(ms / MINUTE_MS) * MINUTE_MS;
    const id = `${v}|${key}|${bucket}`;
    const m = minutes.get(id);
    if (!m)
      minutes.set(id, {
        job_version: v,
        key,
        bucket_ms: bucket,
        count: 1,
        sum: value,
        min: value,
        max: value,
      });
    else {
      m.count += 1;
      m.sum += value;
      m.min = Math.min(m.min, value);
      m.max = Math.max(m.max, value);
    }
  }
  return sortMinutes([...minutes.values()]);
}

function sortMinutes(rows: MinuteRow[]): MinuteRow[] {
  return rows.sort(
    (a, b) => a.job_version - b.job_version || a.key.localeCompare(b.key) || a.bucket_ms - b.bucket_ms,
  );
}

const selectMinutes = `SELECT job_version, key, (extract(epoch FROM bucket) * 1000)::bigint::float8 AS bucket_ms,
    count, sum, min, max FROM readings_1m`;
// The same figures computed from the readings table: what the rollup must always equal.
const aggregateReadings = `SELECT job_version, key,
    (extract(epoch FROM date_bin('1 minute', event_time, TIMESTAMPTZ 'epoch')) * 1000)::bigint::float8 AS bucket_ms,
    count(*)::int AS count, sum(value) AS sum, min(value) AS min, max(value) AS max
  FROM readings GROUP BY 1, 2, 3`;

function assertMinutes(actual: MinuteRow[], expected: MinuteRow[], what: string): void {
  const a = sortMinutes([...actual]);
  assert.equal(a.length, expected.length, `${what}: number of minutes`);
  a.forEach((row, i) => {
    const e = expected[i]!;
    assert.deepEqual({ ...row, sum: 0 }, { ...e, sum: 0 }, `${what}: minute ${i}`);
    assert.ok(
      Math.abs(row.sum - e.sum) <= 1e-12 * Math.abs(e.sum),
      `${what}: sum of minute ${i}: ${row.sum} against ${e.sum}`,
    );
  });
}

async function storeIn(schema: string, mode: WriteMode) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, options: `-c search_path=${schema}` });
  const partitions = new PartitionManager(pool, { retentionDays: 0, aheadDays: 1 });
  await partitions.maintain(Date.now());
  return { pool, store: new PgStore({ pool, partitions, mode }) };
}

for (const mode of [WriteMode.insert, WriteMode.copy]) {
  test(`${mode}: duplicates and replays count once in readings_1m, late readings update their minute, changed replays recompute it`, async (t) => {
    const iso = isolation();
    t.after(() => iso.cleanup());
    await migrate({ databaseUrl, schema: iso.schema, logger });
    const { pool, store } = await storeIn(iso.schema, mode);
    t.after(() => pool.end());
    const minutes = async () => (await pool.query<MinuteRow>(selectMinutes)).rows;

    // Two series, three minutes, readings every 7 s with values that do not add up exactly in floats.
    const fresh: SinkRecord[] = [];
    for (const key of ['PZ-001', 'PZ-002'])
      for (let s = 0; s < 180; s += 7)
        fresh.push(reading(key, baseMs + s * 1000, `${key}-${s}`, 50 + Math.sin(s) / 3));
    // A batch carrying a reading twice, then the whole batch delivered again.
    const withDuplicates = [...fresh, fresh[3]!, fresh[40]!];
    const outcome = await store.write(withDuplicates, context);
    assert.equal(outcome.written, withDuplicates.length);
    assertMinutes(await minutes(), expectedMinutes(fresh), 'after the first delivery');
    await store.write(withDuplicates, context);
    await store.write(fresh.slice(10, 30), context);
    assertMinutes(await minutes(), expectedMinutes(fresh), 'after the replays');

    // A late reading for a past minute, among new ones, and a new job version beside version 1.
    const late = [
      reading('PZ-001', baseMs + 30_500, 'late-1', 10),
      reading('PZ-001', baseMs + 61_000, 'late-2', 99),
      reading('PZ-002', baseMs + 240_000, 'new-1', 51),
      reading('PZ-001', baseMs + 1000, 'v2-1', 7, 2),
    ];
    await store.write(late, context);
    const all = [...fresh, ...late];
    const afterLate = await minutes();
    assertMinutes(afterLate, expectedMinutes(all), 'after the late readings');
    const pz1First = afterLate.find(
      (m) => m.job_version === 1 && m.key === 'PZ-001' && m.bucket_ms === baseMs,
    )!;
    assert.equal(pz1First.min, 10);

    // A replay that changes stored readings (the last delivery wins in readings): the minimum of the
    // first minute rises back, the maximum of the second falls, and the count does not change.
    const changed = [
      reading('PZ-001', baseMs + 30_500, 'late-1', 50.5),
      reading('PZ-001', baseMs + 61_000, 'late-2', 49),
    ];
    await store.write([...changed, late[2]!], context);
    const final = [...all, ...changed];
    assertMinutes(await minutes(), expectedMinutes(final), 'after the changed replay');
    assertMinutes((await pool.query<MinuteRow>(aggregateReadings)).rows, expectedMinutes(final), 'readings');
  });
}

test('two sinks adding to the same minutes at once, in opposite orders, neither deadlock nor lose a reading', async (t) => {
  const iso = isolation();
  t.after(() => iso.cleanup());
  await migrate({ databaseUrl, schema: iso.schema, logger });
  const a = await storeIn(iso.schema, WriteMode.copy);
  const b = await storeIn(iso.schema, WriteMode.insert);
  t.after(() => Promise.all([a.pool.end(), b.pool.end()]));
  const keys = Array.from({ length: 40 }, (_, i) => `PZ-${String(i).padStart(3, '0')}`);
  const all: SinkRecord[] = [];
  for (let round = 0; round < 10; round++) {
    // Each sink its own readings (distinct event ids) of the same 40 series and minute, in opposite orders.
    const batch = (sink: string) =>
      keys.map((key, i) =>
        reading(key, baseMs + round * MINUTE_MS + i * 100, `${sink}-${round}-${key}`, round + i),
      );
    const first = batch('a');
    const second = batch('b').reverse();
    all.push(...first, ...second);
    await Promise.all([a.store.write(first, context), b.store.write(second, context)]);
  }
  assertMinutes((await a.pool.query<MinuteRow>(selectMinutes)).rows, expectedMinutes(all), 'readings_1m');
});

test('the migration makes a readings_1m partition for each partition of readings and backfills the readings stored', async (t) => {
  const iso = isolation();
  t.after(() => iso.cleanup());
  // The schema as it was before the rollup, with readings in two daily partitions.
  await migrate({ databaseUrl, schema: iso.schema, logger, count: 2 });
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 1,
    options: `-c search_path=${iso.schema}`,
  });
  t.after(() => pool.end());
  await pool.query(
    `CREATE TABLE readings_p20261201 PARTITION OF readings FOR VALUES FROM ('2026-12-01T00:00:00Z') TO ('2026-12-02T00:00:00Z');
     CREATE TABLE readings_p20261202 PARTITION OF readings FOR VALUES FROM ('2026-12-02T00:00:00Z') TO ('2026-12-03T00:00:00Z')`,
  );
  const records: SinkRecord[] = [];
  const dayMs = Date.UTC(2026, 11, 1);
  // Both days, across midnight, two versions, every 13 s for an hour.
  for (const [v, key] of [
    [1, 'PZ-001'],
    [1, 'PZ-002'],
    [2, 'PZ-001'],
  ] as const)
    for (let s = 0; s < 3600; s += 13) {
      const ms = dayMs + 86_400_000 - 1_800_000 + s * 1000;
      records.push(reading(key, ms, `${key}-${s}`, 40 + ((s * 7919) % 1000) / 97, v));
    }
  for (const r of records) {
    if (r.kind !== 'reading') continue;
    await pool.query(
      `INSERT INTO readings (job_version, feed, key, event_time, event_id, measure, value, unit, source)
       VALUES ($1, 'geotech', $2, $3, $4, 'piezometer', $5, 'kPa', 'test')`,
      [r.meta.jobVersion, r.value.key, new Date(r.value.eventTimeMs), r.value.eventId, r.value.value],
    );
  }
  assert.deepEqual(await migrate({ databaseUrl, schema: iso.schema, logger }), [
    '1764597600000_readings-1m-rollup',
  ]);
  const partitions = await pool.query<{ relname: string; bound: string }>(
    `SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'readings_1m'::regclass ORDER BY 1`,
  );
  assert.deepEqual(
    partitions.rows.map((r) => r.relname),
    ['readings_1m_p20261201', 'readings_1m_p20261202'],
  );
  assert.match(partitions.rows[0]!.bound, /FROM \('2026-12-01 00:00:00/);
  assertMinutes((await pool.query<MinuteRow>(selectMinutes)).rows, expectedMinutes(records), 'backfilled');
});
