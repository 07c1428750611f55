/**
 * The value sets of the contracts, each written once as an `as const` object: the TypeScript union
 * and the JSON Schema enum are both derived from it.
 */

/** Version of every event shape in this package; bumped only with a new, versioned topic. */
export const SCHEMA_VERSION = 1;

export const Feed = {
  geotech: 'geotech',
  market: 'market',
  sensors: 'sensors',
} as const;
export type Feed = (typeof Feed)[keyof typeof Feed];

export const InstrumentType = {
  waterStandpipe: 'water_standpipe',
  piezometer: 'piezometer',
  settlementMarker: 'settlement_marker',
  extensometer: 'extensometer',
  strainGauge: 'strain_gauge',
} as const;
export type InstrumentType = (typeof InstrumentType)[keyof typeof InstrumentType];

export const TradeSide = {
  buy: 'BUY',
  sell: 'SELL',
} as const;
export type TradeSide = (typeof TradeSide)[keyof typeof TradeSide];

export const AlertLevel = {
  alert: 'alert',
  alarm: 'alarm',
  missingData: 'missing_data',
  cleared: 'cleared',
} as const;
export type AlertLevel = (typeof AlertLevel)[keyof typeof AlertLevel];

/** How a window result was emitted: the one final result, an update, or the retraction of an earlier one. */
export const WindowFiring = {
  final: 'final',
  update: 'update',
  retraction: 'retraction',
} as const;
export type WindowFiring = (typeof WindowFiring)[keyof typeof WindowFiring];

/** The stage that gave up on a record; each has its own `dlq.<stage>` topic. */
export const DeadLetterStage = {
  ingest: 'ingest',
  processor: 'processor',
  sinkPostgres: 'sink-postgres',
  sinkElasticsearch: 'sink-elasticsearch',
} as const;
export type DeadLetterStage = (typeof DeadLetterStage)[keyof typeof DeadLetterStage];

/** Every value of an `as const` map, in declaration order, typed as the union. */
export function valuesOf<T extends Record<string, string>>(map: T): T[keyof T][] {
  return Object.values(map) as T[keyof T][];
}
