import { Counter, Gauge, type Registry } from '@tideline/service-kit';
import type { FastifyInstance } from 'fastify';

/** The query API's own metrics, beside service-kit's request counts and latencies. */
export interface QueryMetrics {
  latestSource: Counter<'source'>;
  latestCache: Counter<'result'>;
  latestCacheInvalidations: Counter<'reason'>;
  latestCacheTracking: Gauge;
  csvRows: Counter;
  liveClients: Gauge;
  liveMessages: Counter;
}

declare module 'fastify' {
  interface FastifyInstance {
    queryMetrics: QueryMetrics;
  }
}

export function registerQueryMetrics(app: FastifyInstance, registry: Registry): QueryMetrics {
  const metrics: QueryMetrics = {
    latestSource: new Counter({
      name: 'tideline_query_latest_total',
      help: 'Latest-value answers by where they came from (redis, postgres, none)',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    latestCache: new Counter({
      name: 'tideline_query_latest_cache_total',
      help: 'Latest-value reads of Redis state by the client-side cache: hit, miss (read and tracked), untracked (read while tracking is not established)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    latestCacheInvalidations: new Counter({
      name: 'tideline_query_latest_cache_invalidations_total',
      help: 'Cached latest values dropped: key (Redis invalidated it), flush (Redis flushed a database), connection (a connection closed, reconnected or missed a heartbeat)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    latestCacheTracking: new Gauge({
      name: 'tideline_query_latest_cache_tracking',
      help: '1 while Redis tracks the latest-value reads (answers are cached), 0 otherwise',
      registers: [registry],
    }),
    csvRows: new Counter({
      name: 'tideline_query_csv_rows_total',
      help: 'Rows streamed as CSV',
      registers: [registry],
    }),
    liveClients: new Gauge({
      name: 'tideline_query_live_clients',
      help: 'Live event streams open',
      registers: [registry],
    }),
    liveMessages: new Counter({
      name: 'tideline_query_live_messages_total',
      help: 'Updates forwarded to live event streams',
      registers: [registry],
    }),
  };
  app.decorate('queryMetrics', metrics);
  return metrics;
}
