import { Feed, SCHEMA_VERSION, type RawEventDraft } from '@tideline/contracts';
import { IngestReason, SourceError } from '../errors.ts';
import { isRecord, rawPayloadOf, type Normalized } from './normalized.ts';

/** The source API's versioned route that ingest pages through, per feed. */
export const sourceFeedPaths = {
  [Feed.geotech]: '/v1/geotech/readings',
  [Feed.market]: '/v1/market/trades',
  [Feed.sensors]: '/v1/sensors/temperature',
} as const satisfies Record<Feed, string>;

export interface Page {
  items: unknown[];
  nextCursor: string;
}

/**
 * Checks the shape of a page (`{ items: [], nextCursor }`), not its items: a page that is not one
 * cannot be paged through, so the poller retries it; bad items are dead-lettered one by one.
 */
export function readPage(body: unknown, text: string): Page {
  if (
    !isRecord(body) ||
    !Array.isArray(body.items) ||
    typeof body.nextCursor !== 'string' ||
    body.nextCursor === ''
  ) {
    throw new SourceError(IngestReason.sourceBadResponse, 'response is not a page { items[], nextCursor }', {
      body: text,
    });
  }
  return { items: body.items, nextCursor: body.nextCursor };
}

/** Turns a page's items into drafts. Fields are copied, not checked: the contracts check them. */
export function readFeedItems(feed: Feed, items: unknown[], source: string): Normalized {
  const out: Normalized = { drafts: [], rejected: [] };
  for (const item of items) {
    if (!isRecord(item)) {
      out.rejected.push({
        reasonCode: IngestReason.schema,
        reason: 'item is not an object',
        rawPayload: rawPayloadOf(item),
      });
      continue;
    }
    out.drafts.push(draftOf(feed, item, source));
  }
  return out;
}

function draftOf(feed: Feed, item: Record<string, unknown>, source: string): RawEventDraft {
  switch (feed) {
    case Feed.geotech:
      return {
        ...(item as object),
        schemaVersion: SCHEMA_VERSION,
        feed: Feed.geotech,
        source,
      } as RawEventDraft;
    case Feed.market:
      return {
        schemaVersion: SCHEMA_VERSION,
        feed: Feed.market,
        symbol: item.symbol,
        side: item.side,
        price: item.price,
        quantity: item.quantity,
        eventTimeMs: item.eventTimeMs,
        source,
      } as RawEventDraft;
    case Feed.sensors:
      return {
        schemaVersion: SCHEMA_VERSION,
        feed: Feed.sensors,
        nodeId: item.nodeId,
        temperatureC: item.temperatureC,
        eventTimeMs: item.eventTimeMs,
        source,
      } as RawEventDraft;
  }
}
