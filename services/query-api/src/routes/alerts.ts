// Alerts by time range, key and severity (newest first), and the alerts active now.
import { Type } from '@sinclair/typebox';
import { AlertSchema, Feed, valuesOf, type Alert } from '@tideline/contracts';
import type { FastifyInstance } from 'fastify';
import { Scope } from '../plugins/auth.ts';
import { query } from '../plugins/pg.ts';
import { decodeCursor, encodeCursor } from '../query/cursor.ts';
import { parseTimeRange } from '../query/time-range.ts';
import type { RouteContext } from './context.ts';
import {
  CursorSchema,
  FeedSchema,
  LevelsSchema,
  NextCursorSchema,
  TimeSchema,
  withErrors,
} from './schemas.ts';

const KeyFilterSchema = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' });

interface AlertRow {
  alert_id: string;
  feed: Alert['feed'];
  key: string;
  level: Alert['level'];
  value: number | null;
  thresholds: Alert['thresholds'];
  event_time: Date;
  message: string;
  job_version: number;
}

const COLUMNS = 'alert_id, feed, key, level, value, thresholds, event_time, message, job_version';
const SERVED = '(feed, job_version) IN (SELECT * FROM unnest($1::text[], $2::int[]))';

export function registerAlertRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const served = async (feed: Feed | undefined): Promise<[Feed[], number[]]> => {
    const feeds = feed === undefined ? valuesOf(Feed) : [feed];
    return [feeds, await Promise.all(feeds.map((f) => app.versions.forFeed(f)))];
  };

  app.get(
    '/v1/alerts',
    {
      config: { scope: Scope.read },
      schema: {
        tags: ['alerts'],
        summary: 'Alerts in a time range, newest first',
        querystring: Type.Object(
          {
            from: Type.Optional(TimeSchema('Start, inclusive (default: `to` minus one day)')),
            to: Type.Optional(TimeSchema('End, exclusive (default: now)')),
            feed: Type.Optional(FeedSchema),
            key: Type.Optional(KeyFilterSchema),
            severity: Type.Optional(LevelsSchema),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
            cursor: Type.Optional(CursorSchema),
          },
          { additionalProperties: false },
        ),
        response: withErrors({
          200: Type.Object({ items: Type.Array(AlertSchema), nextCursor: NextCursorSchema }),
        }),
      },
    },
    async (request) => {
      const q = request.query as {
        from?: string;
        to?: string;
        feed?: Feed;
        key?: string;
        severity?: string;
        limit?: number;
        cursor?: string;
      };
      const range = parseTimeRange(q, {
        maxRangeMs: ctx.config.MAX_RANGE_MS,
        defaultSpanMs: 86_400_000,
        nowMs: Date.now(),
      });
      const before = decodeCursor(q.cursor);
      const limit = q.limit ?? 1000;
      const [feeds, versions] = await served(q.feed);
      const rows = await query<AlertRow>(
        app.pg,
        `SELECT ${COLUMNS} FROM alerts WHERE ${SERVED}
           AND event_time >= $3 AND event_time < $4
           AND ($5::text IS NULL OR key = $5) AND ($6::text[] IS NULL OR level = ANY($6))
           AND ($7::timestamptz IS NULL OR (event_time, alert_id) < ($7, $8))
         ORDER BY event_time DESC, alert_id DESC LIMIT $9`,
        [
          feeds,
          versions,
          new Date(range.fromMs),
          new Date(range.toMs),
          q.key ?? null,
          q.severity?.split(',') ?? null,
          before === undefined ? null : new Date(before.timeMs),
          before?.id ?? '',
          limit,
        ],
      );
      const last = rows.at(-1);
      return {
        items: rows.map(toAlert),
        nextCursor:
          rows.length === limit && last
            ? encodeCursor({ timeMs: last.event_time.getTime(), id: last.alert_id })
            : null,
      };
    },
  );

  app.get(
    '/v1/alerts/active',
    {
      config: { scope: Scope.read },
      schema: {
        tags: ['alerts'],
        summary: 'The alerts active now: the latest alert of each key, unless it is `cleared`',
        querystring: Type.Object(
          {
            feed: Type.Optional(FeedSchema),
            key: Type.Optional(KeyFilterSchema),
            severity: Type.Optional(LevelsSchema),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Type.Object({ items: Type.Array(AlertSchema) }) }),
      },
    },
    async (request) => {
      const q = request.query as { feed?: Feed; key?: string; severity?: string };
      const [feeds, versions] = await served(q.feed);
      const rows = await query<AlertRow>(
        app.pg,
        `SELECT ${COLUMNS} FROM (
           SELECT DISTINCT ON (feed, key) ${COLUMNS} FROM alerts
           WHERE ${SERVED} AND ($3::text IS NULL OR key = $3)
           ORDER BY feed, key, event_time DESC, alert_id DESC
         ) latest
         WHERE level <> 'cleared' AND ($4::text[] IS NULL OR level = ANY($4))
         ORDER BY event_time DESC, alert_id DESC`,
        [feeds, versions, q.key ?? null, q.severity?.split(',') ?? null],
      );
      return { items: rows.map(toAlert) };
    },
  );
}

function toAlert(row: AlertRow): Alert {
  return {
    schemaVersion: 1,
    alertId: row.alert_id,
    feed: row.feed,
    key: row.key,
    level: row.level,
    value: row.value,
    thresholds: row.thresholds,
    eventTimeMs: row.event_time.getTime(),
    message: row.message,
  };
}
