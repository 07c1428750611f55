// Migrations by node-pg-migrate from the versioned SQL files, as the one-shot command runs them, and
// the partition maintenance, in a schema of the test's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { PartitionManager } from '../../src/partitions.ts';
import { connect, databaseUrl, isolation } from './harness.ts';

const run = promisify(execFile);
const command = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/migrate-main.ts');

test('the one-shot migrate command creates the schema and tables, records its migrations, and undoes the last one', async (t) => {
  const iso = isolation();
  const env = {
    ...process.env,
    SINK_PG_DATABASE_URL: databaseUrl,
    SINK_PG_PG_SCHEMA: iso.schema,
    SINK_PG_LOG_LEVEL: 'warn',
  };
  t.after(() => iso.cleanup());
  await run(process.execPath, [command], { env });
  const db = await connect(iso.schema);
  t.after(() => db.end());
  const tables = async () =>
    (
      await db.query(
        `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY 1`,
        [iso.schema],
      )
    ).rows.map((r) => r.relname);
  assert.deepEqual(await tables(), [
    'alerts',
    'pgmigrations',
    'readings',
    'readings_1m',
    'series',
    'window_aggregates',
  ]);
  const applied = await db.query('SELECT name FROM pgmigrations ORDER BY id');
  assert.deepEqual(
    applied.rows.map((r) => r.name),
    [
      '1764583200000_initial',
      '1764590400000_drop-redundant-readings-index',
      '1764597600000_readings-1m-rollup',
    ],
  );
  const indexes = async () =>
    (
      await db.query(`SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'readings'`, [
        iso.schema,
      ])
    ).rows
      .map((r) => r.indexname)
      .sort();
  assert.deepEqual(await indexes(), ['readings_pkey']);

  // Up again is a no-op; down undoes the last migration, then the one before.
  await run(process.execPath, [command], { env });
  await run(process.execPath, [command, 'down', '1'], { env });
  assert.ok(!(await tables()).includes('readings_1m'));
  await run(process.execPath, [command, 'down', '1'], { env });
  assert.deepEqual(await indexes(), ['readings_pkey', 'readings_series_time']);
  assert.equal((await db.query('SELECT count(*)::int AS n FROM pgmigrations')).rows[0].n, 1);
});

test('partitions of every history table, readings_1m included, are made ahead of today and on demand, and dropped once past the retention', async (t) => {
  const iso = isolation();
  t.after(() => iso.cleanup());
  await run(process.execPath, [command], {
    env: { ...process.env, SINK_PG_DATABASE_URL: databaseUrl, SINK_PG_PG_SCHEMA: iso.schema },
  });
  const pool = new pg.Pool({ connectionString: databaseUrl, options: `-c search_path=${iso.schema}` });
  t.after(() => pool.end());
  const partitions = new PartitionManager(pool, { retentionDays: 3, aheadDays: 2 });
  const now = Date.UTC(2026, 11, 10, 12);
  const { created } = await partitions.maintain(now);
  assert.equal(created.length, 12);
  assert.ok(
    created.includes('readings_p20261212') &&
      created.includes('readings_1m_p20261212') &&
      created.includes('alerts_p20261210'),
  );
  await partitions.ensure([
    { table: 'readings', dayMs: Date.UTC(2026, 11, 1) },
    { table: 'readings_1m', dayMs: Date.UTC(2026, 11, 1) },
    { table: 'readings', dayMs: Date.UTC(2026, 11, 8) },
  ]);
  const list = async (table = 'readings') =>
    (
      await pool.query(
        `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
          WHERE p.relname = $2 AND c.relnamespace = to_regnamespace($1) ORDER BY 1`,
        [iso.schema, table],
      )
    ).rows.map((r) => r.relname);
  assert.deepEqual(await list(), [
    'readings_p20261201',
    'readings_p20261208',
    'readings_p20261210',
    'readings_p20261211',
    'readings_p20261212',
  ]);
  assert.equal(partitions.cutoffMs(now), Date.UTC(2026, 11, 7));
  assert.equal(partitions.horizonMs(now), Date.UTC(2026, 11, 13));
  const dropped = await partitions.dropExpired(now);
  assert.deepEqual(dropped.sort(), ['readings_1m_p20261201', 'readings_p20261201']);
  assert.deepEqual(await list('readings_1m'), [
    'readings_1m_p20261210',
    'readings_1m_p20261211',
    'readings_1m_p20261212',
  ]);
  assert.deepEqual(await list(), [
    'readings_p20261208',
    'readings_p20261210',
    'readings_p20261211',
    'readings_p20261212',
  ]);
});
