import type { FastifyInstance } from 'fastify';
import { Redis, type RedisOptions } from 'ioredis';

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis;
  }
}

/**
 * The Redis client for queryable state. Commands fail at once while Redis is away (no offline
 * queue, one retry) so that latest values fall back to PostgreSQL instead of waiting.
 */
export function registerRedis(app: FastifyInstance, url: string): Redis {
  const redis = createRedis(url);
  redis.on('error', (error) => app.log.debug({ err: error }, 'redis connection error'));
  app.decorate('redis', redis);
  app.addHook('onClose', async () => {
    redis.disconnect();
  });
  return redis;
}

export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 2000,
    retryStrategy: (attempt) => Math.min(2000, 50 * 2 ** attempt),
    ...options,
  });
}
