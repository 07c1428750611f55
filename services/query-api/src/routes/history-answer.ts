// Answers of history routes: JSON pages (through the result cache) and streamed CSV.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Feed } from '@tideline/contracts';
import { encodeCursor, type Cursor } from '../query/cursor.ts';
import { streamCsv, type CsvCell } from '../query/csv-stream.ts';
import type { SqlQuery } from '../query/history-sql.ts';
import type { RouteContext } from './context.ts';
import type { HistoryTarget } from './history-target.ts';

export function page<R, I>(
  target: HistoryTarget,
  rows: R[],
  toItem: (row: R) => I,
  cursorOf: (item: I) => Cursor,
): {
  feed: Feed;
  key: string;
  version: number;
  resolution: string;
  fromMs: number;
  toMs: number;
  items: I[];
  nextCursor: string | null;
} {
  const items = rows.map(toItem);
  const last = items.at(-1);
  return {
    feed: target.feed,
    key: target.key,
    version: target.version,
    resolution: target.bucketMs === undefined ? 'raw' : `${target.bucketMs}ms`,
    fromMs: target.range.fromMs,
    toMs: target.range.toMs,
    items,
    nextCursor: items.length === target.limit && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}

/**
 * Answers a JSON page through the result cache. The cache holds the serialised text, so a dashboard
 * wall asking the same day of history costs one query and one serialisation, not one per request.
 */
export async function cached(
  ctx: RouteContext,
  request: FastifyRequest,
  reply: FastifyReply,
  target: HistoryTarget,
  compute: () => Promise<object>,
): Promise<FastifyReply> {
  const text = await ctx.cache.get(`${target.version}|${request.url}`, async () =>
    JSON.stringify(await compute()),
  );
  return reply.type('application/json; charset=utf-8').send(text);
}

export async function sendCsv<R>(
  app: FastifyInstance,
  reply: FastifyReply,
  sql: SqlQuery,
  header: readonly string[],
  toCells: (row: R) => readonly CsvCell[],
): Promise<FastifyReply> {
  const stream = await streamCsv(app.pg, sql, header, toCells, (count) =>
    app.queryMetrics.csvRows.inc(count),
  );
  return reply.type('text/csv; charset=utf-8').send(stream);
}
