import type { PoolClient } from 'pg';
import type { TableRows } from '../tables.ts';

/**
 * Multi-row INSERT ... ON CONFLICT DO UPDATE, one statement per table: the rows travel as one array
 * per column and `unnest` turns them back into rows (no 65,535-parameter limit, one parse per batch).
 */
export async function insertRows(client: PoolClient, { table, rows }: TableRows): Promise<void> {
  const columns = table.columns;
  const arrays = columns.map((_, i) => rows.map((row) => row[i] ?? null));
  const sql =
    `INSERT INTO ${table.name} (${columns.map((c) => c.name).join(', ')}) ` +
    `SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')}) ` +
    `ON CONFLICT (${table.key.join(', ')}) DO UPDATE SET ${table.onConflict}`;
  await client.query({ text: sql, values: arrays });
}
