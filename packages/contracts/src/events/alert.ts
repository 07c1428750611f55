import { Type, type Static } from '@sinclair/typebox';
import { AlertLevel, Feed } from '../values.ts';
import { EventTimeMsField, KeyField, SchemaVersionField } from './common.ts';

/** A threshold crossing (or missing data, or the all-clear) for one key, on `alerts.<feed>`. */
export const AlertSchema = Type.Object(
  {
    schemaVersion: SchemaVersionField,
    alertId: Type.String({ minLength: 1, maxLength: 128, description: 'Deterministic id (see alertIdFor).' }),
    feed: Type.Enum(Feed),
    key: KeyField,
    level: Type.Enum(AlertLevel),
    value: Type.Union([Type.Number(), Type.Null()], {
      description: 'The value that crossed; null for missing data.',
    }),
    thresholds: Type.Object(
      {
        alertLevel: Type.Optional(Type.Number()),
        alarmLevel: Type.Optional(Type.Number()),
        missingAfterMs: Type.Optional(Type.Integer({ minimum: 0 })),
      },
      { additionalProperties: false, description: 'The limits in force when the alert was raised.' },
    ),
    eventTimeMs: EventTimeMsField,
    message: Type.String({ maxLength: 1024 }),
  },
  { title: 'Alert', additionalProperties: false },
);
export type Alert = Static<typeof AlertSchema>;
