import { Counter, Gauge, Histogram, type Registry } from '@tideline/service-kit';

/** The runtime's Prometheus metrics, labelled by store; documented in each sink's README. */
export function createSinkMetrics(registry: Registry) {
  return {
    written: new Counter({
      name: 'tideline_sink_records_written_total',
      help: 'Records written to the store (rows or documents); rate() gives rows/s',
      labelNames: ['store'] as const,
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: 'tideline_sink_batch_duration_seconds',
      help: 'Time from receiving a batch to committing its offsets (decode, write with retries, dead letters, commit)',
      labelNames: ['store'] as const,
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
      registers: [registry],
    }),
    batchRecords: new Histogram({
      name: 'tideline_sink_batch_records',
      help: 'Records per batch',
      labelNames: ['store'] as const,
      buckets: [1, 10, 100, 1000, 5000, 20000],
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'tideline_sink_consumer_lag_records',
      help: 'High watermark minus the next offset to commit, by topic and partition, after the last batch',
      labelNames: ['store', 'topic', 'partition'] as const,
      registers: [registry],
    }),
    retries: new Counter({
      name: 'tideline_sink_write_retries_total',
      help: 'Batch writes retried because the store was unavailable',
      labelNames: ['store', 'code'] as const,
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'tideline_sink_dead_lettered_total',
      help: 'Records sent to dlq.sink-<store>, by reason code',
      labelNames: ['store', 'reason'] as const,
      registers: [registry],
    }),
    expired: new Counter({
      name: 'tideline_sink_expired_total',
      help: 'Records older than the retention setting: skipped, not written',
      labelNames: ['store'] as const,
      registers: [registry],
    }),
    storeAvailable: new Gauge({
      name: 'tideline_sink_store_available',
      help: '1 while the store takes writes, 0 while the sink waits for it (consumption paused)',
      labelNames: ['store'] as const,
      registers: [registry],
    }),
    restarts: new Counter({
      name: 'tideline_sink_consumer_restarts_total',
      help: 'Consumer restarts, by reason (new topics matched, consumer crash)',
      labelNames: ['store', 'reason'] as const,
      registers: [registry],
    }),
    subscribedTopics: new Gauge({
      name: 'tideline_sink_subscribed_topics',
      help: 'Topics the consumer is subscribed to',
      labelNames: ['store'] as const,
      registers: [registry],
    }),
  };
}
export type SinkMetrics = ReturnType<typeof createSinkMetrics>;
