import type { PoolClient } from 'pg';
import type { TableRows } from '../tables.ts';
import { mergeRows } from './merge.ts';

/**
 * Multi-row INSERT ... ON CONFLICT DO UPDATE, one statement per table (mergeRows; readings keep their
 * rollup beside it): the rows travel as one array per column and `unnest` turns them back into rows
 * (no 65,535-parameter limit, one parse per batch).
 */
export async function insertRows(client: PoolClient, { table, rows }: TableRows): Promise<void> {
  const columns = table.columns;
  const arrays = columns.map((_, i) => rows.map((row) => row[i] ?? null));
  await mergeRows(client, table, {
    text: `SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')})`,
    values: arrays,
    rows: rows.length,
  });
}
