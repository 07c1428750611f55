import type { SinkRecord } from '@tideline/sink-runtime';

/**
 * The history tables as the writers see them: columns in table order with their PostgreSQL types,
 * the primary key, and the columns an upsert replaces. One description, used by both write modes.
 */
export interface TableSpec {
  name: 'readings' | 'window_aggregates' | 'alerts' | 'series';
  columns: readonly { name: string; type: string }[];
  key: readonly string[];
  /** SET clause of ON CONFLICT DO UPDATE. */
  onConflict: string;
}

const replace = (columns: readonly string[]) => columns.map((c) => `${c} = EXCLUDED.${c}`).join(', ');

/** The columns a redelivered reading replaces (the rest is its key). */
export const ReadingsReplaced = ['measure', 'value', 'unit', 'source', 'attributes'] as const;

export const Readings: TableSpec = {
  name: 'readings',
  columns: [
    { name: 'job_version', type: 'int4' },
    { name: 'feed', type: 'text' },
    { name: 'key', type: 'text' },
    { name: 'event_time', type: 'timestamptz' },
    { name: 'event_id', type: 'text' },
    { name: 'measure', type: 'text' },
    { name: 'value', type: 'float8' },
    { name: 'unit', type: 'text' },
    { name: 'source', type: 'text' },
    { name: 'attributes', type: 'jsonb' },
  ],
  key: ['job_version', 'feed', 'key', 'event_time', 'event_id'],
  onConflict: replace(ReadingsReplaced),
};

export const WindowAggregates: TableSpec = {
  name: 'window_aggregates',
  columns: [
    { name: 'job', type: 'text' },
    { name: 'job_version', type: 'int4' },
    { name: 'feed', type: 'text' },
    { name: 'key', type: 'text' },
    { name: 'window_start', type: 'timestamptz' },
    { name: 'window_end', type: 'timestamptz' },
    { name: 'event_count', type: 'int4' },
    { name: 'avg', type: 'float8' },
    { name: 'min', type: 'float8' },
    { name: 'max', type: 'float8' },
    { name: 'aggregates', type: 'jsonb' },
    { name: 'firing', type: 'text' },
    { name: 'emitted_watermark_ms', type: 'int8' },
  ],
  key: ['job', 'job_version', 'feed', 'key', 'window_start', 'window_end'],
  // A later firing of a window replaces the earlier one (records arrive in offset order).
  onConflict: replace(['event_count', 'avg', 'min', 'max', 'aggregates', 'firing', 'emitted_watermark_ms']),
};

export const Alerts: TableSpec = {
  name: 'alerts',
  columns: [
    { name: 'job_version', type: 'int4' },
    { name: 'alert_id', type: 'text' },
    { name: 'feed', type: 'text' },
    { name: 'key', type: 'text' },
    { name: 'level', type: 'text' },
    { name: 'value', type: 'float8' },
    { name: 'thresholds', type: 'jsonb' },
    { name: 'event_time', type: 'timestamptz' },
    { name: 'message', type: 'text' },
  ],
  key: ['job_version', 'alert_id', 'event_time'],
  onConflict: replace(['feed', 'key', 'level', 'value', 'thresholds', 'message']),
};

export const Series: TableSpec = {
  name: 'series',
  columns: [
    { name: 'job_version', type: 'int4' },
    { name: 'feed', type: 'text' },
    { name: 'key', type: 'text' },
    { name: 'measure', type: 'text' },
    { name: 'unit', type: 'text' },
    { name: 'attributes', type: 'jsonb' },
    { name: 'first_event_time', type: 'timestamptz' },
    { name: 'last_event_time', type: 'timestamptz' },
  ],
  key: ['job_version', 'feed', 'key'],
  // The newest reading's measure, unit and attributes win; the time span only widens.
  onConflict: [
    ...['measure', 'unit', 'attributes'].map(
      (c) =>
        `${c} = CASE WHEN EXCLUDED.last_event_time >= series.last_event_time THEN EXCLUDED.${c} ELSE series.${c} END`,
    ),
    'first_event_time = LEAST(series.first_event_time, EXCLUDED.first_event_time)',
    'last_event_time = GREATEST(series.last_event_time, EXCLUDED.last_event_time)',
  ].join(', '),
};

/** A value as the pg driver sends it: text for timestamps (ISO 8601, exact to the ms), JSON text for jsonb. */
export type Cell = string | number | null;

/** Rows of one table, deduplicated on the key (the last record wins: it is the later firing). */
export interface TableRows {
  table: TableSpec;
  rows: Cell[][];
}

/** The partitioned tables and the column their partitions are ranged on. */
export const PartitionedBy = {
  readings: 'event_time',
  readings_1m: 'bucket',
  window_aggregates: 'window_start',
  alerts: 'event_time',
} as const;
export type PartitionedTable = keyof typeof PartitionedBy;

/** Tables written beside a record's table, on the same day: the per-minute rollup of readings. */
export const PartitionedWith: Partial<Record<PartitionedTable, readonly PartitionedTable[]>> = {
  readings: ['readings_1m'],
};

/** The rows a batch of records makes, table by table (series aggregated from the readings). */
export function rowsOf(records: readonly SinkRecord[]): TableRows[] {
  // Many records of a batch share a timestamp (every series reports each second): format each once.
  const times = new Map<number, string>();
  const iso = (ms: number): string => {
    let text = times.get(ms);
    if (text === undefined) times.set(ms, (text = new Date(ms).toISOString()));
    return text;
  };
  const readings = new Map<string, Cell[]>();
  const windows = new Map<string, Cell[]>();
  const alerts = new Map<string, Cell[]>();
  const series = new Map<string, { row: Cell[]; firstMs: number; lastMs: number }>();
  for (const record of records) {
    const v = record.meta.jobVersion;
    switch (record.kind) {
      case 'reading': {
        const r = record.value;
        const time = iso(r.eventTimeMs);
        const attributes = r.attributes === undefined ? null : JSON.stringify(r.attributes);
        readings.set(`${v}\u0001${r.feed}\u0001${r.key}\u0001${r.eventTimeMs}\u0001${r.eventId}`, [
          v,
          r.feed,
          r.key,
          time,
          r.eventId,
          r.measure,
          r.value,
          r.unit,
          r.source,
          attributes,
        ]);
        const seriesKey = `${v}\u0001${r.feed}\u0001${r.key}`;
        const known = series.get(seriesKey);
        if (!known) {
          series.set(seriesKey, {
            row: [v, r.feed, r.key, r.measure, r.unit, attributes, time, time],
            firstMs: r.eventTimeMs,
            lastMs: r.eventTimeMs,
          });
        } else {
          if (r.eventTimeMs < known.firstMs) {
            known.firstMs = r.eventTimeMs;
            known.row[6] = time;
          }
          if (r.eventTimeMs >= known.lastMs) {
            known.lastMs = r.eventTimeMs;
            known.row[3] = r.measure;
            known.row[4] = r.unit;
            known.row[5] = attributes;
            known.row[7] = time;
          }
        }
        break;
      }
      case 'window': {
        const w = record.value;
        const feed = record.meta.feed ?? 'unknown';
        const number = (name: string): number | null => {
          const value = w.aggregates[name];
          return typeof value === 'number' ? value : null;
        };
        windows.set(
          `${w.job}\u0001${v}\u0001${feed}\u0001${w.key}\u0001${w.windowStartMs}\u0001${w.windowEndMs}`,
          [
            w.job,
            v,
            feed,
            w.key,
            iso(w.windowStartMs),
            iso(w.windowEndMs),
            w.count,
            number('avg'),
            number('min'),
            number('max'),
            JSON.stringify(w.aggregates),
            w.firing,
            w.emittedAtWatermarkMs,
          ],
        );
        break;
      }
      case 'alert': {
        const a = record.value;
        alerts.set(`${v}\u0001${a.alertId}\u0001${a.eventTimeMs}`, [
          v,
          a.alertId,
          a.feed,
          a.key,
          a.level,
          a.value,
          JSON.stringify(a.thresholds),
          iso(a.eventTimeMs),
          a.message,
        ]);
        break;
      }
      default:
        break;
    }
  }
  // Series rows are sorted by key so that sinks sharing series (during a rebalance) lock them in the same
  // order. The other tables need no order: a key's rows come from one partition, owned by one consumer.
  const seriesRows = [...series.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, s]) => s.row);
  return [
    { table: Readings, rows: [...readings.values()] },
    { table: WindowAggregates, rows: [...windows.values()] },
    { table: Alerts, rows: [...alerts.values()] },
    { table: Series, rows: seriesRows },
  ].filter((t) => t.rows.length > 0);
}

/** The time a record's row is partitioned on, in epoch ms (undefined for kinds not stored). */
export function partitionTimeMs(record: SinkRecord): { table: PartitionedTable; ms: number } | undefined {
  switch (record.kind) {
    case 'reading':
      return { table: 'readings', ms: record.value.eventTimeMs };
    case 'window':
      return { table: 'window_aggregates', ms: record.value.windowStartMs };
    case 'alert':
      return { table: 'alerts', ms: record.value.eventTimeMs };
    default:
      return undefined;
  }
}
