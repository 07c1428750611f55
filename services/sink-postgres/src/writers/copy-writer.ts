import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Cell, TableRows } from '../tables.ts';
import { mergeRows } from './merge.ts';

const prepared = new WeakSet<PoolClient>();

/**
 * COPY into a session-local staging table, then the merge into the real table (mergeRows: one
 * INSERT ... SELECT ... ON CONFLICT DO UPDATE; readings keep their rollup beside it). The staging
 * tables are created once per connection and emptied at each commit.
 */
export async function copyRows(client: PoolClient, { table, rows }: TableRows): Promise<void> {
  if (!prepared.has(client)) {
    for (const name of ['readings', 'window_aggregates', 'alerts', 'series']) {
      await client.query(
        `CREATE TEMP TABLE IF NOT EXISTS staging_${name} (LIKE ${name}) ON COMMIT DELETE ROWS`,
      );
    }
    prepared.add(client);
  }
  const names = table.columns.map((c) => c.name).join(', ');
  const staging = `staging_${table.name}`;
  const copy = client.query(copyFrom(`COPY ${staging} (${names}) FROM STDIN`));
  await pipeline(Readable.from(copyLines(rows)), copy);
  await mergeRows(client, table, { text: `SELECT ${names} FROM ${staging}`, values: [], rows: rows.length });
}

function* copyLines(rows: readonly Cell[][]): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += row.map(copyText).join('\t') + '\n';
    if (chunk.length > 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/** COPY's text format: \N for null, backslash escapes for backslash, tab, newline and carriage return. */
function copyText(cell: Cell): string {
  if (cell === null) return '\\N';
  if (typeof cell === 'number') return String(cell);
  return cell.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}
