import type { GeotechReadingDraft, SourceTemperature } from '@tideline/contracts';
import type { SourceApiConfig } from './config.ts';
import { FaultState, type FaultSettings } from './faults/fault-settings.ts';
import type { FeedModel } from './feeds/feed.ts';
import { createGeotechFeed } from './feeds/geotech-feed.ts';
import { createMarketFeed } from './feeds/market-feed.ts';
import { createSensorFeed } from './feeds/sensor-feed.ts';
import { buildCatalogue, type Catalogue } from './sim/catalogue.ts';

/** Wall-clock milliseconds since the epoch; tests pass a fixed or stepping one. */
export type Clock = () => number;

/** Everything the routes serve from: the seed's instruments and feeds, simulated time, and the faults. */
export interface Simulation {
  seed: number;
  source: string;
  historyMs: number;
  catalogue: Catalogue;
  geotech: FeedModel<GeotechReadingDraft>;
  market: ReturnType<typeof createMarketFeed>;
  sensors: FeedModel<SourceTemperature>;
  faults: FaultState;
  /** The wall clock (outages are wall-clock deadlines). */
  clock: Clock;
  /** Simulated now: the wall clock, or SIM_START_MS advanced SIM_SPEED times faster since start-up. */
  now(): number;
}

export function createSimulation(config: SourceApiConfig, clock: Clock): Simulation {
  const seed = config.SEED;
  const catalogue = buildCatalogue(seed);
  const bootMs = clock();
  const simStartMs = config.SIM_START_MS;
  const speed = config.SIM_SPEED;
  const initialFaults: FaultSettings = {
    nullRate: config.FAULT_NULL_RATE,
    malformedRate: config.FAULT_MALFORMED_RATE,
    duplicateRate: config.FAULT_DUPLICATE_RATE,
    outOfOrderRate: config.FAULT_OUT_OF_ORDER_RATE,
    lateRate: config.FAULT_LATE_RATE,
    lateByMs: config.FAULT_LATE_BY_MS,
    burstRate: config.FAULT_BURST_RATE,
    burstSize: config.FAULT_BURST_SIZE,
    delayMs: config.FAULT_DELAY_MS,
    errorRate: config.FAULT_ERROR_RATE,
    outageUntilMs: config.FAULT_OUTAGE_FOR_MS > 0 ? bootMs + config.FAULT_OUTAGE_FOR_MS : 0,
  };
  return {
    seed,
    source: config.SOURCE_NAME,
    historyMs: config.HISTORY_MS,
    catalogue,
    geotech: createGeotechFeed({
      seed,
      catalogue,
      periodMs: config.GEOTECH_PERIOD_MS,
      source: config.SOURCE_NAME,
    }),
    market: createMarketFeed({
      seed,
      symbols: [...new Set(config.SYMBOLS.split(','))],
      intervalMs: config.MARKET_INTERVAL_MS,
    }),
    sensors: createSensorFeed({ seed, dropoutProbability: config.SENSOR_DROPOUT_PROBABILITY }),
    faults: new FaultState(initialFaults),
    clock,
    now: simStartMs === undefined ? clock : () => Math.floor(simStartMs + (clock() - bootMs) * speed),
  };
}
