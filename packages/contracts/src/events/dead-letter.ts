import { Type, type Static } from '@sinclair/typebox';
import { DeadLetterStage } from '../values.ts';
import { EpochMsField, SchemaVersionField, SourceField } from './common.ts';

/** A record a stage gave up on, on `dlq.<stage>`, with the original bytes so it can be replayed. */
export const DeadLetterSchema = Type.Object(
  {
    schemaVersion: SchemaVersionField,
    stage: Type.Enum(DeadLetterStage),
    reasonCode: Type.String({
      minLength: 1,
      maxLength: 128,
      description: 'Stable machine-readable reason; dashboards group by it.',
    }),
    reason: Type.String({ maxLength: 4096, description: 'Human-readable detail.' }),
    source: SourceField,
    topic: Type.Optional(Type.String({ minLength: 1, maxLength: 249, description: 'Input topic, if any.' })),
    partition: Type.Optional(Type.Integer({ minimum: 0 })),
    offset: Type.Optional(Type.String({ pattern: '^[0-9]+$', description: 'Kafka offset, as a string.' })),
    rawPayload: Type.String({ description: 'The original bytes, as text.' }),
    receivedAtMs: EpochMsField('When the stage received the record.'),
  },
  { title: 'DeadLetter', additionalProperties: false },
);
export type DeadLetter = Static<typeof DeadLetterSchema>;
