import { Counter, Gauge, Histogram, type Registry } from '@tideline/service-kit';

/** The processor's Prometheus metrics, per job (the job id carries its version). */
export function createProcessorMetrics(registry: Registry) {
  const registers = [registry];
  return {
    recordsIn: new Counter({
      name: 'tideline_processor_records_in_total',
      help: 'Raw records consumed and processed (committed)',
      labelNames: ['job'] as const,
      registers,
    }),
    recordsOut: new Counter({
      name: 'tideline_processor_records_out_total',
      help: 'Records written, by kind: reading, window, alert, late, dead_letter',
      labelNames: ['job', 'kind'] as const,
      registers,
    }),
    duplicates: new Counter({
      name: 'tideline_processor_duplicates_total',
      help: 'Records dropped as repeated event ids',
      labelNames: ['job'] as const,
      registers,
    }),
    late: new Counter({
      name: 'tideline_processor_late_records_total',
      help: 'Records too late for a window, written to late.<job>',
      labelNames: ['job'] as const,
      registers,
    }),
    deadLettered: new Counter({
      name: 'tideline_processor_dead_lettered_total',
      help: 'Records written to dlq.processor, by reason',
      labelNames: ['job', 'reason'] as const,
      registers,
    }),
    watermarkDelay: new Gauge({
      name: 'tideline_processor_watermark_delay_seconds',
      help: 'Wall clock minus the event-time watermark, per input partition',
      labelNames: ['job', 'topic', 'partition'] as const,
      registers,
    }),
    openWindows: new Gauge({
      name: 'tideline_processor_open_windows',
      help: 'Windows held in state, per input partition',
      labelNames: ['job', 'topic', 'partition'] as const,
      registers,
    }),
    consumerLag: new Gauge({
      name: 'tideline_processor_consumer_lag',
      help: 'Records behind the end of the input partition after the last committed batch',
      labelNames: ['job', 'topic', 'partition'] as const,
      registers,
    }),
    transactionSeconds: new Histogram({
      name: 'tideline_processor_transaction_duration_seconds',
      help: 'Time to write a batch: outputs, changelog and offsets, committed',
      labelNames: ['job'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    transactionFailures: new Counter({
      name: 'tideline_processor_transaction_failures_total',
      help: 'Batches whose write failed; the task is rebuilt from its changelog and the batch retried',
      labelNames: ['job'] as const,
      registers,
    }),
    restoreSeconds: new Histogram({
      name: 'tideline_processor_state_restore_duration_seconds',
      help: 'Time to fence and restore newly assigned tasks from the changelog',
      labelNames: ['job'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    redisFailures: new Counter({
      name: 'tideline_processor_queryable_state_failures_total',
      help: 'Latest-value updates Redis did not take (a cache: the next update repairs it)',
      registers,
    }),
  };
}
export type ProcessorMetrics = ReturnType<typeof createProcessorMetrics>;
