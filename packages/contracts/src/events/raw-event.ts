import { Type, type Static } from '@sinclair/typebox';
import { GeotechReadingSchema, type GeotechReading } from './geotech-reading.ts';
import { MarketTradeSchema, type MarketTrade } from './market-trade.ts';
import { TemperatureReadingSchema, type TemperatureReading } from './temperature-reading.ts';

/** Any event on a `raw.*` topic; `feed` tells them apart. */
export const RawEventSchema = Type.Union(
  [GeotechReadingSchema, MarketTradeSchema, TemperatureReadingSchema],
  {
    title: 'RawEvent',
  },
);
export type RawEvent = Static<typeof RawEventSchema>;

/** A raw event before ingest gives it its id (what a source answers, normalized). */
export type RawEventDraft =
  | Omit<GeotechReading, 'eventId'>
  | Omit<MarketTrade, 'eventId'>
  | Omit<TemperatureReading, 'eventId'>;

/** The draft type of a raw event type. */
export type DraftOf<E extends RawEvent> = Omit<E, 'eventId'>;
