import { CommonErrorCodes, ServiceError } from '@tideline/service-kit';
import { decodeCursor, encodeCursor, type Position } from '../feeds/cursor.ts';
import type { FeedModel } from '../feeds/feed.ts';
import { readPage } from '../feeds/paginate.ts';
import type { SourceApiMetrics } from '../metrics.ts';
import type { Simulation } from '../simulation.ts';
import type { PageQuery } from './schemas.ts';

export interface PageBody {
  items: unknown[];
  nextCursor: string;
}

/** One page of a feed from a query's cursor (or from the start of the history window), counted in metrics. */
export function servePage<Item extends object>(
  sim: Simulation,
  feed: FeedModel<Item>,
  metrics: SourceApiMetrics,
  query: PageQuery,
  accept?: (entity: number) => boolean,
): PageBody {
  // The query schema coerces `1e309` and `Infinity` to an infinite number that slips past its maximum.
  if (!Number.isSafeInteger(query.limit)) {
    throw new ServiceError(CommonErrorCodes.validation, 'limit must be an integer from 1 to 10000', {
      statusCode: 400,
    });
  }
  const nowMs = sim.now();
  const position: Position =
    query.since === undefined
      ? { slot: Math.max(0, Math.floor((nowMs - sim.historyMs) / feed.slotMs)), offset: 0 }
      : decodeCursor(query.since, feed.feed, feed.fingerprint);
  const page = readPage(feed, sim.faults.settings, sim.seed, { position, limit: query.limit, nowMs, accept });
  metrics.itemsServed.inc({ feed: feed.feed }, page.items.length);
  for (const [fault, count] of Object.entries(page.faults)) {
    if (count > 0) metrics.faultsInjected.inc({ fault }, count);
  }
  return { items: page.items, nextCursor: encodeCursor(feed.feed, feed.fingerprint, page.next) };
}
