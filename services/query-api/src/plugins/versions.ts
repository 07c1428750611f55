import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Feed, StateKeys } from '@tideline/contracts';

/**
 * Which output version the API serves, per job, from the `serving` field of `<p>jobs:<job>` (1 when
 * absent). Readings, alerts, series and latest values of a feed follow the job named after the feed;
 * a window job follows its own entry when it has one, else its feed's. Cached briefly so a hot route
 * costs no extra round trip; a cut-over through this API clears the cache at once.
 */
export interface ServingVersions {
  forFeed(feed: Feed): Promise<number>;
  forJob(job: string, feed: Feed): Promise<number>;
  invalidate(): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    versions: ServingVersions;
  }
}

export function registerVersions(
  app: FastifyInstance,
  options: { redis: Redis; keys: StateKeys; cacheMs: number },
): ServingVersions {
  const cache = new Map<string, { version: number | undefined; atMs: number }>();
  const lookup = async (job: string): Promise<number | undefined> => {
    const hit = cache.get(job);
    const now = Date.now();
    if (hit !== undefined && now - hit.atMs < options.cacheMs) return hit.version;
    let version: number | undefined;
    try {
      const text = await options.redis.hget(options.keys.jobs(job), 'serving');
      const parsed = text === null ? NaN : Number(text);
      version = Number.isSafeInteger(parsed) && parsed >= 1 ? parsed : undefined;
    } catch (error) {
      // Redis away: keep serving what we served (or version 1) rather than failing reads.
      app.log.debug({ err: error, job }, 'cannot read the serving version');
      return hit?.version;
    }
    cache.set(job, { version, atMs: now });
    return version;
  };
  const versions: ServingVersions = {
    forFeed: async (feed) => (await lookup(feed)) ?? 1,
    forJob: async (job, feed) => (await lookup(job)) ?? (await lookup(feed)) ?? 1,
    invalidate: () => cache.clear(),
  };
  app.decorate('versions', versions);
  return versions;
}
