import { Type, type Static } from '@sinclair/typebox';
import { kafkaProperties, serverProperties } from '@tideline/config';

/** The processor's configuration: environment keys are these names with the PROCESSOR_ prefix. */
export const ProcessorConfigSchema = Type.Object(
  {
    ...serverProperties(8083),
    ...kafkaProperties(),
    REDIS_URL: Type.String({
      default: 'redis://127.0.0.1:6379',
      description: 'Redis for the queryable state (latest values, update channels); empty turns it off',
    }),
    JOBS_FILE: Type.String({
      default: '',
      description: 'The jobs file (JSON, see jobs/default.json); empty: jobs/default.json of this service',
    }),
    JOBS: Type.String({
      default: '',
      pattern: '^([a-z][a-z0-9-]*(,[a-z][a-z0-9-]*)*)?$',
      description: 'Comma-separated names of the jobs to run; empty runs every job of the file',
    }),
    JOB_VERSION: Type.Integer({
      default: 0,
      minimum: 0,
      description: "Run the jobs as this output version (Kappa reprocessing); 0 keeps each job's own",
    }),
    GUARANTEE: Type.Union([Type.Literal('exactly-once'), Type.Literal('at-least-once')], {
      default: 'exactly-once',
      description: 'Delivery guarantee from raw to processed topics',
    }),
    GROUP_PREFIX: Type.String({
      default: 'tideline-processor',
      pattern: '^[a-zA-Z0-9._-]+$',
      description: 'Consumer groups are <namespace>.<prefix>.<job id>',
    }),
    OUTPUT_PARTITIONS: Type.Integer({
      default: 3,
      minimum: 1,
      description: 'Partitions of topics the processor creates',
    }),
    CONCURRENCY: Type.Integer({
      default: 3,
      minimum: 1,
      description: 'Input partitions processed at once per job',
    }),
    MAX_BYTES_PER_PARTITION: Type.Integer({
      // Compressed bytes: 768 KiB of trades is about 11,000 records, decoded and held while processed.
      // Measured (pnpm bench processor): against 1 MiB, the same throughput within the noise and about
      // 18 MB less peak RSS with 100,000 open windows (median 265 against 283 MB); 512 KiB cost ~12 %
      // of exactly-once throughput.
      default: 768 * 1024,
      minimum: 1024,
      description: 'Fetch size per partition (compressed bytes): the largest batch read at once',
    }),
    MAX_CHANGES_PER_TRANSACTION: Type.Integer({
      default: 2000,
      minimum: 1,
      description:
        'Changed state entries (keys) that end a transaction early: bounds the memory of a batch of many new keys',
    }),
    SESSION_TIMEOUT_MS: Type.Integer({
      default: 30_000,
      minimum: 6000,
      description:
        'Consumer group session timeout: how long a killed instance holds its partitions before the group takes them back',
    }),
    CATALOGUE_URL: Type.String({
      default: 'http://127.0.0.1:8081/v1/instruments',
      description:
        'The instrument catalogue (alert and alarm levels) for level alerts; empty: only the jobs file levels',
    }),
  },
  { additionalProperties: false },
);
export type ProcessorConfig = Static<typeof ProcessorConfigSchema>;
