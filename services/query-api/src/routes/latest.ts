// The latest value of an instrument or symbol: the processor's queryable state in Redis, falling
// back to PostgreSQL when Redis has nothing for the key or cannot be reached.
import { Type } from '@sinclair/typebox';
import type { Feed } from '@tideline/contracts';
import {
  AlertSchema,
  CleanReadingSchema,
  LatestField,
  WindowAggregateSchema,
  type Alert,
  type CleanReading,
  type WindowAggregate,
} from '@tideline/contracts';
import { CommonErrorCodes, ServiceError } from '@tideline/service-kit';
import type { FastifyInstance } from 'fastify';
import { Scope } from '../plugins/auth.ts';
import { query } from '../plugins/pg.ts';
import { SeriesKind, type RouteContext } from './context.ts';
import { feedFor } from './history-target.ts';
import { InstrumentFeedSchema, InstrumentIdSchema, SymbolSchema, withErrors } from './schemas.ts';

const LatestSchema = Type.Object({
  feed: Type.String(),
  key: Type.String(),
  version: Type.Integer(),
  source: Type.Union([Type.Literal('redis'), Type.Literal('postgres')], {
    description: 'redis: the processor\u2019s queryable state; postgres: the history (Redis had nothing)',
  }),
  reading: Type.Union([CleanReadingSchema, Type.Null()]),
  alert: Type.Union([AlertSchema, Type.Null()]),
  windows: Type.Record(Type.String(), WindowAggregateSchema, { description: 'Latest result per window job' }),
});

export interface Latest {
  feed: Feed;
  key: string;
  version: number;
  source: 'redis' | 'postgres';
  reading: CleanReading | null;
  alert: Alert | null;
  windows: Record<string, WindowAggregate>;
}

export function registerLatestRoutes(app: FastifyInstance, ctx: RouteContext): void {
  for (const kind of [SeriesKind.instruments, SeriesKind.symbols]) {
    const instruments = kind === SeriesKind.instruments;
    app.get(
      `/v1/${kind}/${instruments ? ':id' : ':symbol'}/latest`,
      {
        config: { scope: Scope.read },
        schema: {
          tags: [kind],
          summary: 'The latest reading, window results and alert',
          params: instruments
            ? Type.Object({ id: InstrumentIdSchema })
            : Type.Object({ symbol: SymbolSchema }),
          querystring: Type.Object(instruments ? { feed: Type.Optional(InstrumentFeedSchema) } : {}, {
            additionalProperties: false,
          }),
          response: withErrors({ 200: LatestSchema }),
        },
      },
      async (request, reply) => {
        const params = request.params as { id?: string; symbol?: string };
        const feed = feedFor(kind, request.query as { feed?: Feed });
        const key = params.id ?? params.symbol ?? '';
        const version = await app.versions.forFeed(feed);
        const cachedText = await fromRedis(app, ctx, feed, key, version);
        if (cachedText !== undefined) {
          app.queryMetrics.latestSource.inc({ source: 'redis' });
          return reply.type('application/json; charset=utf-8').send(cachedText);
        }
        const latest = await fromPostgres(app, feed, key, version);
        app.queryMetrics.latestSource.inc({ source: latest?.source ?? 'none' });
        if (latest === undefined)
          throw new ServiceError(CommonErrorCodes.notFound, `no value for '${key}'`, { statusCode: 404 });
        return latest;
      },
    );
  }
}

/**
 * The answer from the processor's hash, as JSON text, through the client-side cache of latest-state
 * (Redis invalidates it when the hash changes); undefined when the hash has nothing or Redis cannot
 * be reached.
 */
async function fromRedis(
  app: FastifyInstance,
  ctx: RouteContext,
  feed: Feed,
  key: string,
  version: number,
): Promise<string | undefined> {
  try {
    return await app.latestState.read(ctx.keys.latest(feed, key, version), (hash) =>
      answerText(app, hash, feed, key, version),
    );
  } catch (error) {
    app.log.debug({ err: error }, 'redis unavailable for a latest value; reading PostgreSQL');
    return undefined;
  }
}

/**
 * The hash's values are already the JSON of the contracts' records, so they are checked (parsed) and
 * spliced in rather than parsed and serialised again, which keeps the hottest route cheap.
 */
function answerText(
  app: FastifyInstance,
  hash: Record<string, string>,
  feed: Feed,
  key: string,
  version: number,
): string | undefined {
  let reading = 'null';
  let alert = 'null';
  const windows: string[] = [];
  for (const [field, text] of Object.entries(hash)) {
    try {
      const value: unknown = JSON.parse(text);
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw new Error('not an object');
    } catch {
      // A value we cannot read is skipped, not fatal: the rest of the hash still answers.
      app.log.warn({ field, key }, 'unreadable queryable-state field');
      continue;
    }
    if (field === LatestField.reading) reading = text;
    else if (field === LatestField.alert) alert = text;
    else if (field.startsWith('window:')) windows.push(`${JSON.stringify(field.slice(7))}:${text}`);
  }
  if (reading === 'null' && alert === 'null' && windows.length === 0) return undefined;
  const head = `{"feed":${JSON.stringify(feed)},"key":${JSON.stringify(key)},"version":${version},"source":"redis"`;
  return `${head},"reading":${reading},"alert":${alert},"windows":{${windows.join(',')}}}`;
}

interface ReadingRow {
  event_id: string;
  measure: string;
  value: number;
  unit: string;
  event_time: Date;
  source: string;
  attributes: CleanReading['attributes'] | null;
}
interface AlertRow {
  alert_id: string;
  level: Alert['level'];
  value: number | null;
  thresholds: Alert['thresholds'];
  event_time: Date;
  message: string;
}
interface WindowRow {
  job: string;
  window_start: Date;
  window_end: Date;
  event_count: number;
  aggregates: Record<string, number | null>;
  firing: WindowAggregate['firing'];
  emitted_watermark_ms: string | null;
}

async function fromPostgres(
  app: FastifyInstance,
  feed: Feed,
  key: string,
  version: number,
): Promise<Latest | undefined> {
  const args = [version, feed, key];
  const [readings, alerts, windows] = await Promise.all([
    query<ReadingRow>(
      app.pg,
      `SELECT event_id, measure, value, unit, event_time, source, attributes FROM readings
       WHERE job_version = $1 AND feed = $2 AND key = $3 ORDER BY event_time DESC, event_id DESC LIMIT 1`,
      args,
    ),
    query<AlertRow>(
      app.pg,
      `SELECT alert_id, level, value, thresholds, event_time, message FROM alerts
       WHERE job_version = $1 AND feed = $2 AND key = $3 ORDER BY event_time DESC, alert_id DESC LIMIT 1`,
      args,
    ),
    query<WindowRow>(
      app.pg,
      `SELECT DISTINCT ON (job) job, window_start, window_end, event_count, aggregates, firing, emitted_watermark_ms
       FROM window_aggregates WHERE job_version = $1 AND feed = $2 AND key = $3
       ORDER BY job, window_end DESC, window_start DESC`,
      args,
    ),
  ]);
  const r = readings[0];
  const a = alerts[0];
  if (r === undefined && a === undefined && windows.length === 0) return undefined;
  return {
    feed,
    key,
    version,
    source: 'postgres',
    reading:
      r === undefined
        ? null
        : {
            schemaVersion: 1,
            eventId: r.event_id,
            feed,
            key,
            measure: r.measure,
            value: r.value,
            unit: r.unit,
            eventTimeMs: r.event_time.getTime(),
            source: r.source,
            ...(r.attributes === null ? {} : { attributes: r.attributes }),
          },
    alert:
      a === undefined
        ? null
        : {
            schemaVersion: 1,
            alertId: a.alert_id,
            feed,
            key,
            level: a.level,
            value: a.value,
            thresholds: a.thresholds,
            eventTimeMs: a.event_time.getTime(),
            message: a.message,
          },
    windows: Object.fromEntries(
      windows.map((w) => [
        w.job,
        {
          schemaVersion: 1,
          job: w.job,
          key,
          windowStartMs: w.window_start.getTime(),
          windowEndMs: w.window_end.getTime(),
          aggregates: w.aggregates,
          count: w.event_count,
          firing: w.firing,
          emittedAtWatermarkMs: w.emitted_watermark_ms === null ? 0 : Number(w.emitted_watermark_ms),
        } satisfies WindowAggregate,
      ]),
    ),
  };
}
