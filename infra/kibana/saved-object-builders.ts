// Builders of Kibana saved objects (data views, aggregation-based visualizations, saved searches,
// dashboards) in the shapes Kibana's saved-objects import accepts; saved-objects.ts uses them.

/** The index prefix of the default deployment (SINK_ES_INDEX_PREFIX); import.ts can rewrite it. */
export const DEFAULT_PREFIX = 'tideline';

export interface SavedObject {
  id: string;
  type: 'index-pattern' | 'visualization' | 'search' | 'dashboard';
  attributes: Record<string, unknown>;
  references: { id: string; name: string; type: string }[];
}

export interface Agg {
  id: string;
  type: string;
  schema: 'metric' | 'segment' | 'group' | 'split' | 'bucket';
  params: Record<string, unknown>;
}

const INDEX_REF = 'kibanaSavedObjectMeta.searchSourceJSON.index';
/** A data view's title: the sink's alias of `view` under the default prefix. */
export const dv = (view: string) => `${DEFAULT_PREFIX}-${view}`;

export function dataView(id: string, title: string, name: string): SavedObject {
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

export const metric = (id: string, type: string, field?: string, label?: string): Agg => ({
  id,
  type,
  schema: 'metric',
  params: { ...(field ? { field } : {}), ...(label ? { customLabel: label } : {}) },
});
export const overTime = (id: string): Agg => ({
  id,
  type: 'date_histogram',
  schema: 'segment',
  params: { field: '@timestamp', interval: 'auto', min_doc_count: 1, extended_bounds: {} },
});
export const termsOf = (id: string, field: string, schema: 'group' | 'split' | 'bucket', size = 10): Agg => ({
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

export function visualization(
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

export function savedSearch(
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

export function dashboard(
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
