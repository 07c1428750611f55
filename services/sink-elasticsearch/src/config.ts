import { Type, type Static } from '@sinclair/typebox';

const LogLevel = Type.Union(
  [Type.Literal('debug'), Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')],
  { default: 'info', description: 'pino log level' },
);

/** sink-elasticsearch's configuration: environment keys are these names with the SINK_ES_ prefix. */
export const SinkElasticsearchConfigSchema = Type.Object(
  {
    HOST: Type.String({ default: '127.0.0.1', description: 'Address the HTTP server binds' }),
    PORT: Type.Integer({
      default: 8086,
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
      default: 'tideline-sink-elasticsearch',
      minLength: 1,
      description: 'Kafka consumer group',
    }),
    ELASTICSEARCH_URL: Type.String({
      default: 'http://127.0.0.1:9200',
      description: 'Elasticsearch node URL',
    }),
    INDEX_PREFIX: Type.String({
      default: 'tideline',
      pattern: '^[a-z0-9][a-z0-9_-]{0,40}$',
      description: 'Prefix of every index, alias and template the sink makes (<prefix>-<view>-...)',
    }),
    RETENTION_DAYS: Type.Integer({
      default: 30,
      minimum: 0,
      description: 'Daily indices older than this are deleted, older records skipped; 0 keeps everything',
    }),
    REFRESH_INTERVAL: Type.String({
      default: '1s',
      pattern: '^(-1|[0-9]+(ms|s|m))$',
      description: 'index.refresh_interval of the daily indices: how soon a document is searchable',
    }),
    NUMBER_OF_SHARDS: Type.Integer({ default: 1, minimum: 1, description: 'Primary shards per daily index' }),
    NUMBER_OF_REPLICAS: Type.Integer({ default: 0, minimum: 0, description: 'Replicas per daily index' }),
    REQUEST_TIMEOUT_MS: Type.Integer({
      default: 10_000,
      minimum: 100,
      description: 'Time limit of one Elasticsearch request',
    }),
    ITEM_RETRIES: Type.Integer({
      default: 5,
      minimum: 0,
      description: 'Re-sends of bulk items refused with 429 or 5xx before the whole batch is retried',
    }),
    METRICS_INTERVAL_MS: Type.Integer({
      default: 10_000,
      minimum: 0,
      description:
        'How often the sink indexes its own figures (lag, rows/s) for the pipeline-health dashboard; 0 turns it off',
    }),
    MAINTENANCE_INTERVAL_MS: Type.Integer({
      default: 3_600_000,
      minimum: 1000,
      description: 'How often indices older than the retention are deleted',
    }),
    TOPIC_REFRESH_MS: Type.Integer({
      default: 5000,
      minimum: 100,
      description: 'How often new matching topics are looked for',
    }),
    RETRY_INITIAL_MS: Type.Integer({
      default: 200,
      minimum: 1,
      description: 'First backoff ceiling while Elasticsearch is down',
    }),
    RETRY_MAX_MS: Type.Integer({ default: 5000, minimum: 1, description: 'Largest backoff ceiling' }),
    FETCH_MAX_BYTES_PER_PARTITION: Type.Integer({
      default: 4 * 1024 * 1024,
      minimum: 1024,
      description:
        'Bytes fetched per partition: the largest batch, and what is held while Elasticsearch is down',
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
      description: 'Retention of dlq.sink-elasticsearch when the sink creates it',
    }),
  },
  { additionalProperties: false },
);
export type SinkElasticsearchConfig = Static<typeof SinkElasticsearchConfigSchema>;
