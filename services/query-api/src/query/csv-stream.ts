import { Transform, type Readable } from 'node:stream';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import { pgFailure } from '../plugins/pg.ts';
import type { SqlQuery } from './history-sql.ts';

export type CsvCell = string | number | null | undefined;

/**
 * Streams the rows of a query as CSV through a server-side cursor (pg-query-stream), a batch at a
 * time: a year of readings never sits in memory. The pool client goes back when the stream ends,
 * fails or the client hangs up.
 */
export async function streamCsv<R>(
  pool: pg.Pool,
  sql: SqlQuery,
  header: readonly string[],
  toCells: (row: R) => readonly CsvCell[],
  onRows: (count: number) => void,
): Promise<Readable> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw pgFailure(error);
  }
  const rows = client.query(new QueryStream(sql.text, sql.values, { batchSize: 1000 }));
  let count = 0;
  const csv = new Transform({
    writableObjectMode: true,
    transform(row: R, _encoding, done) {
      count++;
      done(null, `${toCells(row).map(cell).join(',')}\n`);
    },
  });
  csv.push(`${header.join(',')}\n`);
  let released = false;
  // A connection lost mid-stream emits 'error' on the client; unheard, Node would throw it and end
  // the process. It ends this response instead.
  const onClientError = (error: Error) => {
    release(error);
    csv.destroy(error);
  };
  client.on('error', onClientError);
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    client.off('error', onClientError);
    onRows(count);
    // A client whose cursor broke off is discarded rather than reused mid-query.
    client.release(error);
  };
  rows.on('error', (error) => {
    release(error);
    csv.destroy(error);
  });
  rows.on('end', () => release());
  csv.on('close', () => {
    if (!released) {
      rows.destroy();
      release(new Error('client went away'));
    }
  });
  rows.pipe(csv);
  return csv;
}

/** One CSV cell: numbers as they are, text quoted when needed and defused against formula injection. */
function cell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  if (/[",\n\r]/.test(text)) text = `"${text.replaceAll('"', '""')}"`;
  return text;
}
