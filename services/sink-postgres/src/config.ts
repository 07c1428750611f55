import { Type, type Static } from '@sinclair/typebox';
import { sinkConfigProperties } from '@tideline/sink-runtime';

/** sink-postgres's configuration: environment keys are these names with the SINK_PG_ prefix. */
export const SinkPostgresConfigSchema = Type.Object(
  {
    ...sinkConfigProperties({
      port: 8085,
      groupId: 'tideline-sink-postgres',
      store: 'PostgreSQL',
      deadLetterTopic: 'dlq.sink-postgres',
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
  },
  { additionalProperties: false },
);
export type SinkPostgresConfig = Static<typeof SinkPostgresConfigSchema>;
