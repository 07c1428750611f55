// The SQL of history queries. Every value is a bind parameter; only fixed fragments are spliced.
import type { Cursor } from './cursor.ts';

export interface SeriesSelector {
  readonly version: number;
  readonly feed: string;
  readonly key: string;
}

export interface PageRequest {
  readonly fromMs: number;
  readonly toMs: number;
  readonly after: Cursor | undefined;
  /** Rows to return; undefined for all of them (a streamed CSV). */
  readonly limit: number | undefined;
}

export interface SqlQuery {
  readonly text: string;
  readonly values: unknown[];
}

const limitClause = (values: unknown[], limit: number | undefined) => {
  if (limit === undefined) return '';
  values.push(limit);
  return ` LIMIT $${values.length}`;
};

/** Cleaned readings of one series in [from, to), in (event time, event id) order after the cursor. */
export function rawReadingsSql(series: SeriesSelector, page: PageRequest): SqlQuery {
  const values: unknown[] = [
    series.version,
    series.feed,
    series.key,
    new Date(page.fromMs),
    new Date(page.toMs),
  ];
  let text = `SELECT event_time, event_id, value, unit, attributes FROM readings
    WHERE job_version = $1 AND feed = $2 AND key = $3 AND event_time >= $4 AND event_time < $5`;
  if (page.after !== undefined) {
    values.push(new Date(page.after.timeMs), page.after.id);
    text += ` AND (event_time, event_id) > ($6, $7)`;
  }
  text += ' ORDER BY event_time, event_id' + limitClause(values, page.limit);
  return { text, values };
}

/** The bucket of readings_1m, the per-minute rollup sink-postgres keeps beside readings. */
export const ROLLUP_MINUTE_MS = 60_000;

/**
 * Readings downsampled to buckets aligned to the epoch (`date_bin`): avg, min, max and count per
 * bucket. The cursor is the last bucket's start, so the next page starts at the next bucket. A bucket
 * of whole minutes is read from the rollup (see rolledUpReadingsSql), any other from the readings.
 */
export function bucketedReadingsSql(series: SeriesSelector, page: PageRequest, bucketMs: number): SqlQuery {
  const fromMs = page.after === undefined ? page.fromMs : Math.max(page.fromMs, page.after.timeMs + bucketMs);
  if (bucketMs % ROLLUP_MINUTE_MS === 0) return rolledUpReadingsSql(series, { ...page, fromMs }, bucketMs);
  const values: unknown[] = [
    series.version,
    series.feed,
    series.key,
    new Date(fromMs),
    new Date(page.toMs),
    `${bucketMs} milliseconds`,
  ];
  const text = `SELECT date_bin($6::interval, event_time, TIMESTAMPTZ 'epoch') AS bucket,
      avg(value) AS avg, min(value) AS min, max(value) AS max, count(*)::int AS count
    FROM readings
    WHERE job_version = $1 AND feed = $2 AND key = $3 AND event_time >= $4 AND event_time < $5
    GROUP BY bucket ORDER BY bucket${limitClause(values, page.limit)}`;
  return { text, values };
}

/**
 * The same buckets from readings_1m: the whole minutes of [from, to) come from the rollup (1,440 rows
 * a day instead of every reading), and the partial minutes at either end, when from or to is not on a
 * minute, from the readings themselves, each edge its own range scan. Every reading of the range is
 * counted exactly once, so count, min and max equal the raw aggregation's, and avg (sum of sums over
 * sum of counts) equals it up to the order of the float additions.
 */
function rolledUpReadingsSql(series: SeriesSelector, page: PageRequest, bucketMs: number): SqlQuery {
  // [from, wholeFrom) raw, [wholeFrom, wholeTo) rolled up, [wholeTo, to) raw; no whole minute: all raw.
  const wholeFromMs = Math.min(Math.ceil(page.fromMs / ROLLUP_MINUTE_MS) * ROLLUP_MINUTE_MS, page.toMs);
  const wholeToMs = Math.max(Math.floor(page.toMs / ROLLUP_MINUTE_MS) * ROLLUP_MINUTE_MS, wholeFromMs);
  const values: unknown[] = [
    series.version,
    series.feed,
    series.key,
    new Date(page.fromMs),
    new Date(wholeFromMs),
    new Date(wholeToMs),
    new Date(page.toMs),
    `${bucketMs} milliseconds`,
  ];
  const ofSeries = 'job_version = $1 AND feed = $2 AND key = $3';
  const text = `SELECT date_bin($8::interval, t, TIMESTAMPTZ 'epoch') AS bucket,
      sum(sum) / sum(count) AS avg, min(min) AS min, max(max) AS max, sum(count)::int AS count
    FROM (
      SELECT bucket AS t, count, sum, min, max FROM readings_1m
        WHERE ${ofSeries} AND bucket >= $5 AND bucket < $6
      UNION ALL
      SELECT event_time, 1, value, value, value FROM readings
        WHERE ${ofSeries} AND event_time >= $4 AND event_time < $5
      UNION ALL
      SELECT event_time, 1, value, value, value FROM readings
        WHERE ${ofSeries} AND event_time >= $6 AND event_time < $7
    ) AS parts
    GROUP BY bucket ORDER BY bucket${limitClause(values, page.limit)}`;
  return { text, values };
}

/** Window results of one job and series with a start in [from, to), in (start, end) order. */
export function rawWindowsSql(series: SeriesSelector & { job: string }, page: PageRequest): SqlQuery {
  const values: unknown[] = [
    series.job,
    series.version,
    series.feed,
    series.key,
    new Date(page.fromMs),
    new Date(page.toMs),
  ];
  let text = `SELECT window_start, window_end, event_count, avg, min, max, aggregates, firing
    FROM window_aggregates
    WHERE job = $1 AND job_version = $2 AND feed = $3 AND key = $4 AND window_start >= $5 AND window_start < $6`;
  if (page.after !== undefined) {
    values.push(new Date(page.after.timeMs), new Date(Number(page.after.id)));
    text += ` AND (window_start, window_end) > ($7, $8)`;
  }
  text += ' ORDER BY window_start, window_end' + limitClause(values, page.limit);
  return { text, values };
}

/** Window results merged into buckets by window start: count-weighted avg, min of mins, max of maxes. */
export function bucketedWindowsSql(
  series: SeriesSelector & { job: string },
  page: PageRequest,
  bucketMs: number,
): SqlQuery {
  const fromMs = page.after === undefined ? page.fromMs : Math.max(page.fromMs, page.after.timeMs + bucketMs);
  const values: unknown[] = [
    series.job,
    series.version,
    series.feed,
    series.key,
    new Date(fromMs),
    new Date(page.toMs),
    `${bucketMs} milliseconds`,
  ];
  const text = `SELECT date_bin($7::interval, window_start, TIMESTAMPTZ 'epoch') AS bucket,
      sum(avg * event_count) / nullif(sum(event_count) FILTER (WHERE avg IS NOT NULL), 0) AS avg,
      min(min) AS min, max(max) AS max, sum(event_count)::int AS count
    FROM window_aggregates
    WHERE job = $1 AND job_version = $2 AND feed = $3 AND key = $4 AND window_start >= $5 AND window_start < $6
    GROUP BY bucket ORDER BY bucket${limitClause(values, page.limit)}`;
  return { text, values };
}
