import { Type, type Static } from '@sinclair/typebox';
import { serverProperties } from '@tideline/config';
import { SYMBOL_PATTERN } from '@tideline/contracts';

const rate = (description: string) => Type.Number({ minimum: 0, maximum: 1, default: 0, description });
const symbolItem = SYMBOL_PATTERN.slice(1, -1);

/** Every key of the source-api, read from `SOURCE_API_<KEY>` by main.ts through loadConfig. */
export const SourceApiConfigSchema = Type.Object(
  {
    ...serverProperties(8081, 'the simulated routes, health, metrics'),
    SEED: Type.Integer({
      minimum: 0,
      maximum: 4_294_967_295,
      default: 1,
      description: 'Seed of every simulated value and fault: same seed and clock, same data.',
    }),
    SOURCE_NAME: Type.String({
      minLength: 1,
      default: 'source-api',
      description: 'The `source` field of geotech readings.',
    }),
    SYMBOLS: Type.String({
      pattern: `^${symbolItem}(,${symbolItem})*$`,
      default: 'AGL,BHP,CBA,CSL,NAB,WBC,WES,TLS',
      description: 'Comma-separated symbol universe of the market feed.',
    }),
    HISTORY_MS: Type.Integer({
      minimum: 0,
      default: 3_600_000,
      description: 'A feed request without a cursor starts this long before now.',
    }),
    SIM_START_MS: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'Simulated time at start-up (epoch ms); unset, simulated time is the wall clock.',
      }),
    ),
    SIM_SPEED: Type.Number({
      exclusiveMinimum: 0,
      maximum: 10_000,
      default: 1,
      description: 'Simulated milliseconds per wall-clock millisecond.',
    }),
    GEOTECH_PERIOD_MS: Type.Integer({
      minimum: 100,
      default: 10_000,
      description: 'Every geotechnical instrument reports once per period.',
    }),
    MARKET_INTERVAL_MS: Type.Integer({
      minimum: 10,
      default: 1000,
      description: 'Every symbol trades once per interval.',
    }),
    SENSOR_DROPOUT_PROBABILITY: Type.Number({
      minimum: 0,
      maximum: 1,
      default: 0.02,
      description: 'Probability that a temperature node is silent for a 10-minute bucket.',
    }),
    ADMIN_ENABLED: Type.Boolean({ default: true, description: 'Serve /v1/admin/faults.' }),
    FAULT_NULL_RATE: rate('Initial nullRate (see /v1/admin/faults).'),
    FAULT_MALFORMED_RATE: rate('Initial malformedRate.'),
    FAULT_DUPLICATE_RATE: rate('Initial duplicateRate.'),
    FAULT_OUT_OF_ORDER_RATE: rate('Initial outOfOrderRate.'),
    FAULT_LATE_RATE: rate('Initial lateRate.'),
    FAULT_LATE_BY_MS: Type.Integer({
      minimum: 0,
      maximum: 604_800_000,
      default: 60_000,
      description: 'Initial lateByMs.',
    }),
    FAULT_BURST_RATE: rate('Initial burstRate.'),
    FAULT_BURST_SIZE: Type.Integer({
      minimum: 1,
      maximum: 10_000,
      default: 100,
      description: 'Initial burstSize.',
    }),
    FAULT_DELAY_MS: Type.Integer({
      minimum: 0,
      maximum: 60_000,
      default: 0,
      description: 'Initial delayMs.',
    }),
    FAULT_ERROR_RATE: rate('Initial errorRate.'),
    FAULT_OUTAGE_FOR_MS: Type.Integer({
      minimum: 0,
      maximum: 86_400_000,
      default: 0,
      description: 'Fail every data request for this long after start-up.',
    }),
  },
  { additionalProperties: false },
);
export type SourceApiConfig = Static<typeof SourceApiConfigSchema>;

export const CONFIG_PREFIX = 'SOURCE_API_';
