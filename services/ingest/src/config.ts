import { Type, type Static } from '@sinclair/typebox';

/** Ingest's configuration: environment keys are these names with the INGEST_ prefix. */
export const IngestConfigSchema = Type.Object(
  {
    HOST: Type.String({ default: '127.0.0.1', description: 'Address the HTTP server binds' }),
    PORT: Type.Integer({
      default: 8082,
      minimum: 0,
      maximum: 65535,
      description: 'HTTP port (health, metrics, uploads)',
    }),
    LOG_LEVEL: Type.Union(
      [Type.Literal('debug'), Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')],
      {
        default: 'info',
        description: 'pino log level',
      },
    ),
    KAFKA_BROKERS: Type.String({
      default: '127.0.0.1:9092',
      description: 'Comma-separated Kafka bootstrap servers',
    }),
    REDIS_URL: Type.String({
      default: 'redis://127.0.0.1:6379',
      description: 'Redis holding the feed cursors',
    }),
    CURSOR_KEY: Type.String({
      default: 'tideline:ingest:cursors',
      description: 'Redis hash of the feed cursors',
    }),
    SOURCE_URL: Type.String({ default: 'http://127.0.0.1:8081', description: 'Base URL of the source API' }),
    FEEDS: Type.String({
      default: 'geotech,market,sensors',
      pattern: '^((geotech|market|sensors)(,(geotech|market|sensors))*)?$',
      description: 'Versioned source feeds to poll (comma list; empty polls nothing)',
    }),
    LEGACY_POLL_MS: Type.Integer({
      default: 0,
      minimum: 0,
      description: 'Poll the original /params/* envelope routes this often; 0 turns it off',
    }),
    POLL_INTERVAL_MS: Type.Integer({
      default: 1000,
      minimum: 10,
      description: 'Wait between polls of a caught-up feed',
    }),
    PAGE_LIMIT: Type.Integer({
      default: 5000,
      minimum: 1,
      maximum: 10000,
      description: 'Items asked for per poll',
    }),
    REQUEST_TIMEOUT_MS: Type.Integer({
      default: 10_000,
      minimum: 100,
      description: 'Time limit of one source request',
    }),
    RETRY_INITIAL_MS: Type.Integer({
      default: 200,
      minimum: 1,
      description: 'First backoff ceiling after a failure',
    }),
    RETRY_MAX_MS: Type.Integer({ default: 10_000, minimum: 1, description: 'Largest backoff ceiling' }),
    TOPIC_PARTITIONS: Type.Integer({
      default: 3,
      minimum: 1,
      description: 'Partitions of raw topics ingest creates',
    }),
    RAW_RETENTION_MS: Type.Integer({
      default: 30 * 24 * 3600 * 1000,
      minimum: -1,
      description:
        'Retention of raw topics ingest creates (-1 forever); long enough to replay for a new job version',
    }),
    COMPRESSION: Type.Union([Type.Literal('none'), Type.Literal('gzip'), Type.Literal('snappy')], {
      default: 'snappy',
      description: 'Compression of produced batches',
    }),
    MAX_BODY_BYTES: Type.Integer({
      default: 16 * 1024 * 1024,
      minimum: 1024,
      description: 'Largest upload accepted',
    }),
  },
  { additionalProperties: false },
);
export type IngestConfig = Static<typeof IngestConfigSchema>;
