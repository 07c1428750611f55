// What a history request asks for, validated: series, version served, range, resolution, cursor, format.
import { Feed } from '@tideline/contracts';
import { ServiceError } from '@tideline/service-kit';
import type { FastifyRequest } from 'fastify';
import { badRequest, QueryErrorCode } from '../errors.ts';
import { decodeCursor, type Cursor } from '../query/cursor.ts';
import { parseResolutionMs, parseTimeRange, type TimeRange } from '../query/time-range.ts';
import { SeriesKind, type RouteContext } from './context.ts';

const DEFAULT_SPAN_MS = 3_600_000;
export const DEFAULT_LIMIT = 1000;

/** The window job a series' windows come from unless `job` says otherwise. */
export const DefaultWindowJob = {
  geotech: 'geotech-10s',
  market: 'market-hopping',
  sensors: 'sensors-60s',
} as const satisfies Record<Feed, string>;

export interface HistoryQuery {
  feed?: Feed;
  from?: string;
  to?: string;
  resolution?: string;
  limit?: number;
  cursor?: string;
  format?: 'json' | 'csv';
  job?: string;
}

/** Resolved series and paging of one history request. */
export interface HistoryTarget {
  feed: Feed;
  key: string;
  version: number;
  range: TimeRange;
  bucketMs: number | undefined;
  after: Cursor | undefined;
  limit: number;
  csv: boolean;
}

export function feedFor(kind: SeriesKind, q: { feed?: Feed }): Feed {
  return kind === SeriesKind.symbols ? Feed.market : (q.feed ?? Feed.geotech);
}

/** Validates the request's range, resolution, cursor and format, and finds the version to serve. */
export async function resolveTarget(
  ctx: RouteContext,
  kind: SeriesKind,
  request: FastifyRequest,
  versionOf: (feed: Feed) => Promise<number>,
): Promise<HistoryTarget> {
  const q = request.query as HistoryQuery;
  const params = request.params as { id?: string; symbol?: string };
  const feed = feedFor(kind, q);
  const range = parseTimeRange(q, {
    maxRangeMs: ctx.config.MAX_RANGE_MS,
    defaultSpanMs: DEFAULT_SPAN_MS,
    nowMs: Date.now(),
  });
  const bucketMs = parseResolutionMs(q.resolution);
  const after = decodeCursor(q.cursor);
  const limit = q.limit ?? DEFAULT_LIMIT;
  const csv = wantsCsv(request, q.format);
  if (!csv && limit > ctx.config.MAX_PAGE_LIMIT)
    throw badRequest(QueryErrorCode.invalidRange, `limit is at most ${ctx.config.MAX_PAGE_LIMIT}`);
  return {
    feed,
    key: params.id ?? params.symbol ?? '',
    version: await versionOf(feed),
    range,
    bucketMs,
    after,
    limit,
    csv,
  };
}

function wantsCsv(request: FastifyRequest, format: 'json' | 'csv' | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  const accept = request.headers.accept ?? '';
  if (accept === '') return false;
  const csv = accept.includes('text/csv');
  if (!csv && !/application\/json|\*\/\*|application\/\*/.test(accept))
    throw new ServiceError(QueryErrorCode.notAcceptable, 'this route answers application/json or text/csv', {
      statusCode: 406,
    });
  return csv;
}

/** JSON pages have a limit; a CSV streams the whole range unless the client asked for a limit. */
export function pageLimit(target: HistoryTarget): number | undefined {
  if (!target.csv) return target.limit;
  return target.limit === DEFAULT_LIMIT ? undefined : target.limit;
}
