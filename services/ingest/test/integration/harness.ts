import { randomBytes } from 'node:crypto';
import { loadConfig } from '@tideline/config';
import { topicNamer, type TopicNamer } from '@tideline/contracts';
import { createKafka, deleteByPrefix } from '@tideline/kafka';
import { createLogger } from '@tideline/logging';
import { Redis } from 'ioredis';
import { buildIngest, IngestConfigSchema, type IngestConfig } from '../../src/app.ts';
import { quietLogs } from '../quiet-logs.ts';

export const brokers = (process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`).split(
  ',',
);
export const kafka = createKafka({ clientId: 'ingest-it', brokers });
const logs = quietLogs();

/**
 * A namespace of the test run's own: every topic ingest creates or writes is `<namespace>.<name>`,
 * and its consumer groups start with it, so a test never touches what `npm run up` runs.
 */
export function testNamespace(): TopicNamer {
  return topicNamer(`t-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`);
}

/** Deletes the namespace's topics and consumer groups (collectMessages deletes its own groups). */
export async function dropNamespace(topics: TopicNamer): Promise<void> {
  await deleteByPrefix(kafka, {
    topicPrefix: `${topics.namespace}.`,
    groupPrefixes: [`${topics.namespace}-`],
  });
}

/**
 * Builds a real ingest (real Kafka and Redis) in a namespace of its own with a cursor key of its own,
 * waits until it is connected, and returns it with a way to close everything it created.
 */
export async function startIngest(env: Record<string, string> = {}, topics: TopicNamer = testNamespace()) {
  const config: IngestConfig = loadConfig(
    IngestConfigSchema,
    {
      INGEST_FEEDS: '',
      INGEST_LEGACY_TOPICS: '',
      INGEST_TOPIC_NAMESPACE: topics.namespace,
      INGEST_LEGACY_GROUP_ID: `${topics.namespace}-legacy`,
      INGEST_KAFKA_BROKERS: brokers.join(','),
      INGEST_CURSOR_KEY: `test:ingest:cursors:${topics.namespace}`,
      INGEST_RETRY_INITIAL_MS: '50',
      INGEST_RETRY_MAX_MS: '500',
      ...env,
    },
    { prefix: 'INGEST_' },
  );
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const logger = createLogger({ service: 'ingest-test', level: 'info', destination: logs });
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
    topics,
    async close() {
      await app.close();
      await redis.del(config.CURSOR_KEY);
      redis.disconnect();
      await dropNamespace(topics);
    },
  };
}
