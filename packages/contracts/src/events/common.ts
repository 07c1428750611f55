import { Type } from '@sinclair/typebox';
import { SCHEMA_VERSION } from '../values.ts';

/** Field schemas shared by every event, so each rule is written once. */

export const SchemaVersionField = Type.Literal(SCHEMA_VERSION, {
  description: 'Version of the event shape; consumers reject versions they do not know.',
});

export const EventIdField = Type.String({
  minLength: 1,
  maxLength: 128,
  description:
    'Deterministic id derived from the identifying content (see eventIdFor); downstream dedup key.',
});

export const EpochMsField = (description: string) =>
  Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000, description });

export const EventTimeMsField = EpochMsField(
  'Event time: when the measurement was taken, epoch milliseconds UTC.',
);

export const SourceField = Type.String({
  minLength: 1,
  maxLength: 512,
  description: 'Where the record came from (source name or URL).',
});

/** Upper-case A-Z, 0-9, '.' and '-', 1 to 12 characters (ASX-style tickers, share classes). */
export const SYMBOL_PATTERN = '^[A-Z0-9.-]{1,12}$';

export const SymbolField = Type.String({ pattern: SYMBOL_PATTERN, description: 'Stock symbol, e.g. BHP.' });

export const KeyField = Type.String({
  minLength: 1,
  maxLength: 128,
  description: 'Partition key: instrument id, symbol or node id.',
});
