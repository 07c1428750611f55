import { Type, type Static } from '@sinclair/typebox';
import { Feed } from '../values.ts';
import { EventTimeMsField, KeyField, SchemaVersionField, SourceField } from './common.ts';

/**
 * A cleaned, deduplicated measurement of any feed, as the processor writes it on `processed.*`:
 * one numeric value per record, the feed-specific fields kept in `attributes`.
 */
export const CleanReadingSchema = Type.Object(
  {
    schemaVersion: SchemaVersionField,
    eventId: Type.String({
      minLength: 1,
      maxLength: 128,
      description: 'The raw event id it was cleaned from.',
    }),
    feed: Type.Enum(Feed),
    key: KeyField,
    measure: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'What `value` measures: the instrument type, "price" or "temperature".',
    }),
    value: Type.Number(),
    unit: Type.String({ minLength: 1, maxLength: 64 }),
    eventTimeMs: EventTimeMsField,
    source: SourceField,
    attributes: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]), {
        description: 'Feed-specific fields: side and quantity of a trade, location of an instrument.',
      }),
    ),
  },
  { title: 'CleanReading', additionalProperties: false },
);
export type CleanReading = Static<typeof CleanReadingSchema>;
