// Tideline's Kibana saved objects (data views, visualizations, a saved search, three dashboards), written
// as code and rendered to saved-objects.ndjson by `node infra/kibana/generate.ts` (committed; a test fails
// when it is stale). Aggregation-based visualizations: their fields are explicit in `visState`, so a test
// can check every one against the mapping the Elasticsearch sink really creates.
import {
  dashboard,
  dataView,
  dv,
  metric,
  overTime,
  savedSearch,
  termsOf,
  visualization,
  type SavedObject,
} from './saved-object-builders.ts';

export { DEFAULT_PREFIX } from './saved-object-builders.ts';
export type { SavedObject } from './saved-object-builders.ts';

/** Every saved object, in import order (data views first). */
export function savedObjects(): SavedObject[] {
  const readings = dataView('tideline-readings', dv('readings'), 'Tideline readings');
  const windows = dataView('tideline-windows', dv('windows'), 'Tideline window aggregates');
  const alerts = dataView('tideline-alerts', dv('alerts'), 'Tideline alerts');
  const late = dataView('tideline-late', dv('late'), 'Tideline late records');
  const deadLetters = dataView('tideline-deadletters', dv('deadletters'), 'Tideline dead letters');
  const sinkMetrics = dataView('tideline-sinkmetrics', dv('sinkmetrics'), 'Tideline sink figures');
  // Readings and window results together: price against its moving averages in one chart.
  const market = dataView(
    'tideline-market',
    `${dv('readings')},${dv('windows')}`,
    'Tideline market (readings and windows)',
  );

  const geoReadings = visualization(
    'tideline-geotech-readings-levels',
    'Geotechnical readings with alert and alarm levels, per instrument type',
    readings.id,
    'line',
    [
      metric('1', 'avg', 'value', 'reading'),
      metric('2', 'max', 'attributes.alertLevel', 'alert level'),
      metric('3', 'max', 'attributes.alarmLevel', 'alarm level'),
      overTime('4'),
      termsOf('5', 'measure', 'split'),
    ],
    'feed : "geotech"',
  );
  const geoLatest = visualization(
    'tideline-geotech-latest',
    'Latest value per instrument',
    readings.id,
    'table',
    [
      {
        id: '1',
        type: 'top_hits',
        schema: 'metric',
        params: {
          field: 'value',
          aggregate: 'concat',
          size: 1,
          sortField: '@timestamp',
          sortOrder: 'desc',
          customLabel: 'latest value',
        },
      },
      {
        id: '2',
        type: 'top_hits',
        schema: 'metric',
        params: {
          field: 'attributes.alertLevel',
          aggregate: 'concat',
          size: 1,
          sortField: '@timestamp',
          sortOrder: 'desc',
          customLabel: 'alert level',
        },
      },
      {
        id: '3',
        type: 'top_hits',
        schema: 'metric',
        params: {
          field: 'attributes.alarmLevel',
          aggregate: 'concat',
          size: 1,
          sortField: '@timestamp',
          sortOrder: 'desc',
          customLabel: 'alarm level',
        },
      },
      metric('4', 'max', '@timestamp', 'last reading at'),
      termsOf('5', 'measure', 'bucket', 10),
      termsOf('6', 'key', 'bucket', 500),
    ],
    'feed : "geotech"',
  );
  const geoAlertsOverTime = visualization(
    'tideline-geotech-alerts-by-level',
    'Alerts by level',
    alerts.id,
    'histogram',
    [metric('1', 'count'), overTime('2'), termsOf('3', 'level', 'group', 5)],
    'feed : "geotech"',
  );
  const geoAlertsTable = savedSearch(
    'tideline-geotech-alerts-table',
    'Geotechnical alerts',
    alerts.id,
    ['key', 'level', 'value', 'thresholds.alertLevel', 'thresholds.alarmLevel', 'message'],
    'feed : "geotech"',
  );

  const priceVsAverages = visualization(
    'tideline-market-price-moving-averages',
    'Price against moving averages (SMA, EMA, 3 s window average), per symbol',
    market.id,
    'line',
    [
      metric('1', 'avg', 'value', 'price'),
      metric('2', 'avg', 'aggregates.sma', 'SMA'),
      metric('3', 'avg', 'aggregates.ema', 'EMA'),
      metric('4', 'avg', 'aggregates.avg', 'window average'),
      overTime('5'),
      termsOf('6', 'key', 'split', 10),
    ],
    'feed : "market"',
  );
  const band = visualization(
    'tideline-market-min-max-band',
    'Min / max band of the 3 s hopping windows, per symbol',
    windows.id,
    'line',
    [
      metric('1', 'min', 'aggregates.min', 'min'),
      metric('2', 'max', 'aggregates.max', 'max'),
      metric('3', 'avg', 'aggregates.avg', 'avg'),
      overTime('4'),
      termsOf('5', 'key', 'split', 10),
    ],
    'job : "market-hopping"',
  );
  const volume = visualization(
    'tideline-market-volume',
    'Traded quantity per symbol',
    readings.id,
    'histogram',
    [metric('1', 'sum', 'attributes.quantity', 'quantity'), overTime('2'), termsOf('3', 'key', 'group', 10)],
    'feed : "market"',
  );

  const throughput = visualization(
    'tideline-health-throughput',
    'Throughput: cleaned readings and window results indexed, per feed',
    readings.id,
    'histogram',
    [metric('1', 'count'), overTime('2'), termsOf('3', 'feed', 'group', 5)],
  );
  const sinkRate = visualization(
    'tideline-health-sink-rate',
    'Elasticsearch sink: records written per second',
    sinkMetrics.id,
    'line',
    [
      metric('1', 'avg', 'recordsPerSecond', 'records/s'),
      overTime('2'),
      termsOf('3', 'instance', 'group', 10),
    ],
  );
  const lag = visualization(
    'tideline-health-lag',
    'Consumer lag of the Elasticsearch sink (records)',
    sinkMetrics.id,
    'line',
    [metric('1', 'max', 'lagRecords', 'lag (records)'), overTime('2'), termsOf('3', 'sink', 'group', 5)],
  );
  const latency = visualization(
    'tideline-health-latency',
    'End-to-end latency: raw append to indexed (ms)',
    readings.id,
    'line',
    [
      metric('1', 'avg', 'latencyMs', 'avg latency'),
      metric('2', 'max', 'latencyMs', 'max latency'),
      overTime('3'),
    ],
  );
  const lateRecords = visualization('tideline-health-late', 'Late records per job', late.id, 'histogram', [
    metric('1', 'count'),
    overTime('2'),
    termsOf('3', 'job', 'group', 10),
  ]);
  const deadLettered = visualization(
    'tideline-health-dead-letters',
    'Dead-lettered records per stage',
    deadLetters.id,
    'histogram',
    [metric('1', 'count'), overTime('2'), termsOf('3', 'stage', 'group', 10)],
  );
  const deadLetterReasons = visualization(
    'tideline-health-dead-letter-reasons',
    'Dead letters by stage and reason code',
    deadLetters.id,
    'table',
    [metric('1', 'count'), termsOf('2', 'stage', 'bucket', 10), termsOf('3', 'reasonCode', 'bucket', 20)],
  );

  return [
    readings,
    windows,
    alerts,
    late,
    deadLetters,
    sinkMetrics,
    market,
    geoReadings,
    geoLatest,
    geoAlertsOverTime,
    geoAlertsTable,
    priceVsAverages,
    band,
    volume,
    throughput,
    sinkRate,
    lag,
    latency,
    lateRecords,
    deadLettered,
    deadLetterReasons,
    dashboard(
      'tideline-geotech',
      'Tideline: geotechnical monitoring',
      'Readings per instrument type against alert and alarm levels, latest values, alerts.',
      [
        { ref: geoReadings, w: 48, h: 18 },
        { ref: geoLatest, w: 24, h: 16 },
        { ref: geoAlertsOverTime, w: 24, h: 16 },
        { ref: geoAlertsTable, w: 48, h: 16 },
      ],
    ),
    dashboard(
      'tideline-market',
      'Tideline: market data',
      'Price against SMA / EMA / window averages, and the min / max band, per symbol.',
      [
        { ref: priceVsAverages, w: 48, h: 20 },
        { ref: band, w: 32, h: 16 },
        { ref: volume, w: 16, h: 16 },
      ],
    ),
    dashboard(
      'tideline-pipeline-health',
      'Tideline: pipeline health',
      'Throughput, sink rate and lag, end-to-end latency, late and dead-lettered records.',
      [
        { ref: throughput, w: 24, h: 14 },
        { ref: sinkRate, w: 24, h: 14 },
        { ref: lag, w: 24, h: 14 },
        { ref: latency, w: 24, h: 14 },
        { ref: lateRecords, w: 16, h: 14 },
        { ref: deadLettered, w: 16, h: 14 },
        { ref: deadLetterReasons, w: 16, h: 14 },
      ],
    ),
  ];
}

/** The NDJSON Kibana's saved-objects import API takes: one object per line. */
export function renderNdjson(objects: readonly SavedObject[] = savedObjects()): string {
  return objects.map((o) => JSON.stringify(o)).join('\n') + '\n';
}
