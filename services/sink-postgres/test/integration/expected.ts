import type { FixtureMessage } from '@tideline/sink-runtime';
import { parseTopicName, type Feed } from '@tideline/contracts';

/**
 * The rows the input should leave, one per primary key (later firings replace earlier ones), in the
 * shape `SELECT`s below return them: what "rows equal the input records, value for value" compares.
 */
export function expectedRows(messages: readonly FixtureMessage[], namespace: string) {
  const readings = new Map<string, unknown>();
  const windows = new Map<string, unknown>();
  const alerts = new Map<string, unknown>();
  for (const m of messages) {
    const spec = parseTopicName(m.topic.slice(namespace.length + 1));
    const version = spec && 'version' in spec && spec.version ? spec.version : 1;
    const feed = spec && 'feed' in spec ? (spec.feed as Feed) : undefined;
    const r = m.record;
    if (r.kind === 'reading') {
      const v = r.value;
      readings.set(`${version}|${v.feed}|${v.key}|${v.eventTimeMs}|${v.eventId}`, {
        job_version: version,
        feed: v.feed,
        key: v.key,
        event_time_ms: v.eventTimeMs,
        event_id: v.eventId,
        measure: v.measure,
        value: v.value,
        unit: v.unit,
        source: v.source,
        attributes: v.attributes ?? null,
      });
    } else if (r.kind === 'window') {
      const w = r.value;
      windows.set(`${w.job}|${version}|${feed}|${w.key}|${w.windowStartMs}|${w.windowEndMs}`, {
        job: w.job,
        job_version: version,
        feed,
        key: w.key,
        window_start_ms: w.windowStartMs,
        window_end_ms: w.windowEndMs,
        event_count: w.count,
        avg: w.aggregates.avg ?? null,
        min: w.aggregates.min ?? null,
        max: w.aggregates.max ?? null,
        aggregates: w.aggregates,
        firing: w.firing,
        emitted_watermark_ms: w.emittedAtWatermarkMs,
      });
    } else if (r.kind === 'alert') {
      const a = r.value;
      alerts.set(`${version}|${a.alertId}|${a.eventTimeMs}`, {
        job_version: version,
        alert_id: a.alertId,
        feed: a.feed,
        key: a.key,
        level: a.level,
        value: a.value,
        thresholds: a.thresholds,
        event_time_ms: a.eventTimeMs,
        message: a.message,
      });
    }
  }
  const sorted = (map: Map<string, unknown>) =>
    [...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
  return { readings: sorted(readings), windows: sorted(windows), alerts: sorted(alerts) };
}

/** The same shape, read from the tables (times as epoch ms, sorted like expectedRows). */
export const selectRows = {
  readings: `SELECT job_version, feed, key, (extract(epoch FROM event_time) * 1000)::bigint::float8 AS event_time_ms, event_id,
                    measure, value, unit, source, attributes
               FROM readings`,
  windows: `SELECT job, job_version, feed, key, (extract(epoch FROM window_start) * 1000)::bigint::float8 AS window_start_ms,
                   (extract(epoch FROM window_end) * 1000)::bigint::float8 AS window_end_ms, event_count, avg, min, max,
                   aggregates, firing, emitted_watermark_ms::float8 AS emitted_watermark_ms
              FROM window_aggregates`,
  alerts: `SELECT job_version, alert_id, feed, key, level, value, thresholds,
                  (extract(epoch FROM event_time) * 1000)::bigint::float8 AS event_time_ms, message
             FROM alerts`,
};

export function sortRows<T extends Record<string, unknown>>(rows: T[], keys: readonly (keyof T)[]): T[] {
  const k = (row: T) => keys.map((key) => String(row[key])).join('|');
  return [...rows].sort((a, b) => (k(a) < k(b) ? -1 : 1));
}
