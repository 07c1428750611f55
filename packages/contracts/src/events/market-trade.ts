import { Type, type Static } from '@sinclair/typebox';
import { Feed, TradeSide } from '../values.ts';
import { EventIdField, EventTimeMsField, SchemaVersionField, SourceField, SymbolField } from './common.ts';

/** One stock trade, as ingest produces it on `raw.market.trades`. */
export const MarketTradeSchema = Type.Object(
  {
    schemaVersion: SchemaVersionField,
    eventId: EventIdField,
    feed: Type.Literal(Feed.market),
    symbol: SymbolField,
    side: Type.Enum(TradeSide),
    price: Type.Number({ exclusiveMinimum: 0 }),
    quantity: Type.Number({ minimum: 0 }),
    eventTimeMs: EventTimeMsField,
    source: SourceField,
  },
  { title: 'MarketTrade', additionalProperties: false },
);
export type MarketTrade = Static<typeof MarketTradeSchema>;
