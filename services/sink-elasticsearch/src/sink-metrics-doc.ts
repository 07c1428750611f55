import { hostname } from 'node:os';
import type { Client } from '@elastic/elasticsearch';
import type { SinkRunner } from '@tideline/sink-runtime';
import { dailyIndex, View } from './views.ts';

/**
 * Indexes the sink's own figures every interval (written, rows/s, consumer lag, retries, dead letters)
 * into `<prefix>-sinkmetrics-*`: Kibana reads Elasticsearch, not Prometheus, so the pipeline-health
 * dashboard's lag and throughput panels come from here. Best effort: a failure is logged and skipped.
 */
export function startSinkMetricsDocs(options: {
  client: Client;
  runner: SinkRunner;
  prefix: string;
  intervalMs: number;
  sink: string;
  /** Resolves once the templates exist: a metrics index must never be created without its mapping. */
  before: () => Promise<void>;
  onError: (error: unknown) => void;
}): () => void {
  if (options.intervalMs === 0) return () => undefined;
  const instance = `${hostname()}:${process.pid}`;
  let previous = { written: options.runner.stats().written, atMs: Date.now() };
  const timer = setInterval(() => {
    const now = Date.now();
    const stats = options.runner.stats();
    const seconds = (now - previous.atMs) / 1000;
    const recordsPerSecond = seconds > 0 ? (stats.written - previous.written) / seconds : 0;
    previous = { written: stats.written, atMs: now };
    options
      .before()
      .then(() =>
        options.client.index({
          index: dailyIndex(options.prefix, View.sinkMetrics, now),
          id: `${options.sink}-${instance}-${now}`,
          document: {
            '@timestamp': new Date(now).toISOString(),
            sink: options.sink,
            instance,
            written: stats.written,
            deadLettered: stats.deadLettered,
            expired: stats.expired,
            retries: stats.retries,
            batches: stats.batches,
            lagRecords: stats.lagRecords,
            recordsPerSecond,
            lastBatchMs: stats.lastBatchMs,
            storeAvailable: stats.storeAvailable,
            topics: stats.topics,
          },
        }),
      )
      .catch(options.onError);
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
