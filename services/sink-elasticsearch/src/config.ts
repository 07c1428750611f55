import { Type, type Static } from '@sinclair/typebox';
import { sinkConfigProperties } from '@tideline/sink-runtime';

/** sink-elasticsearch's configuration: environment keys are these names with the SINK_ES_ prefix. */
export const SinkElasticsearchConfigSchema = Type.Object(
  {
    ...sinkConfigProperties({
      port: 8086,
      groupId: 'tideline-sink-elasticsearch',
      store: 'Elasticsearch',
      deadLetterTopic: 'dlq.sink-elasticsearch',
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
  },
  { additionalProperties: false },
);
export type SinkElasticsearchConfig = Static<typeof SinkElasticsearchConfigSchema>;
