// Where the tests find the local stack (infra/stack.sh). Same defaults as the infra scripts.
import { randomBytes } from 'node:crypto';

export const stack = {
  kafkaBrokers: (process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`).split(','),
  postgresUrl: process.env.DATABASE_URL ?? 'postgres://tideline:tideline@127.0.0.1:5432/tideline',
  redisUrl: process.env.REDIS_URL ?? `redis://127.0.0.1:${process.env.REDIS_PORT ?? '6379'}`,
  elasticsearchUrl: process.env.ELASTICSEARCH_URL ?? `http://127.0.0.1:${process.env.ES_PORT ?? '9200'}`,
} as const;

/** A name no other test run uses, for topics, indices, schemas and keys. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
