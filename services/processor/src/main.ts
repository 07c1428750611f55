// Composition root: config → logger → jobs → clients → app → listen → close on SIGTERM.
import { loadConfig } from '@tideline/config';
import { createKafka } from '@tideline/kafka';
import { createLogger } from '@tideline/logging';
import { Redis } from 'ioredis';
import { loadJobsFile, ProcessorConfigSchema, selectJobs } from './app.ts';
import { jobsFileOf, serveProcessor } from './serve.ts';

const config = loadConfig(ProcessorConfigSchema, process.env, { prefix: 'PROCESSOR_' });
const logger = createLogger({ service: 'processor', level: config.LOG_LEVEL });
const selected = selectJobs(
  loadJobsFile(jobsFileOf(config)),
  config.JOBS === '' ? [] : config.JOBS.split(','),
);
const jobs =
  config.JOB_VERSION === 0 ? selected : selected.map((job) => ({ ...job, version: config.JOB_VERSION }));
const kafka = createKafka({
  clientId: 'tideline-processor',
  brokers: config.KAFKA_BROKERS.split(','),
  log: logger.child({ component: 'kafkajs' }),
});
// A cache: commands fail at once while Redis is away instead of queueing without bound.
const redis =
  config.REDIS_URL === ''
    ? undefined
    : new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
redis?.on('error', (error) => logger.debug({ err: error }, 'redis connection error'));

await serveProcessor(config, jobs, { logger, kafka, redis });
