import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { EventTimeMsField, SymbolField } from '../events/common.ts';
import { GeotechReadingSchema } from '../events/geotech-reading.ts';
import { TradeSide } from '../values.ts';

/**
 * What the source-api's versioned feeds answer. Geotech items are GeotechReadings without `eventId`
 * (ingest derives the id); trades and temperatures are the bare source records that ingest
 * normalizes. Well-formed items match these; with faults switched on the source answers worse.
 */
export const GeotechReadingDraftSchema = Type.Omit(GeotechReadingSchema, ['eventId'], {
  title: 'GeotechReadingDraft',
  additionalProperties: false,
});
export type GeotechReadingDraft = Static<typeof GeotechReadingDraftSchema>;

export const SourceTradeSchema = Type.Object(
  {
    symbol: SymbolField,
    side: Type.Enum(TradeSide),
    price: Type.Number({ exclusiveMinimum: 0 }),
    quantity: Type.Number({ minimum: 0 }),
    eventTimeMs: EventTimeMsField,
  },
  { title: 'SourceTrade', additionalProperties: false },
);
export type SourceTrade = Static<typeof SourceTradeSchema>;

export const SourceTemperatureSchema = Type.Object(
  {
    nodeId: Type.String({ minLength: 1, maxLength: 64 }),
    temperatureC: Type.Number(),
    eventTimeMs: EventTimeMsField,
  },
  { title: 'SourceTemperature', additionalProperties: false },
);
export type SourceTemperature = Static<typeof SourceTemperatureSchema>;

/**
 * One page of a feed. `nextCursor` is opaque: pass it back as `since` to get the items that follow,
 * with no gap and no overlap. An empty page still carries the cursor to poll with next.
 */
export function pageSchemaOf<T extends TSchema>(item: T, title: string) {
  return Type.Object(
    {
      items: Type.Array(item),
      nextCursor: Type.String({ minLength: 1, description: 'Opaque; send back as `since`.' }),
    },
    { title, additionalProperties: false },
  );
}

export const GeotechReadingPageSchema = pageSchemaOf(GeotechReadingDraftSchema, 'GeotechReadingPage');
export type GeotechReadingPage = Static<typeof GeotechReadingPageSchema>;
export const SourceTradePageSchema = pageSchemaOf(SourceTradeSchema, 'SourceTradePage');
export type SourceTradePage = Static<typeof SourceTradePageSchema>;
export const SourceTemperaturePageSchema = pageSchemaOf(SourceTemperatureSchema, 'SourceTemperaturePage');
export type SourceTemperaturePage = Static<typeof SourceTemperaturePageSchema>;
