// History of cleaned readings and of window aggregates for an instrument or a symbol: a time range,
// a resolution (raw or buckets), keyset pages as JSON, or the whole range streamed as CSV.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, QueryErrorCode } from '../errors.ts';
import { Scope } from '../plugins/auth.ts';
import { query } from '../plugins/pg.ts';
import {
  bucketedReadingsSql,
  bucketedWindowsSql,
  rawReadingsSql,
  rawWindowsSql,
} from '../query/history-sql.ts';
import { SeriesKind, type RouteContext } from './context.ts';
import { cached, page, sendCsv } from './history-answer.ts';
import {
  DefaultWindowJob,
  feedFor,
  pageLimit,
  resolveTarget,
  type HistoryQuery,
  type HistoryTarget,
} from './history-target.ts';
import {
  AttributesSchema,
  CursorSchema,
  FormatSchema,
  InstrumentFeedSchema,
  InstrumentIdSchema,
  JobNameSchema,
  LimitSchema,
  NextCursorSchema,
  ResolutionSchema,
  SymbolSchema,
  TimeSchema,
  withErrors,
} from './schemas.ts';

const historyQuerystring = (kind: SeriesKind, withJob: boolean) =>
  Type.Object(
    {
      ...(kind === SeriesKind.instruments ? { feed: Type.Optional(InstrumentFeedSchema) } : {}),
      ...(withJob ? { job: Type.Optional(JobNameSchema) } : {}),
      from: Type.Optional(TimeSchema('Start, inclusive (default: `to` minus one hour)')),
      to: Type.Optional(TimeSchema('End, exclusive (default: now)')),
      resolution: Type.Optional(ResolutionSchema),
      limit: Type.Optional(LimitSchema),
      cursor: Type.Optional(CursorSchema),
      format: Type.Optional(FormatSchema),
    },
    { additionalProperties: false },
  );

const paramsOf = (kind: SeriesKind) =>
  kind === SeriesKind.instruments
    ? Type.Object({ id: InstrumentIdSchema })
    : Type.Object({ symbol: SymbolSchema });

const envelope = {
  feed: Type.String(),
  key: Type.String(),
  version: Type.Integer(),
  resolution: Type.String(),
  fromMs: Type.Integer(),
  toMs: Type.Integer(),
  nextCursor: NextCursorSchema,
};

const ReadingsPageSchema = Type.Object(
  {
    ...envelope,
    items: Type.Array(
      Type.Object({
        timeMs: Type.Integer({ description: 'Event time, or the bucket start' }),
        value: Type.Optional(Type.Number()),
        unit: Type.Optional(Type.String()),
        eventId: Type.Optional(Type.String()),
        attributes: Type.Optional(AttributesSchema),
        avg: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
        min: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
        max: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
        count: Type.Optional(Type.Integer()),
      }),
    ),
  },
  { description: 'Raw items carry value, unit, eventId, attributes; buckets avg, min, max, count' },
);

const WindowsPageSchema = Type.Object({
  ...envelope,
  job: Type.String(),
  items: Type.Array(
    Type.Object({
      windowStartMs: Type.Integer(),
      windowEndMs: Type.Integer(),
      count: Type.Integer(),
      avg: Type.Union([Type.Number(), Type.Null()]),
      min: Type.Union([Type.Number(), Type.Null()]),
      max: Type.Union([Type.Number(), Type.Null()]),
      aggregates: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()]))),
      firing: Type.Optional(Type.String()),
    }),
  ),
});

interface RawReadingRow {
  event_time: Date;
  event_id: string;
  value: number;
  unit: string;
  attributes: Record<string, string | number | boolean | null> | null;
}
interface BucketRow {
  bucket: Date;
  avg: number | null;
  min: number | null;
  max: number | null;
  count: number;
}
interface RawWindowRow {
  window_start: Date;
  window_end: Date;
  event_count: number;
  avg: number | null;
  min: number | null;
  max: number | null;
  aggregates: Record<string, number | null>;
  firing: string;
}

export function registerHistoryRoutes(app: FastifyInstance, ctx: RouteContext): void {
  for (const kind of [SeriesKind.instruments, SeriesKind.symbols]) {
    const param = kind === SeriesKind.instruments ? ':id' : ':symbol';
    app.get(
      `/v1/${kind}/${param}/readings`,
      {
        config: { scope: Scope.read },
        schema: {
          tags: [kind],
          summary: 'Cleaned readings over a time range, raw or downsampled',
          params: paramsOf(kind),
          querystring: historyQuerystring(kind, false),
          produces: ['application/json', 'text/csv'],
          response: withErrors({ 200: ReadingsPageSchema }),
        },
      },
      async (request, reply) => {
        const target = await resolveTarget(ctx, kind, request, (feed) => app.versions.forFeed(feed));
        if (target.bucketMs === undefined) {
          const sql = rawReadingsSql(target, {
            ...target.range,
            after: target.after,
            limit: pageLimit(target),
          });
          if (target.csv)
            return sendCsv(
              app,
              reply,
              sql,
              ['time', 'time_ms', 'value', 'unit', 'event_id'],
              (r: RawReadingRow) => [
                r.event_time.toISOString(),
                r.event_time.getTime(),
                r.value,
                r.unit,
                r.event_id,
              ],
            );
          return cached(ctx, request, reply, target, async () => {
            const rows = await query<RawReadingRow>(app.pg, sql.text, sql.values);
            return page(
              target,
              rows,
              (r) => ({
                timeMs: r.event_time.getTime(),
                value: r.value,
                unit: r.unit,
                eventId: r.event_id,
                attributes: r.attributes,
              }),
              (item) => ({ timeMs: item.timeMs, id: item.eventId }),
            );
          });
        }
        const bucketMs = target.bucketMs;
        const sql = bucketedReadingsSql(
          target,
          { ...target.range, after: target.after, limit: pageLimit(target) },
          bucketMs,
        );
        if (target.csv)
          return sendCsv(
            app,
            reply,
            sql,
            ['time', 'time_ms', 'avg', 'min', 'max', 'count'],
            (r: BucketRow) => [r.bucket.toISOString(), r.bucket.getTime(), r.avg, r.min, r.max, r.count],
          );
        return cached(ctx, request, reply, target, async () => {
          const rows = await query<BucketRow>(app.pg, sql.text, sql.values);
          return page(
            target,
            rows,
            (r) => ({
              timeMs: r.bucket.getTime(),
              avg: r.avg,
              min: r.min,
              max: r.max,
              count: r.count,
            }),
            (item) => ({ timeMs: item.timeMs, id: '' }),
          );
        });
      },
    );

    app.get(
      `/v1/${kind}/${param}/windows`,
      {
        config: { scope: Scope.read },
        schema: {
          tags: [kind],
          summary:
            'Window aggregates of a job over a time range (by window start), raw or merged into buckets',
          params: paramsOf(kind),
          querystring: historyQuerystring(kind, true),
          produces: ['application/json', 'text/csv'],
          response: withErrors({ 200: WindowsPageSchema }),
        },
      },
      async (request, reply) => {
        const q = request.query as HistoryQuery;
        const feedOf = feedFor(kind, q);
        const job = q.job ?? DefaultWindowJob[feedOf];
        const target = await resolveTarget(ctx, kind, request, (feed) => app.versions.forJob(job, feed));
        if (
          target.after !== undefined &&
          target.bucketMs === undefined &&
          !/^\d{1,16}$/.test(target.after.id)
        )
          throw badRequest(QueryErrorCode.invalidCursor, 'the cursor is not one this API issued');
        return windowsAnswer(app, ctx, request, reply, target, job);
      },
    );
  }
}

/** Answers a windows request (also used by the moving-averages route). */
export async function windowsAnswer(
  app: FastifyInstance,
  ctx: RouteContext,
  request: FastifyRequest,
  reply: FastifyReply,
  target: HistoryTarget,
  job: string,
): Promise<unknown> {
  const series = { ...target, job };
  const pageRequest = { ...target.range, after: target.after, limit: pageLimit(target) };
  if (target.bucketMs === undefined) {
    const sql = rawWindowsSql(series, pageRequest);
    if (target.csv)
      return sendCsv(
        app,
        reply,
        sql,
        ['window_start', 'window_end', 'count', 'avg', 'min', 'max', 'firing', 'aggregates'],
        (r: RawWindowRow) => [
          r.window_start.toISOString(),
          r.window_end.toISOString(),
          r.event_count,
          r.avg,
          r.min,
          r.max,
          r.firing,
          JSON.stringify(r.aggregates),
        ],
      );
    return cached(ctx, request, reply, target, async () => {
      const rows = await query<RawWindowRow>(app.pg, sql.text, sql.values);
      const answer = page(
        target,
        rows,
        (r) => ({
          windowStartMs: r.window_start.getTime(),
          windowEndMs: r.window_end.getTime(),
          count: r.event_count,
          avg: r.avg,
          min: r.min,
          max: r.max,
          aggregates: r.aggregates,
          firing: r.firing,
        }),
        (item) => ({ timeMs: item.windowStartMs, id: String(item.windowEndMs) }),
      );
      return { ...answer, job };
    });
  }
  const bucketMs = target.bucketMs;
  const sql = bucketedWindowsSql(series, pageRequest, bucketMs);
  if (target.csv)
    return sendCsv(
      app,
      reply,
      sql,
      ['window_start', 'window_end', 'count', 'avg', 'min', 'max'],
      (r: BucketRow) => [
        r.bucket.toISOString(),
        new Date(r.bucket.getTime() + bucketMs).toISOString(),
        r.count,
        r.avg,
        r.min,
        r.max,
      ],
    );
  return cached(ctx, request, reply, target, async () => {
    const rows = await query<BucketRow>(app.pg, sql.text, sql.values);
    const answer = page(
      target,
      rows,
      (r) => ({
        windowStartMs: r.bucket.getTime(),
        windowEndMs: r.bucket.getTime() + bucketMs,
        count: r.count,
        avg: r.avg,
        min: r.min,
        max: r.max,
      }),
      (item) => ({ timeMs: item.windowStartMs, id: '' }),
    );
    return { ...answer, job };
  });
}
