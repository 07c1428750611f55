import { Type, type Static } from '@sinclair/typebox';
import { WindowFiring } from '../values.ts';
import { EpochMsField, KeyField, SchemaVersionField } from './common.ts';

/** The result of one window of one key of one job; (job, key, windowStartMs, windowEndMs) identifies it. */
export const WindowAggregateSchema = Type.Object(
  {
    schemaVersion: SchemaVersionField,
    job: Type.String({ minLength: 1, maxLength: 128, description: 'Job name, including its version.' }),
    key: KeyField,
    windowStartMs: EpochMsField('Window start, inclusive.'),
    windowEndMs: EpochMsField('Window end, exclusive.'),
    aggregates: Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()]), {
      description:
        'Aggregate name to value (avg, min, max, sma_5, ...); null when undefined (avg of nothing).',
    }),
    count: Type.Integer({ minimum: 0, description: 'Events in the window.' }),
    firing: Type.Enum(WindowFiring),
    emittedAtWatermarkMs: Type.Integer({ description: 'The watermark when this result was emitted.' }),
  },
  { title: 'WindowAggregate', additionalProperties: false },
);
export type WindowAggregate = Static<typeof WindowAggregateSchema>;
