// Moving averages per symbol: the `market-moving` job's results (sma, ema per trade).
import { Type } from '@sinclair/typebox';
import { Feed } from '@tideline/contracts';
import type { FastifyInstance } from 'fastify';
import { badRequest, QueryErrorCode } from '../errors.ts';
import { Scope } from '../plugins/auth.ts';
import { query } from '../plugins/pg.ts';
import { encodeCursor } from '../query/cursor.ts';
import { rawWindowsSql } from '../query/history-sql.ts';
import { SeriesKind, type RouteContext } from './context.ts';
import { resolveTarget } from './history-target.ts';
import {
  CursorSchema,
  LimitSchema,
  NextCursorSchema,
  SymbolSchema,
  TimeSchema,
  withErrors,
} from './schemas.ts';

export const MOVING_AVERAGE_JOB = 'market-moving';

const MovingAveragesSchema = Type.Object({
  symbol: Type.String(),
  job: Type.String(),
  version: Type.Integer(),
  fromMs: Type.Integer(),
  toMs: Type.Integer(),
  items: Type.Array(
    Type.Object({
      timeMs: Type.Integer({ description: 'Time of the last trade of the k (window end minus 1 ms)' }),
      windowStartMs: Type.Integer(),
      windowEndMs: Type.Integer(),
      count: Type.Integer(),
      sma: Type.Union([Type.Number(), Type.Null()]),
      ema: Type.Union([Type.Number(), Type.Null()]),
    }),
  ),
  nextCursor: NextCursorSchema,
});

interface Row {
  window_start: Date;
  window_end: Date;
  event_count: number;
  aggregates: Record<string, number | null>;
}

export function registerMovingAverageRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(
    '/v1/symbols/:symbol/moving-averages',
    {
      config: { scope: Scope.read },
      schema: {
        tags: [SeriesKind.symbols],
        summary: 'Simple and exponential moving averages over the last k trades',
        params: Type.Object({ symbol: SymbolSchema }),
        querystring: Type.Object(
          {
            from: Type.Optional(TimeSchema('Start, inclusive (default: `to` minus one hour)')),
            to: Type.Optional(TimeSchema('End, exclusive (default: now)')),
            limit: Type.Optional(LimitSchema),
            cursor: Type.Optional(CursorSchema),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: MovingAveragesSchema }),
      },
    },
    async (request) => {
      const target = await resolveTarget(ctx, SeriesKind.symbols, request, (feed) =>
        app.versions.forJob(MOVING_AVERAGE_JOB, feed),
      );
      if (target.after !== undefined && !/^\d{1,16}$/.test(target.after.id))
        throw badRequest(QueryErrorCode.invalidCursor, 'the cursor is not one this API issued');
      const sql = rawWindowsSql(
        { job: MOVING_AVERAGE_JOB, version: target.version, feed: Feed.market, key: target.key },
        { ...target.range, after: target.after, limit: target.limit },
      );
      const rows = await query<Row>(app.pg, sql.text, sql.values);
      const last = rows.at(-1);
      return {
        symbol: target.key,
        job: MOVING_AVERAGE_JOB,
        version: target.version,
        fromMs: target.range.fromMs,
        toMs: target.range.toMs,
        items: rows.map((r) => ({
          timeMs: r.window_end.getTime() - 1,
          windowStartMs: r.window_start.getTime(),
          windowEndMs: r.window_end.getTime(),
          count: r.event_count,
          sma: r.aggregates.sma ?? null,
          ema: r.aggregates.ema ?? null,
        })),
        nextCursor:
          rows.length === target.limit && last
            ? encodeCursor({ timeMs: last.window_start.getTime(), id: String(last.window_end.getTime()) })
            : null,
      };
    },
  );
}
