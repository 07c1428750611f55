import { topicNamer } from '@tideline/contracts';
import {
  createRegistry,
  registerErrorHandling,
  registerHealth,
  registerMetrics,
  type Registry,
} from '@tideline/service-kit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { fetchLevelCatalogue } from './jobs/catalogue.ts';
import { compileJob, type LevelCatalogue } from './jobs/compile-job.ts';
import type { ProcessorConfig } from './config.ts';
import type { Job } from './jobs/job-schema.ts';
import { createProcessorMetrics } from './metrics.ts';
import { JobRunner, type Guarantee } from './runtime/job-runner.ts';
import { QueryableState } from './runtime/queryable-state.ts';

export { ProcessorConfigSchema } from './config.ts';
export type { ProcessorConfig } from './config.ts';
export { loadJobsFile, parseJobs, selectJobs } from './jobs/load-jobs.ts';
export { JobsFileSchema } from './jobs/job-schema.ts';
export type { Job, JobsFile } from './jobs/job-schema.ts';
export { Guarantee } from './runtime/job-runner.ts';

export interface ProcessorOptions {
  readonly jobs: readonly Job[];
  readonly namespace: string;
  readonly guarantee: Guarantee;
  readonly groupPrefix: string;
  readonly outputPartitions: number;
  readonly concurrency: number;
  readonly maxBytesPerPartition: number;
  readonly maxChangesPerTransaction: number;
  readonly sessionTimeoutMs: number;
  /** Where level alerts get the instruments' levels; '' for the jobs file's levels only. */
  readonly catalogueUrl: string;
}

export interface ProcessorDependencies {
  readonly logger: Logger;
  readonly kafka: Kafka;
  /** The queryable state's Redis (no offline queue); none turns the queryable state off. */
  readonly redis?: Redis;
  readonly registry?: Registry;
  /** A job's consumer gave up: main.ts exits so the supervisor restarts the process. */
  readonly onFatal: (error: unknown) => void;
}

/** The options of the processor from its configuration, for the given jobs. */
export function processorOptionsOf(config: ProcessorConfig, jobs: readonly Job[]): ProcessorOptions {
  return {
    jobs,
    namespace: config.TOPIC_NAMESPACE,
    guarantee: config.GUARANTEE,
    groupPrefix: config.GROUP_PREFIX,
    outputPartitions: config.OUTPUT_PARTITIONS,
    concurrency: config.CONCURRENCY,
    maxBytesPerPartition: config.MAX_BYTES_PER_PARTITION,
    maxChangesPerTransaction: config.MAX_CHANGES_PER_TRANSACTION,
    sessionTimeoutMs: config.SESSION_TIMEOUT_MS,
    catalogueUrl: config.CATALOGUE_URL,
  };
}

/** The consumer group of a job: `<namespace>.<prefix>.<job id>`. */
export function groupIdOf(namespace: string, prefix: string, jobId: string): string {
  return namespace === '' ? `${prefix}.${jobId}` : `${namespace}.${prefix}.${jobId}`;
}

/**
 * Builds the processor without listening: an HTTP server for /healthz, /readyz and /metrics, and one
 * runner per job, started in the background once the server is ready (retrying until Kafka and the
 * catalogue answer) and stopped on close after the batches in hand are committed.
 */
export function buildProcessor(options: ProcessorOptions, deps: ProcessorDependencies): FastifyInstance {
  const { logger, kafka } = deps;
  const registry = deps.registry ?? createRegistry('processor');
  const metrics = createProcessorMetrics(registry);
  const namer = topicNamer(options.namespace);
  const state =
    deps.redis === undefined
      ? undefined
      : new QueryableState(deps.redis, options.namespace, (error) => {
          metrics.redisFailures.inc();
          logger.debug({ err: error }, 'queryable state update failed');
        });
  const runners: JobRunner[] = [];
  let admin: Admin | undefined;
  let closing = false;
  let started = false;

  const start = async (): Promise<void> => {
    for (let attempt = 1; !closing; attempt++) {
      try {
        const catalogue = await loadCatalogue(options);
        admin = kafka.admin();
        await admin.connect();
        for (const job of options.jobs) {
          const compiled = compileJob(job, namer, catalogue);
          const runner = new JobRunner({
            job: compiled,
            kafka,
            admin,
            guarantee: options.guarantee,
            groupId: groupIdOf(options.namespace, options.groupPrefix, compiled.id),
            changelogTopic: namer.topicName({
              kind: 'changelog',
              job: `${options.groupPrefix}.${compiled.id}`,
            }),
            logger,
            metrics,
            outputPartitions: options.outputPartitions,
            concurrency: options.concurrency,
            maxBytesPerPartition: options.maxBytesPerPartition,
            maxChangesPerTransaction: options.maxChangesPerTransaction,
            sessionTimeoutMs: options.sessionTimeoutMs,
            onCommitted: state === undefined ? undefined : (j, updates) => state.apply(j.version, updates),
            onFatal: deps.onFatal,
          });
          runners.push(runner);
          await runner.start();
        }
        started = true;
        return;
      } catch (error) {
        logger.warn({ err: error, attempt }, 'processor start failed; retrying');
        await Promise.all(runners.splice(0).map((r) => r.stop().catch(() => undefined)));
        await admin?.disconnect().catch(() => undefined);
        admin = undefined;
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)));
      }
    }
  };

  const app = Fastify({ loggerInstance: logger as FastifyBaseLogger, disableRequestLogging: true });
  registerErrorHandling(app);
  registerMetrics(app, registry);
  registerHealth(app, {
    checks: {
      jobs: async () => {
        if (!started) throw new Error('starting');
        const waiting = runners.filter((r) => !r.ready).length;
        if (waiting > 0) throw new Error(`${waiting} job(s) not yet in their consumer group`);
      },
    },
  });
  app.addHook('onReady', async () => {
    void start();
  });
  app.addHook('onClose', async () => {
    closing = true;
    await Promise.all(runners.map((r) => r.stop()));
    await admin?.disconnect();
  });
  return app;
}

async function loadCatalogue(options: ProcessorOptions): Promise<LevelCatalogue> {
  const needed = options.jobs.some((j) => j.levelAlerts !== undefined);
  if (!needed || options.catalogueUrl === '') return new Map();
  return fetchLevelCatalogue(options.catalogueUrl);
}
