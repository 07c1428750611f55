import { Type, type Static } from '@sinclair/typebox';
import { EventTimeMsField, KeyField, SchemaVersionField } from './common.ts';

/** A record that arrived after its window's allowed lateness, on `late.<job>`: counted, never dropped silently. */
export const LateRecordSchema = Type.Object(
  {
    schemaVersion: SchemaVersionField,
    job: Type.String({ minLength: 1, maxLength: 128 }),
    reason: Type.String({
      minLength: 1,
      maxLength: 256,
      description: 'Stable reason, e.g. beyond_allowed_lateness.',
    }),
    key: KeyField,
    eventTimeMs: EventTimeMsField,
    watermarkMs: Type.Integer({ description: 'The watermark the record was compared with.' }),
    record: Type.Unknown({ description: 'The record as it arrived.' }),
  },
  { title: 'LateRecord', additionalProperties: false },
);
export type LateRecord = Static<typeof LateRecordSchema>;
