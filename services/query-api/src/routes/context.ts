import type { StateKeys } from '@tideline/contracts';
import type { QueryApiConfig } from '../config.ts';
import type { ResultCache } from '../query/result-cache.ts';

/** What every resource's routes need beyond the app's decorations (pg, redis, versions). */
export interface RouteContext {
  readonly config: QueryApiConfig;
  readonly keys: StateKeys;
  readonly cache: ResultCache;
}

/** Path prefix and feeds of the two kinds of series: instruments (geotech, sensors) and symbols. */
export const SeriesKind = {
  instruments: 'instruments',
  symbols: 'symbols',
} as const;
export type SeriesKind = (typeof SeriesKind)[keyof typeof SeriesKind];
