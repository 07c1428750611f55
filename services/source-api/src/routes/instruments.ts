import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  GeotechReadingDraftSchema,
  InstrumentCatalogueSchema,
  type GeotechReadingDraft,
  type InstrumentCatalogue,
} from '@tideline/contracts';
import { CommonErrorCodes, ServiceError } from '@tideline/service-kit';
import { FAULTABLE } from '../faults/availability.ts';
import { geotechDraft, lastReadingTimeMs } from '../feeds/geotech-feed.ts';
import type { RouteContext } from './context.ts';
import { ErrorBodySchema, errorResponses } from './schemas.ts';

const InstrumentParamsSchema = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64, description: 'Instrument id, e.g. BH-4493.' }) },
  { additionalProperties: false },
);

/** The instrument catalogue, with the alert and alarm levels Tideline defines, and each instrument's latest reading. */
export function registerInstrumentRoutes(app: FastifyInstance, { sim }: RouteContext): void {
  const catalogue: InstrumentCatalogue = { items: sim.catalogue.boreholes.map((b) => b.instrument) };
  app.get(
    '/v1/instruments',
    {
      config: FAULTABLE,
      schema: {
        tags: ['geotech'],
        summary: 'Every instrument: id, type, unit, location, surface level, alert and alarm levels',
        response: { 200: InstrumentCatalogueSchema, ...errorResponses },
      },
    },
    async () => catalogue,
  );

  app.get<{ Params: { id: string } }>(
    '/v1/instruments/:id/latest',
    {
      config: FAULTABLE,
      schema: {
        tags: ['geotech'],
        summary: "An instrument's last reading at or before now",
        params: InstrumentParamsSchema,
        response: { 200: GeotechReadingDraftSchema, 404: ErrorBodySchema, ...errorResponses },
      },
    },
    async (request): Promise<GeotechReadingDraft> => {
      const borehole = sim.catalogue.byId.get(request.params.id);
      if (borehole === undefined) {
        throw new ServiceError(CommonErrorCodes.notFound, `no instrument ${request.params.id}`, {
          statusCode: 404,
        });
      }
      const periodMs = sim.geotech.slotMs;
      return geotechDraft(
        sim.seed,
        borehole,
        lastReadingTimeMs(sim.seed, borehole, periodMs, sim.now()),
        sim.source,
      );
    },
  );
}
