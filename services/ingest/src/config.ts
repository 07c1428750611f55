import { Type, type Static } from '@sinclair/typebox';
import { kafkaProperties, serverProperties } from '@tideline/config';

/** Ingest's configuration: environment keys are these names with the INGEST_ prefix. */
export const IngestConfigSchema = Type.Object(
  {
    ...serverProperties(8082, 'health, metrics, uploads'),
    ...kafkaProperties(),
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
      description: 'Largest upload accepted (413 beyond it)',
    }),
    UPLOAD_MAX_INFLIGHT_BYTES: Type.Integer({
      // Two 16 MiB bodies at once: on two cores more concurrency only adds memory, not throughput.
      default: 32 * 1024 * 1024,
      minimum: 1024,
      description:
        'Upload bytes in flight across all requests (Content-Length, or MAX_BODY_BYTES when not announced); beyond it uploads get 503 with Retry-After',
    }),
    EVENT_TIME_MIN_MS: Type.Integer({
      default: Date.UTC(2000, 0, 1),
      description:
        'Event times before this (epoch ms) are dead-lettered as implausible (e.g. seconds, not ms)',
    }),
    EVENT_TIME_MAX_AHEAD_MS: Type.Integer({
      default: 24 * 3600 * 1000,
      minimum: 0,
      description: 'Event times further than this ahead of the clock are dead-lettered as implausible',
    }),
    LEGACY_TOPICS: Type.String({
      default: 'monitoring',
      pattern: '^([a-zA-Z0-9._-]+(,[a-zA-Z0-9._-]+)*)?$',
      description:
        "Topics where the original pipeline's producer publishes /params/* envelopes (namespaced like every topic); empty reads none",
    }),
    LEGACY_GROUP_ID: Type.String({
      default: 'tideline-ingest-legacy',
      minLength: 1,
      description: 'Consumer group of the legacy topics (offsets committed after the records are produced)',
    }),
  },
  { additionalProperties: false },
);
export type IngestConfig = Static<typeof IngestConfigSchema>;
