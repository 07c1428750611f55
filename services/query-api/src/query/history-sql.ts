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

/**
 * Readings downsampled to buckets aligned to the epoch (`date_bin`): avg, min, max and count per
 * bucket. The cursor is the last bucket's start, so the next page starts at the next bucket.
 */
export function bucketedReadingsSql(series: SeriesSelector, page: PageRequest, bucketMs: number): SqlQuery {
  const fromMs = page.after === undefined ? page.fromMs : Math.max(page.fromMs, page.after.timeMs + bucketMs);
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
