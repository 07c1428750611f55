import { Client } from '@elastic/elasticsearch';
import { DeadLetterStage, TopicKind } from '@tideline/contracts';
import { createRegistry, type Registry } from '@tideline/service-kit';
import { buildSinkApp, SinkRunner, sinkRunnerSettings } from '@tideline/sink-runtime';
import type { FastifyInstance } from 'fastify';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { SinkElasticsearchConfig } from './config.ts';
import { EsStore } from './es-store.ts';
import { deleteExpiredIndices } from './retention.ts';
import { startSinkMetricsDocs } from './sink-metrics-doc.ts';

export type { SinkElasticsearchConfig } from './config.ts';
export { SinkElasticsearchConfigSchema } from './config.ts';
export { EsSinkCode } from './errors.ts';
export { Mappings } from './mappings.ts';
export { installTemplates, deleteTemplates } from './templates.ts';
export { View, aliasName, dailyIndex, indexPattern } from './views.ts';
export { actionFor } from './documents.ts';

export interface SinkElasticsearchDependencies {
  logger: Logger;
  kafka: Kafka;
  registry?: Registry;
  /** Defaults to a client for ELASTICSEARCH_URL. */
  client?: Client;
}

export interface SinkElasticsearch {
  app: FastifyInstance;
  runner: SinkRunner;
  store: EsStore;
  client: Client;
}

/**
 * Builds the Elasticsearch sink without starting it. On `ready()` it installs the templates (the first
 * write retries when Elasticsearch is down), deletes indices past the retention, starts consuming the
 * processed, alert, late and dead-letter topics, and starts indexing its own figures. `close()` drains.
 */
export function buildSinkElasticsearch(
  config: SinkElasticsearchConfig,
  deps: SinkElasticsearchDependencies,
): SinkElasticsearch {
  const { logger, kafka } = deps;
  const registry = deps.registry ?? createRegistry('sink-elasticsearch');
  const client =
    deps.client ??
    new Client({ node: config.ELASTICSEARCH_URL, requestTimeout: config.REQUEST_TIMEOUT_MS, maxRetries: 1 });
  const prefix = config.INDEX_PREFIX;
  const retry = { initialMs: config.RETRY_INITIAL_MS, maxMs: config.RETRY_MAX_MS };
  const store = new EsStore({
    client,
    templates: {
      prefix,
      refreshInterval: config.REFRESH_INTERVAL,
      shards: config.NUMBER_OF_SHARDS,
      replicas: config.NUMBER_OF_REPLICAS,
    },
    retentionDays: config.RETENTION_DAYS,
    itemRetries: config.ITEM_RETRIES,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    retry,
  });
  const runner = new SinkRunner({
    kafka,
    store,
    logger,
    registry,
    ...sinkRunnerSettings(config),
    kinds: [TopicKind.processed, TopicKind.alerts, TopicKind.late, TopicKind.dlq],
    stage: DeadLetterStage.sinkElasticsearch,
    readOwnDeadLetters: true,
  });

  let stopMetricsDocs = (): void => undefined;
  const app = buildSinkApp({
    runner,
    logger,
    registry,
    store: { name: 'elasticsearch', label: 'Elasticsearch', check: () => store.check() },
    maintenance: {
      what: 'index maintenance',
      intervalMs: config.MAINTENANCE_INTERVAL_MS,
      run: async () => {
        await store.ensureTemplates();
        const deleted = await deleteExpiredIndices(client, {
          prefix,
          retentionDays: config.RETENTION_DAYS,
          nowMs: Date.now(),
        });
        if (deleted.length > 0) logger.info({ deleted }, 'deleted indices past the retention');
      },
    },
    onReady: () => {
      stopMetricsDocs = startSinkMetricsDocs({
        client,
        runner,
        prefix,
        intervalMs: config.METRICS_INTERVAL_MS,
        sink: 'sink-elasticsearch',
        before: () => store.ensureTemplates(),
        onError: (error) => logger.debug({ err: error }, 'could not index the sink metrics document'),
      });
    },
    onClose: async () => {
      stopMetricsDocs();
      if (!deps.client) await client.close();
    },
  });
  return { app, runner, store, client };
}
