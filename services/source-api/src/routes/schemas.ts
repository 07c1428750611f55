import { Type, type Static } from '@sinclair/typebox';

/** Query of every feed route: where to start and how much to take. */
export const PageQuerySchema = Type.Object(
  {
    since: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 256,
        pattern: '^[A-Za-z0-9_-]+$',
        description: 'Opaque cursor from a previous page; without it, the page starts HISTORY_MS before now.',
      }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000, description: 'Most items to return.' }),
  },
  { additionalProperties: false },
);
export type PageQuery = Static<typeof PageQuerySchema>;

export const MarketQuerySchema = Type.Object(
  {
    ...PageQuerySchema.properties,
    symbols: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9.-]{1,12}(,[A-Za-z0-9.-]{1,12})*$',
        description: 'Comma-separated symbols to include (default: all).',
      }),
    ),
  },
  { additionalProperties: false },
);
export type MarketQuery = Static<typeof MarketQuerySchema>;

/** The JSON every error answers with (service-kit's ErrorBody). */
export const ErrorBodySchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable code, see README.md.' }),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
      requestId: Type.String(),
    }),
  },
  { title: 'ErrorBody' },
);

export const errorResponses = {
  400: ErrorBodySchema,
  500: ErrorBodySchema,
  503: ErrorBodySchema,
} as const;
