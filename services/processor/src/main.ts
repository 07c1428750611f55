// Composition root: config → logger → jobs → clients → app → listen → close on SIGTERM.
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@tideline/config';
import { createKafka } from '@tideline/kafka';
import { createLogger } from '@tideline/logging';
import { closeOnSignals } from '@tideline/service-kit';
import { Redis } from 'ioredis';
import {
  buildProcessor,
  processorOptionsOf,
  loadJobsFile,
  ProcessorConfigSchema,
  selectJobs,
} from './app.ts';

const config = loadConfig(ProcessorConfigSchema, process.env, { prefix: 'PROCESSOR_' });
const logger = createLogger({ service: 'processor', level: config.LOG_LEVEL });
const jobsFile = config.JOBS_FILE || fileURLToPath(new URL('../jobs/default.json', import.meta.url));
const selected = selectJobs(loadJobsFile(jobsFile), config.JOBS === '' ? [] : config.JOBS.split(','));
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

const app = buildProcessor(processorOptionsOf(config, jobs), {
  logger,
  kafka,
  redis,
  onFatal: () => process.exit(1),
});
closeOnSignals({
  logger,
  exit: (code) => process.exit(code),
  close: async () => {
    await app.close();
    redis?.disconnect();
  },
});
await app.listen({ host: config.HOST, port: config.PORT });
