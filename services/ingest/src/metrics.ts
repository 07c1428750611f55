import { Counter, Gauge, Histogram, type Registry } from '@tideline/service-kit';

/** Ingest's Prometheus metrics; names are documented in services/ingest/README.md. */
export function createIngestMetrics(registry: Registry) {
  return {
    produced: new Counter({
      name: 'tideline_ingest_events_produced_total',
      help: 'Valid raw events produced to Kafka, by topic',
      labelNames: ['topic'] as const,
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'tideline_ingest_dead_lettered_total',
      help: 'Records sent to the dead-letter topic, by reason code',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    sourceErrors: new Counter({
      name: 'tideline_ingest_source_errors_total',
      help: 'Failed polls of the source, by feed and error code (retried with backoff)',
      labelNames: ['feed', 'code'] as const,
      registers: [registry],
    }),
    produceErrors: new Counter({
      name: 'tideline_ingest_produce_errors_total',
      help: 'Failed produce calls to Kafka (the batch is retried)',
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'tideline_ingest_batch_events',
      help: 'Events per produce batch',
      buckets: [1, 10, 100, 1000, 5000, 10000, 50000],
      registers: [registry],
    }),
    produceSeconds: new Histogram({
      name: 'tideline_ingest_produce_duration_seconds',
      help: 'Time to produce one batch with acks from all in-sync replicas',
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    }),
    uploadsRefused: new Counter({
      name: 'tideline_ingest_uploads_refused_total',
      help: 'Uploads answered 503 because the cap on upload bytes in flight was reached',
      registers: [registry],
    }),
    legacyMessages: new Counter({
      name: 'tideline_ingest_legacy_messages_total',
      help: 'Messages read from the legacy topics (e.g. monitoring), by topic',
      labelNames: ['topic'] as const,
      registers: [registry],
    }),
    eventTimeLagMs: new Gauge({
      name: 'tideline_ingest_event_time_lag_ms',
      help: 'Wall clock minus the newest event time produced, by feed: how far behind the source ingest is',
      labelNames: ['feed'] as const,
      registers: [registry],
    }),
  };
}
export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
