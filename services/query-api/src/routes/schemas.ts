// Route schemas shared by several resources: validation of every request, and the OpenAPI document.
import { Type, type TSchema } from '@sinclair/typebox';
import { AlertLevel, Feed, SYMBOL_PATTERN, valuesOf } from '@tideline/contracts';
import { CURSOR_PATTERN } from '../query/cursor.ts';
import { RESOLUTION_PATTERN, TIME_PATTERN } from '../query/time-range.ts';

export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable error code (see the README)' }),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
      requestId: Type.String(),
    }),
  },
  { $id: 'Error', title: 'Error' },
);

/** The error answers every route can give, for the OpenAPI document. */
export function withErrors(responses: Record<number, TSchema>): Record<number, TSchema> {
  const ref = Type.Ref('Error');
  return { ...responses, 400: ref, 401: ref, 403: ref, 404: ref, 429: ref, 503: ref };
}

const literals = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description },
  );

export const InstrumentFeedSchema = literals(
  [Feed.geotech, Feed.sensors],
  'geotech instruments or sensor nodes',
);
export const FeedSchema = literals(valuesOf(Feed), 'feed');

export const InstrumentIdSchema = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9._:-]+$',
  description: 'Instrument id or sensor node id',
});
export const SymbolSchema = Type.String({ pattern: SYMBOL_PATTERN, description: 'Stock symbol, e.g. BHP' });

export const TimeSchema = (description: string) =>
  Type.String({ pattern: TIME_PATTERN, maxLength: 40, description: `${description}: epoch ms or ISO 8601` });
export const CursorSchema = Type.String({
  pattern: CURSOR_PATTERN,
  description: 'nextCursor of the page before',
});
export const LimitSchema = Type.Integer({ minimum: 1, maximum: 100_000, description: 'Rows per page' });
export const ResolutionSchema = Type.String({
  pattern: RESOLUTION_PATTERN,
  description: 'Bucket size for downsampling (e.g. 10s, 1m, 1h) or raw',
});
export const FormatSchema = literals(['json', 'csv'], 'Answer format (else from the Accept header)');
export const JobNameSchema = Type.String({
  pattern: '^[a-z0-9][a-z0-9._-]{0,127}$',
  description: 'Job name',
});
export const LevelsSchema = Type.String({
  pattern: `^(${valuesOf(AlertLevel).join('|')})(,(${valuesOf(AlertLevel).join('|')}))*$`,
  description: 'Comma-separated alert levels',
});

export const NextCursorSchema = Type.Union([Type.String(), Type.Null()], {
  description: 'Pass as cursor for the next page; null on the last page',
});
export const AttributesSchema = Type.Union([
  Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
  Type.Null(),
]);
