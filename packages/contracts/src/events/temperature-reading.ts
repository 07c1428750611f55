import { Type, type Static } from '@sinclair/typebox';
import { Feed } from '../values.ts';
import { EventIdField, EventTimeMsField, SchemaVersionField, SourceField } from './common.ts';

/** One edge temperature reading, as ingest produces it on `raw.sensors.temperature`. */
export const TemperatureReadingSchema = Type.Object(
  {
    schemaVersion: SchemaVersionField,
    eventId: EventIdField,
    feed: Type.Literal(Feed.sensors),
    nodeId: Type.String({ minLength: 1, maxLength: 64, description: 'Sensor node, e.g. "Node 1".' }),
    temperatureC: Type.Number(),
    eventTimeMs: EventTimeMsField,
    source: SourceField,
  },
  { title: 'TemperatureReading', additionalProperties: false },
);
export type TemperatureReading = Static<typeof TemperatureReadingSchema>;
