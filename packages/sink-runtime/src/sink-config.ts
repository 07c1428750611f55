import { Type, type Static, type TObject } from '@sinclair/typebox';
import { kafkaProperties, serverProperties } from '@tideline/config';

/** What tells one sink's shared keys from another's: its port, group and the store it writes to. */
export interface SinkIdentity {
  readonly port: number;
  /** The default consumer group, `tideline-sink-<store>`. */
  readonly groupId: string;
  /** The store's name in descriptions: PostgreSQL, Elasticsearch. */
  readonly store: string;
  /** The sink's dead-letter topic, `dlq.sink-<store>`. */
  readonly deadLetterTopic: string;
}

/**
 * The keys every sink reads the same way (server, Kafka, consumer group, retries, fetch size,
 * concurrency, dead letters): spread into a sink's schema beside its store's own keys.
 */
export function sinkConfigProperties(sink: SinkIdentity) {
  return {
    ...serverProperties(sink.port),
    ...kafkaProperties(),
    GROUP_ID: Type.String({ default: sink.groupId, minLength: 1, description: 'Kafka consumer group' }),
    TOPIC_REFRESH_MS: Type.Integer({
      default: 5000,
      minimum: 100,
      description: 'How often new matching topics are looked for',
    }),
    RETRY_INITIAL_MS: Type.Integer({
      default: 200,
      minimum: 1,
      description: `First backoff ceiling while ${sink.store} is down`,
    }),
    RETRY_MAX_MS: Type.Integer({ default: 5000, minimum: 1, description: 'Largest backoff ceiling' }),
    FETCH_MAX_BYTES_PER_PARTITION: Type.Integer({
      default: 4 * 1024 * 1024,
      minimum: 1024,
      description: `Bytes fetched per partition: the largest batch, and what is held while ${sink.store} is down`,
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
      description: `Retention of ${sink.deadLetterTopic} when the sink creates it`,
    }),
  };
}

/** The shared keys as loaded: what `sinkRunnerSettings` reads. */
export type SinkSharedConfig = Static<TObject<ReturnType<typeof sinkConfigProperties>>>;

/** The SinkRunner options the shared keys set. */
export function sinkRunnerSettings(config: SinkSharedConfig) {
  return {
    namespace: config.TOPIC_NAMESPACE,
    groupId: config.GROUP_ID,
    topicRefreshMs: config.TOPIC_REFRESH_MS,
    retry: { initialMs: config.RETRY_INITIAL_MS, maxMs: config.RETRY_MAX_MS },
    maxBytesPerPartition: config.FETCH_MAX_BYTES_PER_PARTITION,
    concurrentPartitions: config.CONCURRENT_PARTITIONS,
    dlqRetentionMs: config.DLQ_RETENTION_MS,
  };
}
