import type { FastifyInstance } from 'fastify';
import {
  InstrumentType,
  LegacyGeotechEnvelopeSchema,
  LegacyGeotechRoutes,
  valuesOf,
  type LegacyGeotechEnvelope,
} from '@tideline/contracts';
import { FAULTABLE } from '../faults/availability.ts';
import { malform, nullify, type CorruptionSpec } from '../faults/corrupt.ts';
import { geotechReading } from '../sim/geotech-model.ts';
import { hash, Stream, uniform } from '../sim/random.ts';
import type { RouteContext } from './context.ts';
import { errorResponses } from './schemas.ts';

const corruption: CorruptionSpec = {
  numbers: ['reading', 'surface_level', 'northing', 'easting'],
  time: { field: 'timestamp', format: 'iso' },
  strings: ['borehole_number', 'instrument'],
};

/**
 * The original geotechnical API, route for route and key for key: each answers a snapshot of every
 * borehole of its type read at request time (simulated now), all stamped with that time.
 */
export function registerLegacyGeotechRoutes(app: FastifyInstance, { sim, metrics }: RouteContext): void {
  for (const [typeIndex, type] of valuesOf(InstrumentType).entries()) {
    const { path, units } = LegacyGeotechRoutes[type];
    app.get(
      path,
      {
        config: FAULTABLE,
        schema: {
          tags: ['legacy geotech'],
          summary: `Every ${type} borehole, read now (the original API's envelope)`,
          response: { 200: LegacyGeotechEnvelopeSchema, ...errorResponses },
        },
      },
      async (): Promise<LegacyGeotechEnvelope> => {
        const nowMs = sim.now();
        const timestamp = new Date(nowMs).toISOString();
        const faults = sim.faults.settings;
        const salt = 10 + typeIndex;
        const items = sim.catalogue.byType[type].map((borehole, i) => {
          const item: Record<string, unknown> = {
            borehole_number: borehole.instrument.id,
            instrument: type,
            surface_level: borehole.instrument.surfaceLevelM,
            northing: borehole.instrument.location.northing,
            easting: borehole.instrument.location.easting,
            reading: geotechReading(sim.seed, borehole, nowMs),
            timestamp,
          };
          if (faults.nullRate > 0 && uniform(sim.seed, Stream.faultNull, salt, nowMs, i) < faults.nullRate) {
            metrics.faultsInjected.inc({ fault: 'null' });
            return nullify(item, corruption, hash(sim.seed, Stream.faultVariant, salt, nowMs, i));
          }
          if (
            faults.malformedRate > 0 &&
            uniform(sim.seed, Stream.faultMalformed, salt, nowMs, i) < faults.malformedRate
          ) {
            metrics.faultsInjected.inc({ fault: 'malformed' });
            return malform(item, corruption, hash(sim.seed, Stream.faultVariant, salt, nowMs, -i - 1));
          }
          return item;
        });
        metrics.itemsServed.inc({ feed: 'geotech' }, items.length);
        // Faulty items are served as they are: the response schema documents the well-formed shape.
        return { instruments: items.length, units, timezone: 'UTC', items } as LegacyGeotechEnvelope;
      },
    );
  }
}
