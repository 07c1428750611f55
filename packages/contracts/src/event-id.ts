import { hash } from 'node:crypto';
import type { Alert } from './events/alert.ts';
import type { RawEvent, RawEventDraft } from './events/raw-event.ts';
import type { WindowAggregate } from './events/window-aggregate.ts';
import { Feed } from './values.ts';

/**
 * Deterministic ids. The same content always gives the same id, whichever process computes it and
 * however often a record is re-polled or replayed: downstream dedup and the sinks' idempotent writes
 * rely on it. The canonical form is a JSON array of the identifying fields (unambiguous whatever
 * the strings contain; numbers in JavaScript's shortest round-trip form), hashed with SHA-1 and
 * written as 40 lower-case hex digits. `source` is deliberately left out: the same reading fetched
 * through another route or ingest instance is the same reading.
 */
export function eventIdFor(draft: RawEventDraft): string {
  switch (draft.feed) {
    case Feed.geotech:
      return digest([
        draft.feed,
        draft.instrumentId,
        draft.instrumentType,
        draft.eventTimeMs,
        draft.value,
        draft.unit,
      ]);
    case Feed.market:
      return digest([draft.feed, draft.symbol, draft.eventTimeMs, draft.side, draft.price, draft.quantity]);
    case Feed.sensors:
      return digest([draft.feed, draft.nodeId, draft.eventTimeMs, draft.temperatureC]);
  }
}

/** The draft with its deterministic `eventId`: what ingest puts on a raw topic. */
export function withEventId<D extends RawEventDraft>(draft: D): D & { eventId: string } & RawEvent {
  return { ...draft, eventId: eventIdFor(draft) } as D & { eventId: string } & RawEvent;
}

/** Id of one window result: job, key and window bounds (every firing of a window shares it). */
export function windowAggregateIdFor(
  aggregate: Pick<WindowAggregate, 'job' | 'key' | 'windowStartMs' | 'windowEndMs'>,
): string {
  return digest(['window', aggregate.job, aggregate.key, aggregate.windowStartMs, aggregate.windowEndMs]);
}

/** Id of an alert: the same crossing of the same key at the same event time is one alert. */
export function alertIdFor(alert: Pick<Alert, 'feed' | 'key' | 'level' | 'eventTimeMs'>): string {
  return digest(['alert', alert.feed, alert.key, alert.level, alert.eventTimeMs]);
}

function digest(fields: readonly (string | number)[]): string {
  // One-shot hash: no Hash object per event (ingest computes one id per record).
  return hash('sha1', JSON.stringify(fields), 'hex');
}
