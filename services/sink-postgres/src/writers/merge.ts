import type { PoolClient } from 'pg';
import { Readings, type TableSpec } from '../tables.ts';
import { mergeReadings } from './readings-rollup.ts';

/** The rows to merge, as a SELECT of the table's columns in order (a staging table or unnest arrays). */
export interface RowSource {
  text: string;
  values: unknown[];
  rows: number;
}

/**
 * One upsert on the primary key from the source into the table; readings also keep their per-minute
 * rollup (readings_1m) in step, in the same transaction.
 */
export async function mergeRows(client: PoolClient, table: TableSpec, source: RowSource): Promise<void> {
  if (table === Readings) return mergeReadings(client, source);
  await client.query({
    text:
      `INSERT INTO ${table.name} (${table.columns.map((c) => c.name).join(', ')}) ${source.text} ` +
      `ON CONFLICT (${table.key.join(', ')}) DO UPDATE SET ${table.onConflict}`,
    values: source.values,
  });
}
