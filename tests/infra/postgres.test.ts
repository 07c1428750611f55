import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { stack, uniqueName } from '../support/env.ts';

test('pg writes and reads back a row in a schema of its own', async () => {
  const client = new pg.Client({ connectionString: stack.postgresUrl });
  await client.connect();
  const schema = uniqueName('smoke').replaceAll('-', '_');
  try {
    await client.query(`create schema ${schema}`);
    await client.query(
      `create table ${schema}.readings (id text primary key, value double precision, at timestamptz)`,
    );
    await client.query(`insert into ${schema}.readings values ($1, $2, $3)`, [
      'BH-1',
      101.25,
      '2024-01-05T10:00:00.000Z',
    ]);
    const { rows } = await client.query<{ id: string; value: number; at: Date }>(
      `select * from ${schema}.readings`,
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.id, 'BH-1');
    assert.equal(rows[0]?.value, 101.25);
    assert.equal(rows[0]?.at.toISOString(), '2024-01-05T10:00:00.000Z');
  } finally {
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  }
});
