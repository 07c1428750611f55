import { Type, type Static } from '@sinclair/typebox';

const LogLevel = Type.Union(
  [Type.Literal('debug'), Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')],
  { default: 'info', description: 'pino log level' },
);

/** sink-postgres's configuration: environment keys are these names with the SINK_PG_ prefix. */
export const SinkPostgresConfigSchema = Type.Object(
  {
    HOST: Type.String({ default: '127.0.0.1', description: 'Address the HTTP server binds' }),
    PORT: Type.Integer({
      default: 8085,
      minimum: 0,
      maximum: 65535,
      description: 'HTTP port (health, metrics)',
    }),
    LOG_LEVEL: LogLevel,
    KAFKA_BROKERS: Type.String({
      default: '127.0.0.1:9092',
      description: 'Comma-separated Kafka bootstrap servers',
    }),
    TOPIC_NAMESPACE: Type.String({
      default: '',
      pattern: '^([a-zA-Z0-9_-]{1,64})?$',
      description: 'Topic namespace (topicNamer); empty for the plain topic names',
    }),
    GROUP_ID: Type.String({
      default: 'tideline-sink-postgres',
      minLength: 1,
      description: 'Kafka consumer group',
    }),
    DATABASE_URL: Type.String({
      default: 'postgres://tideline@127.0.0.1:5432/tideline',
      description: 'PostgreSQL connection string',
    }),
    PG_SCHEMA: Type.String({
      default: 'public',
      pattern: '^[a-z_][a-z0-9_]{0,62}$',
      description: 'Schema the tables live in (search_path); migrations create it when missing',
    }),
    PG_POOL_SIZE: Type.Integer({ default: 4, minimum: 1, description: 'PostgreSQL connections' }),
    MIGRATE_ON_START: Type.Boolean({ default: true, description: 'Run pending migrations before consuming' }),
    WRITE_MODE: Type.Union([Type.Literal('insert'), Type.Literal('copy')], {
      default: 'copy',
      description:
        'copy (the faster in pnpm bench sinks): COPY into a staging table, then merge; insert: multi-row INSERT ... ON CONFLICT from unnest() arrays',
    }),
    RETENTION_DAYS: Type.Integer({
      default: 90,
      minimum: 0,
      description: 'Daily partitions older than this are dropped, older records skipped; 0 keeps everything',
    }),
    PARTITIONS_AHEAD_DAYS: Type.Integer({
      default: 7,
      minimum: 1,
      description: 'Daily partitions created ahead of today; records further in the future are dead-lettered',
    }),
    MAINTENANCE_INTERVAL_MS: Type.Integer({
      default: 3_600_000,
      minimum: 1000,
      description: 'How often partitions are created ahead and old ones dropped',
    }),
    TOPIC_REFRESH_MS: Type.Integer({
      default: 5000,
      minimum: 100,
      description: 'How often new matching topics are looked for',
    }),
    RETRY_INITIAL_MS: Type.Integer({
      default: 200,
      minimum: 1,
      description: 'First backoff ceiling while PostgreSQL is down',
    }),
    RETRY_MAX_MS: Type.Integer({ default: 5000, minimum: 1, description: 'Largest backoff ceiling' }),
    CONNECT_TIMEOUT_MS: Type.Integer({
      default: 5000,
      minimum: 100,
      description: 'Time limit of a new PostgreSQL connection',
    }),
    STATEMENT_TIMEOUT_MS: Type.Integer({
      default: 30_000,
      minimum: 100,
      description: 'Time limit of one statement',
    }),
    FETCH_MAX_BYTES_PER_PARTITION: Type.Integer({
      default: 4 * 1024 * 1024,
      minimum: 1024,
      description:
        'Bytes fetched per partition: the largest batch, and what is held while PostgreSQL is down',
    }),
    CONCURRENT_PARTITIONS: Type.Integer({
      default: 3,
      minimum: 1,
      description:
        'Partition batches written at once, each in its own write and commit (per-partition order holds)',
    }),
    DLQ_RETENTION_MS: Type.Integer({
      default: 30 * 24 * 3600 * 1000,
      minimum: -1,
      description: 'Retention of dlq.sink-postgres when the sink creates it',
    }),
  },
  { additionalProperties: false },
);
export type SinkPostgresConfig = Static<typeof SinkPostgresConfigSchema>;
