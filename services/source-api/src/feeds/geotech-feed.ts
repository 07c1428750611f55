import type { GeotechReadingDraft } from '@tideline/contracts';
import type { Borehole, Catalogue } from '../sim/catalogue.ts';
import { geotechReading } from '../sim/geotech-model.ts';
import { hashString, Stream, uniform } from '../sim/random.ts';
import type { Entry, FeedModel } from './feed.ts';

export interface GeotechFeedOptions {
  seed: number;
  catalogue: Catalogue;
  /** Every borehole reports once per period, at its own fixed phase within it. */
  periodMs: number;
  source: string;
}

/** The versioned geotech feed: every instrument of the catalogue, one reading per period. */
export function createGeotechFeed(options: GeotechFeedOptions): FeedModel<GeotechReadingDraft> {
  const { seed, catalogue, periodMs, source } = options;
  const boreholes = catalogue.boreholes;
  const phases = boreholes.map((b) => Math.floor(uniform(seed, Stream.phase, b.index, periodMs) * periodMs));
  // Loggers report at fixed phases, so every slot lists the boreholes in the same order.
  const order = boreholes.map((b) => b.index).sort((a, b) => (phases[a] ?? 0) - (phases[b] ?? 0) || a - b);
  return {
    feed: 'geotech',
    salt: 1,
    slotMs: periodMs,
    fingerprint: hashString(`geotech|${seed}|${periodMs}|${boreholes.length}`).toString(36),
    entityCount: boreholes.length,
    entries(slot: number): Entry[] {
      const startMs = slot * periodMs;
      return order.map((entity) => {
        const timeMs = startMs + (phases[entity] ?? 0);
        return { entity, timeMs, availableAtMs: timeMs, flags: 0 };
      });
    },
    item: (entity, timeMs) => geotechDraft(seed, boreholes[entity] as Borehole, timeMs, source),
    corruption: {
      numbers: ['value', 'surfaceLevelM', 'northing', 'easting'],
      time: { field: 'eventTimeMs', format: 'epochMs' },
      strings: ['instrumentId', 'unit'],
    },
  };
}

/** A borehole's reading at a time, in the normalized form ingest produces (without the id it adds). */
export function geotechDraft(
  seed: number,
  borehole: Borehole,
  timeMs: number,
  source: string,
): GeotechReadingDraft {
  const { instrument } = borehole;
  return {
    schemaVersion: 1,
    feed: 'geotech',
    instrumentId: instrument.id,
    instrumentType: instrument.type,
    value: geotechReading(seed, borehole, timeMs),
    unit: instrument.unit,
    eventTimeMs: timeMs,
    surfaceLevelM: instrument.surfaceLevelM,
    northing: instrument.location.northing,
    easting: instrument.location.easting,
    source,
  };
}

/** The time of a borehole's last reading at or before `nowMs` in a feed of this period. */
export function lastReadingTimeMs(seed: number, borehole: Borehole, periodMs: number, nowMs: number): number {
  const phase = Math.floor(uniform(seed, Stream.phase, borehole.index, periodMs) * periodMs);
  return Math.floor((nowMs - phase) / periodMs) * periodMs + phase;
}
