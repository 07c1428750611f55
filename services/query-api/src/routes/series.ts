// Instruments (geotech instruments, sensor nodes) and symbols: lists and details, from the series table.
import { Type } from '@sinclair/typebox';
import { Feed } from '@tideline/contracts';
import { CommonErrorCodes, ServiceError } from '@tideline/service-kit';
import type { FastifyInstance } from 'fastify';
import { badRequest, QueryErrorCode } from '../errors.ts';
import { Scope } from '../plugins/auth.ts';
import { query } from '../plugins/pg.ts';
import { decodeCursor, encodeCursor } from '../query/cursor.ts';
import type { RouteContext } from './context.ts';
import {
  AttributesSchema,
  CursorSchema,
  InstrumentFeedSchema,
  InstrumentIdSchema,
  NextCursorSchema,
  SymbolSchema,
  withErrors,
} from './schemas.ts';

export const SeriesSchema = Type.Object(
  {
    feed: Type.String(),
    key: Type.String(),
    type: Type.String({ description: 'What the series measures: instrument type, price or temperature' }),
    unit: Type.String(),
    version: Type.Integer({ description: 'The job output version served' }),
    attributes: AttributesSchema,
    firstEventTimeMs: Type.Integer(),
    lastEventTimeMs: Type.Integer(),
  },
  { $id: 'Series', title: 'Series' },
);

const PageSchema = Type.Object({ items: Type.Array(Type.Ref('Series')), nextCursor: NextCursorSchema });

interface SeriesRow {
  feed: string;
  key: string;
  measure: string;
  unit: string;
  job_version: number;
  attributes: Record<string, string | number | boolean | null> | null;
  first_event_time: Date;
  last_event_time: Date;
}

const COLUMNS = 'feed, key, measure, unit, job_version, attributes, first_event_time, last_event_time';
// Each feed is read at its own serving version: (feed, job_version) pairs come as two arrays.
const SERVED = '(feed, job_version) IN (SELECT * FROM unnest($1::text[], $2::int[]))';

export function registerSeriesRoutes(app: FastifyInstance, _ctx: RouteContext): void {
  app.addSchema(SeriesSchema);
  const config = { scope: Scope.read };
  const servedPairs = async (feeds: Feed[]) => [
    feeds,
    await Promise.all(feeds.map((feed) => app.versions.forFeed(feed))),
  ];

  const list = async (feeds: Feed[], q: { type?: string; limit?: number; cursor?: string }) => {
    const limit = Math.min(q.limit ?? 100, 1000);
    const after = decodeCursor(q.cursor);
    const [feedList, versionList] = await servedPairs(feeds);
    const rows = await query<SeriesRow>(
      app.pg,
      `SELECT ${COLUMNS} FROM series WHERE ${SERVED}
         AND ($3::text IS NULL OR measure = $3) AND (key, feed) > ($4, $5)
       ORDER BY key, feed LIMIT $6`,
      [feedList, versionList, q.type ?? null, ...seriesCursor(after?.id), limit],
    );
    const last = rows.at(-1);
    return {
      items: rows.map(toSeries),
      nextCursor:
        rows.length === limit && last
          ? encodeCursor({ timeMs: 0, id: `${last.key}\u001f${last.feed}` })
          : null,
    };
  };

  const detail = async (feeds: Feed[], key: string) => {
    const [feedList, versionList] = await servedPairs(feeds);
    const rows = await query<SeriesRow>(
      app.pg,
      `SELECT ${COLUMNS} FROM series WHERE ${SERVED} AND key = $3 ORDER BY feed LIMIT 1`,
      [feedList, versionList, key],
    );
    const row = rows[0];
    if (row === undefined)
      throw new ServiceError(CommonErrorCodes.notFound, `no series '${key}'`, { statusCode: 404 });
    return toSeries(row);
  };

  app.get(
    '/v1/instruments',
    {
      config,
      schema: {
        tags: ['instruments'],
        summary: 'Geotechnical instruments and sensor nodes, by key',
        querystring: Type.Object(
          {
            feed: Type.Optional(InstrumentFeedSchema),
            type: Type.Optional(Type.String({ pattern: '^[a-z_]{1,64}$', description: 'Instrument type' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            cursor: Type.Optional(CursorSchema),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: PageSchema }),
      },
    },
    async (request) => {
      const q = request.query as { feed?: Feed; type?: string; limit?: number; cursor?: string };
      return list(q.feed === undefined ? [Feed.geotech, Feed.sensors] : [q.feed], q);
    },
  );
  app.get(
    '/v1/instruments/:id',
    {
      config,
      schema: {
        tags: ['instruments'],
        summary: 'One instrument or sensor node',
        params: Type.Object({ id: InstrumentIdSchema }),
        querystring: Type.Object(
          { feed: Type.Optional(InstrumentFeedSchema) },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Type.Ref('Series') }),
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { feed } = request.query as { feed?: Feed };
      return detail(feed === undefined ? [Feed.geotech, Feed.sensors] : [feed], id);
    },
  );
  app.get(
    '/v1/symbols',
    {
      config,
      schema: {
        tags: ['symbols'],
        summary: 'Stock symbols traded',
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            cursor: Type.Optional(CursorSchema),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: PageSchema }),
      },
    },
    async (request) => list([Feed.market], request.query as { limit?: number; cursor?: string }),
  );
  app.get(
    '/v1/symbols/:symbol',
    {
      config,
      schema: {
        tags: ['symbols'],
        summary: 'One symbol',
        params: Type.Object({ symbol: SymbolSchema }),
        response: withErrors({ 200: Type.Ref('Series') }),
      },
    },
    async (request) => detail([Feed.market], (request.params as { symbol: string }).symbol),
  );
}

/** A series cursor is the (key, feed) of the last row, joined by a unit separator. */
function seriesCursor(id: string | undefined): [string, string] {
  if (id === undefined) return ['', ''];
  const at = id.indexOf('\u001f');
  if (at < 0) throw badRequest(QueryErrorCode.invalidCursor, 'the cursor is not one this API issued');
  return [id.slice(0, at), id.slice(at + 1)];
}

function toSeries(row: SeriesRow) {
  return {
    feed: row.feed,
    key: row.key,
    type: row.measure,
    unit: row.unit,
    version: row.job_version,
    attributes: row.attributes,
    firstEventTimeMs: row.first_event_time.getTime(),
    lastEventTimeMs: row.last_event_time.getTime(),
  };
}
