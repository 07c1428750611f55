import type { FastifyInstance } from 'fastify';
import {
  GeotechReadingPageSchema,
  SourceTemperaturePageSchema,
  SourceTradePageSchema,
} from '@tideline/contracts';
import { ServiceError } from '@tideline/service-kit';
import { SourceApiErrorCodes } from '../errors.ts';
import { FAULTABLE } from '../faults/availability.ts';
import type { RouteContext } from './context.ts';
import {
  errorResponses,
  MarketQuerySchema,
  PageQuerySchema,
  type MarketQuery,
  type PageQuery,
} from './schemas.ts';
import { servePage, type PageBody } from './serve-page.ts';

const CURSOR_NOTE =
  'Pass `nextCursor` back as `since` for the items that follow: no gap, no overlap, and the same cursor gives the same items unless faults are on.';

/** The versioned, cursor-paged feeds ingest polls. */
export function registerFeedRoutes(app: FastifyInstance, { sim, metrics }: RouteContext): void {
  app.get<{ Querystring: PageQuery }>(
    '/v1/geotech/readings',
    {
      config: FAULTABLE,
      schema: {
        tags: ['geotech'],
        summary: 'Readings of every instrument, in arrival order (GeotechReading without eventId)',
        description: CURSOR_NOTE,
        querystring: PageQuerySchema,
        response: { 200: GeotechReadingPageSchema, ...errorResponses },
      },
    },
    async (request): Promise<PageBody> => servePage(sim, sim.geotech, metrics, request.query),
  );

  const symbolIndex = new Map(sim.market.models.map((model, i) => [model.symbol, i]));
  app.get<{ Querystring: MarketQuery }>(
    '/v1/market/trades',
    {
      config: FAULTABLE,
      schema: {
        tags: ['market'],
        summary: 'Trades of the symbol universe, about one a second per symbol',
        description: CURSOR_NOTE,
        querystring: MarketQuerySchema,
        response: { 200: SourceTradePageSchema, ...errorResponses },
      },
    },
    async (request): Promise<PageBody> => {
      const { symbols, ...page } = request.query;
      let accept: ((entity: number) => boolean) | undefined;
      if (symbols !== undefined) {
        const wanted = symbols.split(',').map((s) => s.toUpperCase());
        const unknown = wanted.filter((s) => !symbolIndex.has(s));
        if (unknown.length > 0) {
          throw new ServiceError(
            SourceApiErrorCodes.unknownSymbol,
            `unknown symbols: ${unknown.join(', ')}`,
            {
              statusCode: 400,
              details: { unknown, known: [...symbolIndex.keys()] },
            },
          );
        }
        const entities = new Set(wanted.map((s) => symbolIndex.get(s)));
        accept = (entity) => entities.has(entity);
      }
      return servePage(sim, sim.market, metrics, page, accept);
    },
  );

  app.get<{ Querystring: PageQuery }>(
    '/v1/sensors/temperature',
    {
      config: FAULTABLE,
      schema: {
        tags: ['sensors'],
        summary: 'Temperature reports of Node 1, 2 and 3 (every 5, 7 and 11 s)',
        description: CURSOR_NOTE,
        querystring: PageQuerySchema,
        response: { 200: SourceTemperaturePageSchema, ...errorResponses },
      },
    },
    async (request): Promise<PageBody> => servePage(sim, sim.sensors, metrics, request.query),
  );
}
