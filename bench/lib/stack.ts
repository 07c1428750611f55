// Where benchmarks find the local stack (infra/stack.sh), with the same defaults as the infra scripts,
// and the run-unique names everything a benchmark creates lives under.
import { randomBytes } from 'node:crypto';

export const stack = {
  kafkaBrokers: (process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`).split(','),
  redisUrl: process.env.REDIS_URL ?? `redis://127.0.0.1:${process.env.REDIS_PORT ?? '6379'}`,
} as const;

/** A topic namespace no other run uses (`bench-<random>`), for topicNamer and stateKeys. */
export function benchNamespace(): string {
  return `bench-${randomBytes(4).toString('hex')}`;
}
