import { randomBytes } from 'node:crypto';
import { loadConfig } from '@tideline/config';
import { createKafka } from '@tideline/kafka';
import { createLogger } from '@tideline/logging';
import { Redis } from 'ioredis';
import { buildIngest, IngestConfigSchema, type IngestConfig } from '../../src/app.ts';

export const brokers = (process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`).split(
  ',',
);
export const kafka = createKafka({ clientId: 'ingest-it', brokers });

/**
 * Builds a real ingest (real Kafka and Redis) with a cursor key of its own, waits until it is
 * connected, and returns it with a way to close everything.
 */
export async function startIngest(env: Record<string, string> = {}) {
  const config: IngestConfig = loadConfig(
    IngestConfigSchema,
    {
      INGEST_FEEDS: '',
      INGEST_KAFKA_BROKERS: brokers.join(','),
      INGEST_CURSOR_KEY: `test:ingest:cursors:${randomBytes(4).toString('hex')}`,
      INGEST_RETRY_INITIAL_MS: '50',
      INGEST_RETRY_MAX_MS: '500',
      ...env,
    },
    { prefix: 'INGEST_' },
  );
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const logger = createLogger({ service: 'ingest-test', level: 'warn' });
  const app = buildIngest(config, { logger, kafka, redis });
  await app.ready();
  for (let i = 0; i < 200; i++) {
    if ((await app.inject({ url: '/readyz' })).statusCode === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    app,
    config,
    redis,
    async close() {
      await app.close();
      await redis.del(config.CURSOR_KEY);
      redis.disconnect();
    },
  };
}
