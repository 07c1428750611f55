// Composition root: config → logger → clients → app → listen → close on SIGTERM.
import { loadConfig } from '@tideline/config';
import { createKafka } from '@tideline/kafka';
import { createLogger } from '@tideline/logging';
import { closeOnSignals } from '@tideline/service-kit';
import { Redis } from 'ioredis';
import { buildIngest, IngestConfigSchema } from './app.ts';

const config = loadConfig(IngestConfigSchema, process.env, { prefix: 'INGEST_' });
const logger = createLogger({ service: 'ingest', level: config.LOG_LEVEL });
const kafka = createKafka({
  clientId: 'tideline-ingest',
  brokers: config.KAFKA_BROKERS.split(','),
  log: logger.child({ component: 'kafkajs' }),
});
// Unbounded retries: Redis restarting must delay cursor saves, not crash the service.
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
redis.on('error', (error) => logger.debug({ err: error }, 'redis connection error'));

const app = buildIngest(config, { logger, kafka, redis });
closeOnSignals({
  logger,
  exit: (code) => process.exit(code),
  close: async () => {
    await app.close();
    redis.disconnect();
  },
});
await app.listen({ host: config.HOST, port: config.PORT });
