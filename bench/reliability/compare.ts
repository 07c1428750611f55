// What the sinks wrote compared with the recomputation: per target, records expected, found, lost
// (expected, not there), duplicated (there more than once), unexpected (there, not expected) and, for
// window rows, differing (count, avg, min or max not equal to the recomputation's).
import { es, pgPool } from '../lib/stores.ts';
import { MARKET_WINDOW_JOB, windowKey, type Recomputation } from './recompute.ts';

export interface ComparisonRow {
  target: string;
  expected: number;
  found: number;
  lost: number;
  duplicated: number;
  unexpected: number;
  differing: number;
}

export interface Readback {
  pgReadings: Map<string, number>;
  pgWindows: Map<string, { rows: number; count: number; avg: number; min: number; max: number }>;
  esReadings: Map<string, number>;
}

/** Row counts only, cheap enough to poll while waiting for the sinks to catch up. */
export async function countWritten(
  postgresUrl: string,
  schema: string,
  elasticsearchUrl: string,
  indexPrefix: string,
): Promise<{ pgReadings: number; pgWindows: number; esReadings: number }> {
  const pool = pgPool(postgresUrl);
  try {
    const q = async (sql: string, params: unknown[] = []): Promise<number> =>
      Number(
        (await pool.query<{ n: string }>(sql, params).catch(() => ({ rows: [{ n: '0' }] }))).rows[0]?.n ?? 0,
      );
    const pgReadings = await q(`SELECT count(*) AS n FROM "${schema}".readings WHERE feed = 'market'`);
    const pgWindows = await q(`SELECT count(*) AS n FROM "${schema}".window_aggregates WHERE job = $1`, [
      MARKET_WINDOW_JOB,
    ]);
    await es('POST', `/${indexPrefix}-readings/_refresh`, undefined, elasticsearchUrl).catch(() => undefined);
    const counted = await es<{ count: number }>(
      'GET',
      `/${indexPrefix}-readings/_count`,
      undefined,
      elasticsearchUrl,
    ).catch(() => undefined);
    return { pgReadings, pgWindows, esReadings: counted?.count ?? 0 };
  } finally {
    await pool.end();
  }
}

export async function readBack(
  postgresUrl: string,
  schema: string,
  elasticsearchUrl: string,
  indexPrefix: string,
): Promise<Readback> {
  const pool = pgPool(postgresUrl);
  const pgReadings = new Map<string, number>();
  const pgWindows: Readback['pgWindows'] = new Map();
  try {
    const readings = await pool.query<{ event_id: string; n: string }>(
      `SELECT event_id, count(*) AS n FROM "${schema}".readings WHERE feed = 'market' GROUP BY event_id`,
    );
    for (const r of readings.rows) pgReadings.set(r.event_id, Number(r.n));
    const windows = await pool.query<{
      key: string;
      start_ms: string;
      end_ms: string;
      event_count: number;
      avg: number;
      min: number;
      max: number;
    }>(
      `SELECT key, (extract(epoch FROM window_start) * 1000)::bigint AS start_ms,
              (extract(epoch FROM window_end) * 1000)::bigint AS end_ms, event_count, avg, min, max
         FROM "${schema}".window_aggregates WHERE job = $1`,
      [MARKET_WINDOW_JOB],
    );
    for (const w of windows.rows) {
      const key = windowKey(w.key, Number(w.start_ms), Number(w.end_ms));
      const seen = pgWindows.get(key);
      pgWindows.set(key, {
        rows: (seen?.rows ?? 0) + 1,
        count: w.event_count,
        avg: w.avg,
        min: w.min,
        max: w.max,
      });
    }
  } finally {
    await pool.end();
  }
  return { pgReadings, pgWindows, esReadings: await esEventIds(elasticsearchUrl, indexPrefix) };
}

/** Every eventId in the readings alias with its number of documents (a composite aggregation, paged). */
async function esEventIds(url: string, indexPrefix: string): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  await es('POST', `/${indexPrefix}-readings/_refresh`, undefined, url).catch(() => undefined);
  let after: Record<string, string> | undefined;
  for (;;) {
    const page = await es<{
      aggregations?: {
        ids: { after_key?: Record<string, string>; buckets: { key: { id: string }; doc_count: number }[] };
      };
    }>(
      'POST',
      `/${indexPrefix}-readings/_search`,
      {
        size: 0,
        query: { term: { feed: 'market' } },
        aggs: {
          ids: {
            composite: {
              size: 10_000,
              sources: [{ id: { terms: { field: 'eventId' } } }],
              ...(after ? { after } : {}),
            },
          },
        },
      },
      url,
    );
    const buckets = page?.aggregations?.ids.buckets ?? [];
    for (const b of buckets) ids.set(b.key.id, b.doc_count);
    after = page?.aggregations?.ids.after_key;
    if (buckets.length === 0 || !after) break;
  }
  return ids;
}

export function compare(expected: Recomputation, written: Readback): ComparisonRow[] {
  const ofIds = (target: string, found: Map<string, number>): ComparisonRow => {
    let lost = 0;
    let duplicated = 0;
    let unexpected = 0;
    for (const id of expected.eventIds) if (!found.has(id)) lost++;
    for (const [id, n] of found) {
      if (n > 1) duplicated += n - 1;
      if (!expected.eventIds.has(id)) unexpected++;
    }
    return {
      target,
      expected: expected.eventIds.size,
      found: found.size,
      lost,
      duplicated,
      unexpected,
      differing: 0,
    };
  };
  let lost = 0;
  let duplicated = 0;
  let unexpected = 0;
  let differing = 0;
  for (const [key, w] of expected.windows) {
    const row = written.pgWindows.get(key);
    if (!row) {
      lost++;
      continue;
    }
    if (row.count !== w.count || !close(row.avg, w.avg) || row.min !== w.min || row.max !== w.max)
      differing++;
  }
  for (const [key, row] of written.pgWindows) {
    if (row.rows > 1) duplicated += row.rows - 1;
    if (!expected.windows.has(key)) unexpected++;
  }
  return [
    ofIds('readings in PostgreSQL', written.pgReadings),
    ofIds('readings in Elasticsearch', written.esReadings),
    {
      target: `${MARKET_WINDOW_JOB} rows in PostgreSQL`,
      expected: expected.windows.size,
      found: written.pgWindows.size,
      lost,
      duplicated,
      unexpected,
      differing,
    },
  ];
}

/** Sums in another order may differ in the last bits: equal within 1e-9 relative. */
function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
