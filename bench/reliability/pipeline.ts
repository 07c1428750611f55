// The pipeline a fault or soak scenario runs: the processor (job `market`), sink-postgres and
// sink-elasticsearch in one run's namespace, PostgreSQL schema and index prefix, started as a user runs
// them, with the stores reached through URLs the scenario chooses (a TCP proxy, a private broker, a
// private Redis). Keeps the current instance of each service, so one can be killed and started again.
import { randomBytes } from 'node:crypto';
import { Feed, topicNamer } from '@tideline/contracts';
import { ensureTopics } from '@tideline/kafka';
import type { Kafka } from 'kafkajs';
import type { Services, WatchedService } from './services.ts';

export const PipelineService = {
  processor: 'processor',
  sinkPostgres: 'sink-postgres',
  sinkElasticsearch: 'sink-elasticsearch',
  queryApi: 'query-api',
} as const;
export type PipelineService = (typeof PipelineService)[keyof typeof PipelineService];

/** The services between the raw topic and the stores: what every scenario and `pnpm bench all` run. */
export const CORE_SERVICES: readonly PipelineService[] = [
  PipelineService.processor,
  PipelineService.sinkPostgres,
  PipelineService.sinkElasticsearch,
];

export interface PipelineTargets {
  brokers: readonly string[];
  redisUrl: string;
  postgresUrl: string;
  elasticsearchUrl: string;
}

/** The names a run owns: topic namespace, PostgreSQL schema, index prefix. */
export interface RunNames {
  namespace: string;
  schema: string;
  indexPrefix: string;
}

export function runNames(prefix = 'rel'): RunNames {
  const id = randomBytes(4).toString('hex');
  return { namespace: `${prefix}-${id}`, schema: `${prefix}_${id}`, indexPrefix: `${prefix}-${id}` };
}

export interface Pipeline {
  readonly names: RunNames;
  /** The run's raw market topic, which the processor reads. */
  readonly rawTopic: string;
  /** Creates the raw topic (3 partitions) and starts the core services on it, in order. */
  startCore(kafka: Kafka): Promise<void>;
  current(name: PipelineService): WatchedService | undefined;
  start(name: PipelineService): Promise<WatchedService>;
  /** SIGKILL; the service stays down until `start`. */
  kill(name: PipelineService): Promise<void>;
  /** Services that exited or stopped answering /healthz without being killed on purpose. */
  crashed(): Promise<string[]>;
  stop(): Promise<void>;
}

export function createPipeline(services: Services, names: RunNames, targets: PipelineTargets): Pipeline {
  const running = new Map<PipelineService, WatchedService>();
  const envOf = (name: PipelineService, port: number): Record<string, string> => {
    const brokers = targets.brokers.join(',');
    switch (name) {
      case PipelineService.processor:
        return {
          PROCESSOR_PORT: String(port),
          PROCESSOR_LOG_LEVEL: 'warn',
          PROCESSOR_TOPIC_NAMESPACE: names.namespace,
          PROCESSOR_JOBS: 'market',
          PROCESSOR_GUARANTEE: 'exactly-once',
          PROCESSOR_KAFKA_BROKERS: brokers,
          PROCESSOR_REDIS_URL: targets.redisUrl,
          PROCESSOR_CATALOGUE_URL: '',
          // The minimum: a killed instance holds its partitions this long before the group takes them back.
          PROCESSOR_SESSION_TIMEOUT_MS: '6000',
        };
      case PipelineService.sinkPostgres:
        return {
          SINK_PG_PORT: String(port),
          SINK_PG_LOG_LEVEL: 'warn',
          SINK_PG_TOPIC_NAMESPACE: names.namespace,
          SINK_PG_GROUP_ID: `${names.namespace}-sink-postgres`,
          SINK_PG_KAFKA_BROKERS: brokers,
          SINK_PG_DATABASE_URL: targets.postgresUrl,
          SINK_PG_PG_SCHEMA: names.schema,
          SINK_PG_TOPIC_REFRESH_MS: '1000',
          SINK_PG_RETENTION_DAYS: '0',
          SINK_PG_CONNECT_TIMEOUT_MS: '2000',
        };
      case PipelineService.sinkElasticsearch:
        return {
          SINK_ES_PORT: String(port),
          SINK_ES_LOG_LEVEL: 'warn',
          SINK_ES_TOPIC_NAMESPACE: names.namespace,
          SINK_ES_GROUP_ID: `${names.namespace}-sink-elasticsearch`,
          SINK_ES_KAFKA_BROKERS: brokers,
          SINK_ES_ELASTICSEARCH_URL: targets.elasticsearchUrl,
          SINK_ES_INDEX_PREFIX: names.indexPrefix,
          SINK_ES_TOPIC_REFRESH_MS: '1000',
          SINK_ES_RETENTION_DAYS: '0',
          SINK_ES_METRICS_INTERVAL_MS: '0',
        };
      case PipelineService.queryApi:
        return {
          QUERY_API_PORT: String(port),
          QUERY_API_LOG_LEVEL: 'warn',
          QUERY_API_PG_URL: targets.postgresUrl,
          QUERY_API_PG_SCHEMA: names.schema,
          QUERY_API_REDIS_URL: targets.redisUrl,
          QUERY_API_STATE_NAMESPACE: names.namespace,
          QUERY_API_ANONYMOUS_SCOPES: 'read',
        };
    }
  };
  const pipeline: Pipeline = {
    names,
    rawTopic: topicNamer(names.namespace).topicName({ kind: 'raw', feed: Feed.market }),
    async startCore(kafka) {
      const admin = kafka.admin();
      await admin.connect();
      await ensureTopics(admin, [{ topic: pipeline.rawTopic, partitions: 3 }]).finally(() =>
        admin.disconnect(),
      );
      for (const name of CORE_SERVICES) await pipeline.start(name);
    },
    current: (name) => running.get(name),
    async start(name) {
      const service = await services.start(name, (port) => envOf(name, port));
      running.set(name, service);
      return service;
    },
    async kill(name) {
      const service = running.get(name);
      running.delete(name);
      await service?.kill();
    },
    async crashed() {
      const crashed: string[] = [];
      for (const [name, service] of running) if (await service.crashed()) crashed.push(name);
      return crashed;
    },
    async stop() {
      await Promise.all([...running.values()].map((service) => service.stop()));
      running.clear();
    },
  };
  return pipeline;
}
