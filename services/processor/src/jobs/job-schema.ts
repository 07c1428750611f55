import { Type, type Static } from '@sinclair/typebox';

// A job is declarative data: what it reads, how it cleans, which windows it computes and what it
// writes. The runtime (consume, transact, changelog, restore) knows nothing of any one job; the
// compiler (compile-job.ts) turns this into the pure pieces the runtime drives.

const Name = Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$', description: 'lower-case, digits and -' });
const Ms = (description: string) => Type.Integer({ minimum: 0, description });
const PositiveMs = (description: string) => Type.Integer({ minimum: 1, description });

export const AggregateFn = {
  count: 'count',
  sum: 'sum',
  min: 'min',
  max: 'max',
  avg: 'avg',
  first: 'first',
  last: 'last',
  stddev: 'stddev',
  ema: 'ema',
} as const;
export type AggregateFn = (typeof AggregateFn)[keyof typeof AggregateFn];

const AggregateSchema = Type.Union([
  Type.Object(
    {
      fn: Type.Union(
        ['count', 'sum', 'min', 'max', 'avg', 'first', 'last', 'stddev'].map((f) => Type.Literal(f)),
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { fn: Type.Literal('ema'), span: Type.Integer({ minimum: 1, description: 'alpha = 2 / (span + 1)' }) },
    { additionalProperties: false },
  ),
]);

const WindowSpecSchema = Type.Union([
  Type.Object(
    {
      type: Type.Literal('tumbling'),
      sizeMs: PositiveMs('window length'),
      graceMs: Type.Optional(Ms('how long after its end a window still takes late events (default 0)')),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('hopping'),
      sizeMs: PositiveMs('window length'),
      advanceMs: PositiveMs('distance between window starts'),
      graceMs: Type.Optional(Ms('default 0')),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('session'),
      gapMs: PositiveMs('inactivity gap that closes a session'),
      graceMs: Type.Optional(Ms('default 0')),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal('count'), size: Type.Integer({ minimum: 1, description: 'the last k events' }) },
    { additionalProperties: false },
  ),
]);

const EmitSchema = Type.Union([
  Type.Object({ type: Type.Literal('on-window-close') }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal('on-update'),
      throttleMs: Type.Optional(Ms('at most one early firing per key per interval')),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal('on-count'), everyEvents: Type.Integer({ minimum: 1 }) },
    { additionalProperties: false },
  ),
]);

export const WindowJobSchema = Type.Object(
  {
    name: Name,
    window: WindowSpecSchema,
    emit: Type.Optional(EmitSchema),
    accumulation: Type.Optional(
      Type.Union([
        Type.Literal('accumulating'),
        Type.Literal('discarding'),
        Type.Literal('accumulating-and-retracting'),
      ]),
    ),
    aggregates: Type.Record(Name, AggregateSchema, { minProperties: 1 }),
    sparkCompatible: Type.Optional(
      Type.Boolean({ description: 'Spark 3.5 micro-batch semantics, one Kafka fetch batch per micro-batch' }),
    ),
  },
  { additionalProperties: false },
);
export type WindowJob = Static<typeof WindowJobSchema>;

const RangeSchema = Type.Object(
  { min: Type.Optional(Type.Number()), max: Type.Optional(Type.Number()) },
  { additionalProperties: false },
);

const LevelSchema = Type.Object(
  {
    alertLevel: Type.Number(),
    alarmLevel: Type.Number(),
    levelDirection: Type.Union([Type.Literal('above'), Type.Literal('magnitude')]),
  },
  { additionalProperties: false },
);

export const JobSchema = Type.Object(
  {
    name: Name,
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'output version (Kappa); default 1' })),
    feed: Type.Union([Type.Literal('geotech'), Type.Literal('market'), Type.Literal('sensors')]),
    maxOutOfOrdernessMs: Ms('how far behind the largest event time the watermark trails'),
    clean: Type.Object(
      {
        dedupHorizonMs: Type.Optional(Ms('drop a repeated event id seen within this much event time')),
        ranges: Type.Optional(
          Type.Record(Type.String({ minLength: 1 }), RangeSchema, {
            description: 'per measure (instrument type, price, temperature): the plausible values',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    readings: Type.Boolean({ description: 'write cleaned readings to the processed topics' }),
    windows: Type.Array(WindowJobSchema),
    levelAlerts: Type.Optional(
      Type.Object(
        {
          hysteresisFraction: Type.Number({
            minimum: 0,
            maximum: 1,
            description: 'a level is left only when the reading falls this fraction of the level below it',
          }),
          levels: Type.Optional(
            Type.Record(Type.String({ minLength: 1 }), LevelSchema, {
              description: 'levels per instrument id; the instrument catalogue, when loaded, adds the rest',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    missingData: Type.Optional(
      Type.Object(
        { windowMs: PositiveMs('a key that sends nothing for a whole window of this length is missing') },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type Job = Static<typeof JobSchema>;
export type Level = Static<typeof LevelSchema>;

export const JobsFileSchema = Type.Object(
  { jobs: Type.Array(JobSchema, { minItems: 1 }) },
  { additionalProperties: false },
);
export type JobsFile = Static<typeof JobsFileSchema>;
