// Tideline's Kibana saved objects (data views, visualizations, a saved search, three dashboards), written
// as code and rendered to saved-objects.ndjson by `node infra/kibana/generate.ts` (committed; a test fails
// when it is stale). Aggregation-based visualizations: their fields are explicit in `visState`, so a test
// can check every one against the mapping the Elasticsearch sink really creates.

/** The index prefix of the default deployment (SINK_ES_INDEX_PREFIX); import.ts can rewrite it. */
export const DEFAULT_PREFIX = 'tideline';

export interface SavedObject {
  id: string;
  type: 'index-pattern' | 'visualization' | 'search' | 'dashboard';
  attributes: Record<string, unknown>;
  references: { id: string; name: string; type: string }[];
}

interface Agg {
  id: string;
  type: string;
  schema: 'metric' | 'segment' | 'group' | 'split' | 'bucket';
  params: Record<string, unknown>;
}

const INDEX_REF = 'kibanaSavedObjectMeta.searchSourceJSON.index';
const dv = (view: string) => `${DEFAULT_PREFIX}-${view}`;

function dataView(id: string, title: string, name: string): SavedObject {
  return {
    id,
    type: 'index-pattern',
    attributes: { title, name, timeFieldName: '@timestamp' },
    references: [],
  };
}

function searchSource(query: string): string {
  return JSON.stringify({ query: { query, language: 'kuery' }, filter: [], indexRefName: INDEX_REF });
}

const metric = (id: string, type: string, field?: string, label?: string): Agg => ({
  id,
  type,
  schema: 'metric',
  params: { ...(field ? { field } : {}), ...(label ? { customLabel: label } : {}) },
});
const overTime = (id: string): Agg => ({
  id,
  type: 'date_histogram',
  schema: 'segment',
  params: { field: '@timestamp', interval: 'auto', min_doc_count: 1, extended_bounds: {} },
});
const termsOf = (id: string, field: string, schema: 'group' | 'split' | 'bucket', size = 10): Agg => ({
  id,
  type: 'terms',
  schema,
  params: { field, size, order: 'desc', orderBy: '_key', ...(schema === 'split' ? { row: true } : {}) },
});

function lineParams(metricIds: string[], mode: 'normal' | 'stacked' = 'normal') {
  return {
    type: 'line',
    grid: { categoryLines: false },
    categoryAxes: [
      {
        id: 'CategoryAxis-1',
        type: 'category',
        position: 'bottom',
        show: true,
        scale: { type: 'linear' },
        labels: { show: true, filter: true, truncate: 100 },
        title: {},
      },
    ],
    valueAxes: [
      {
        id: 'ValueAxis-1',
        name: 'LeftAxis-1',
        type: 'value',
        position: 'left',
        show: true,
        scale: { type: 'linear', mode: 'normal' },
        labels: { show: true, rotate: 0, filter: false, truncate: 100 },
        title: {},
      },
    ],
    seriesParams: metricIds.map((id) => ({
      show: true,
      type: 'line',
      mode,
      data: { id },
      valueAxis: 'ValueAxis-1',
      drawLinesBetweenPoints: true,
      lineWidth: 2,
      showCircles: true,
      interpolate: 'linear',
    })),
    addTooltip: true,
    addLegend: true,
    legendPosition: 'right',
    times: [],
    addTimeMarker: false,
    thresholdLine: { show: false, value: 10, width: 1, style: 'full', color: '#E7664C' },
    labels: {},
  };
}

function visualization(
  id: string,
  title: string,
  dataViewId: string,
  type: 'line' | 'histogram' | 'table' | 'metric',
  aggs: Agg[],
  query = '',
): SavedObject {
  const metricIds = aggs.filter((a) => a.schema === 'metric').map((a) => a.id);
  const params =
    type === 'line' || type === 'histogram'
      ? {
          ...lineParams(metricIds, type === 'histogram' ? 'stacked' : 'normal'),
          type,
          ...(type === 'histogram'
            ? {
                seriesParams: metricIds.map((mid) => ({
                  show: true,
                  type: 'histogram',
                  mode: 'stacked',
                  data: { id: mid },
                  valueAxis: 'ValueAxis-1',
                })),
              }
            : {}),
        }
      : type === 'table'
        ? {
            perPage: 20,
            showPartialRows: false,
            showMetricsAtAllLevels: false,
            showTotal: false,
            totalFunc: 'sum',
            percentageCol: '',
          }
        : {
            addTooltip: true,
            addLegend: false,
            type: 'metric',
            metric: {
              percentageMode: false,
              useRanges: false,
              colorSchema: 'Green to Red',
              metricColorMode: 'None',
              colorsRange: [{ from: 0, to: 10000 }],
              labels: { show: true },
              invertColors: false,
              style: { bgFill: '#000', bgColor: false, labelColor: false, subText: '', fontSize: 60 },
            },
          };
  return {
    id,
    type: 'visualization',
    attributes: {
      title,
      description: '',
      version: 1,
      uiStateJSON: '{}',
      visState: JSON.stringify({ title, type, params, aggs: aggs.map((a) => ({ ...a, enabled: true })) }),
      kibanaSavedObjectMeta: { searchSourceJSON: searchSource(query) },
    },
    references: [{ id: dataViewId, name: INDEX_REF, type: 'index-pattern' }],
  };
}

function savedSearch(
  id: string,
  title: string,
  dataViewId: string,
  columns: string[],
  query: string,
): SavedObject {
  return {
    id,
    type: 'search',
    attributes: {
      title,
      description: '',
      columns,
      sort: [['@timestamp', 'desc']],
      kibanaSavedObjectMeta: { searchSourceJSON: searchSource(query) },
    },
    references: [{ id: dataViewId, name: INDEX_REF, type: 'index-pattern' }],
  };
}

function dashboard(
  id: string,
  title: string,
  description: string,
  panels: { ref: SavedObject; w: number; h: number }[],
): SavedObject {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const panelsJSON = panels.map((panel, i) => {
    if (x + panel.w > 48) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const entry = {
      panelIndex: String(i + 1),
      gridData: { x, y, w: panel.w, h: panel.h, i: String(i + 1) },
      version: '8.14.3',
      type: panel.ref.type,
      panelRefName: `panel_${i + 1}`,
      embeddableConfig: {},
    };
    x += panel.w;
    rowHeight = Math.max(rowHeight, panel.h);
    return entry;
  });
  return {
    id,
    type: 'dashboard',
    attributes: {
      title,
      description,
      panelsJSON: JSON.stringify(panelsJSON),
      optionsJSON: JSON.stringify({ useMargins: true, syncColors: false, hidePanelTitles: false }),
      timeRestore: true,
      timeFrom: 'now-1h',
      timeTo: 'now',
      refreshInterval: { pause: false, value: 10_000 },
      kibanaSavedObjectMeta: {
        searchSourceJSON: JSON.stringify({ query: { query: '', language: 'kuery' }, filter: [] }),
      },
    },
    references: panels.map((panel, i) => ({
      id: panel.ref.id,
      name: `panel_${i + 1}`,
      type: panel.ref.type,
    })),
  };
}

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
