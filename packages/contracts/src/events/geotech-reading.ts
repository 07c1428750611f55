import { Type, type Static } from '@sinclair/typebox';
import { Feed, InstrumentType } from '../values.ts';
import { EventIdField, EventTimeMsField, SchemaVersionField, SourceField } from './common.ts';

/** One geotechnical instrument reading, as ingest produces it on `raw.geotech.<instrumentType>`. */
export const GeotechReadingSchema = Type.Object(
  {
    schemaVersion: SchemaVersionField,
    eventId: EventIdField,
    feed: Type.Literal(Feed.geotech),
    instrumentId: Type.String({ minLength: 1, maxLength: 64, description: 'Instrument id, e.g. BH-12.' }),
    instrumentType: Type.Enum(InstrumentType),
    value: Type.Number({ description: 'The reading, in `unit` (finite).' }),
    unit: Type.String({ minLength: 1, maxLength: 64, description: 'e.g. "water level (m)".' }),
    eventTimeMs: EventTimeMsField,
    surfaceLevelM: Type.Optional(Type.Number({ description: 'Ground surface level at the borehole, m.' })),
    northing: Type.Optional(Type.Number()),
    easting: Type.Optional(Type.Number()),
    source: SourceField,
  },
  { title: 'GeotechReading', additionalProperties: false },
);
export type GeotechReading = Static<typeof GeotechReadingSchema>;
