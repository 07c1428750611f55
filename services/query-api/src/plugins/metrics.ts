import { Counter, Gauge, type Registry } from '@tideline/service-kit';
import type { FastifyInstance } from 'fastify';

/** The query API's own metrics, beside service-kit's request counts and latencies. */
export interface QueryMetrics {
  latestSource: Counter<'source'>;
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
