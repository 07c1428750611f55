import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { TrackedCache } from '../query/tracked-cache.ts';
import type { QueryMetrics } from './metrics.ts';
import { createRedis } from './redis.ts';

/** Where Redis publishes the invalidations of tracked keys to a RESP2 client (REDIRECT mode). */
export const INVALIDATE_CHANNEL = '__redis__:invalidate';
/**
 * How often both connections are pinged: a connection that died silently (no close seen) would
 * leave invalidations undelivered, so a ping that fails within the command timeout drops it, which
 * flushes the cache. A stale answer is thus bounded by about this plus the command timeout.
 */
const HEARTBEAT_MS = 1000;

/**
 * Reads the processor's queryable-state hashes and builds answers from them, keeping the answers
 * in process while Redis tracks the reads (server-assisted client-side caching, RESP2 redirect
 * mode): a subscriber connection takes its `CLIENT ID` and subscribes to `__redis__:invalidate`; the
 * reader connection runs `CLIENT TRACKING ON REDIRECT <id>`, so Redis publishes the name of every key
 * the reader read once it changes (or expires, or is evicted), and a null message when it may all
 * have (FLUSHALL, FLUSHDB). On any close, reconnection or failed heartbeat of either connection the
 * answers are flushed and nothing is cached until tracking is set up again on the new connections;
 * meanwhile reads go to Redis through the shared client, as without the cache.
 */
export interface LatestState {
  /** Whether answers are cached (tracking established); false throughout when the cache is off. */
  readonly tracking: boolean;
  /** Client ids of the two connections while tracking (for tests that kill them). */
  readonly clientIds: { reader: number; subscriber: number } | undefined;
  /**
   * The answer built from the hash at `key` (`build` sees `{}` when there is none), from the
   * cache when Redis has not invalidated it. Rejects when Redis cannot be reached.
   */
  read(key: string, build: (hash: Record<string, string>) => string | undefined): Promise<string | undefined>;
}

declare module 'fastify' {
  interface FastifyInstance {
    latestState: LatestState;
  }
}

export interface LatestStateOptions {
  url: string;
  /** The shared client, used while tracking is not established (and always when the cache is off). */
  redis: Redis;
  /** Answers kept at most; 0: no cache, no extra connections. */
  maxEntries: number;
  metrics: QueryMetrics;
  /** The two connections, for unit tests that drive them; by default new ones to `url`. */
  connections?: { reader: Redis; subscriber: Redis };
}

export function registerLatestState(app: FastifyInstance, options: LatestStateOptions): LatestState {
  let state: LatestState;
  if (options.maxEntries === 0) state = uncached(options);
  else {
    const { reader, subscriber } = options.connections ?? {
      reader: createRedis(options.url, { connectionName: 'tideline-query-api-latest' }),
      // Subscribed again by the set-up, after CLIENT ID, which a subscribed connection cannot run.
      subscriber: createRedis(options.url, {
        connectionName: 'tideline-query-api-invalidations',
        autoResubscribe: false,
      }),
    };
    const tracked = new TrackedLatestState(app, options, reader, subscriber);
    app.addHook('onClose', async () => tracked.close());
    state = tracked;
  }
  app.decorate('latestState', state);
  return state;
}

function uncached(options: LatestStateOptions): LatestState {
  return {
    tracking: false,
    clientIds: undefined,
    read: async (key, build) => build(await options.redis.hgetall(key)),
  };
}

class TrackedLatestState implements LatestState {
  readonly #log: FastifyInstance['log'];
  readonly #options: LatestStateOptions;
  readonly #reader: Redis;
  readonly #subscriber: Redis;
  /** Answers by Redis key; null: the hash had nothing to answer with. */
  readonly #cache: TrackedCache<string | null>;
  readonly #heartbeat: NodeJS.Timeout;
  #clientIds: { reader: number; subscriber: number } | undefined;
  /** The subscriber connection's id once it is subscribed; cleared by any event of that connection. */
  #subscribedId: number | undefined;
  /** Bumped by every connection event: a set-up that started before one must not turn tracking on. */
  #generation = 0;
  /** Set-ups run one at a time, each after the previous one. */
  #setUp: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(app: FastifyInstance, options: LatestStateOptions, reader: Redis, subscriber: Redis) {
    this.#log = app.log.child({ component: 'latest-state' });
    this.#options = options;
    this.#reader = reader;
    this.#subscriber = subscriber;
    this.#cache = new TrackedCache({ maxEntries: options.maxEntries });
    for (const [name, connection] of [
      ['reader', reader],
      ['subscriber', subscriber],
    ] as const) {
      const untrack = (why: string) => {
        if (connection === subscriber) this.#subscribedId = undefined;
        this.#untrack(`${name} ${why}`);
      };
      connection.on('error', (error) => this.#log.debug({ err: error, connection: name }, 'redis error'));
      connection.on('close', () => untrack('closed'));
      connection.on('reconnecting', () => untrack('reconnecting'));
      connection.on('end', () => untrack('ended'));
      connection.on('ready', () => {
        untrack('ready');
        this.#scheduleSetUp();
      });
    }
    subscriber.on('messageBuffer', (channel: Buffer, message: unknown) =>
      this.#onInvalidate(channel, message),
    );
    this.#heartbeat = setInterval(() => this.#ping(), HEARTBEAT_MS).unref();
  }

  get tracking(): boolean {
    return this.#cache.tracking;
  }

  get clientIds(): { reader: number; subscriber: number } | undefined {
    return this.#cache.tracking ? this.#clientIds : undefined;
  }

  async read(
    key: string,
    build: (hash: Record<string, string>) => string | undefined,
  ): Promise<string | undefined> {
    const { latestCache } = this.#options.metrics;
    if (!this.#cache.tracking) {
      latestCache.inc({ result: 'untracked' });
      return build(await this.#options.redis.hgetall(key));
    }
    const hit = this.#cache.get(key);
    if (hit !== undefined) {
      latestCache.inc({ result: 'hit' });
      return hit.value ?? undefined;
    }
    latestCache.inc({ result: 'miss' });
    const ticket = this.#cache.begin(key);
    let hash: Record<string, string>;
    try {
      hash = await this.#reader.hgetall(key);
    } catch (error) {
      this.#cache.abandon(ticket);
      throw error;
    }
    const answer = build(hash);
    this.#cache.settle(ticket, answer ?? null);
    return answer;
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    this.#cache.setTracking(false);
    this.#reader.disconnect();
    this.#subscriber.disconnect();
  }

  #untrack(why: string): void {
    this.#generation++;
    this.#clientIds = undefined;
    if (this.#cache.tracking) {
      this.#log.info({ why }, 'client-side caching paused; answers flushed');
      this.#options.metrics.latestCacheInvalidations.inc({ reason: 'connection' });
    }
    this.#cache.setTracking(false);
    this.#options.metrics.latestCacheTracking.set(0);
  }

  #scheduleSetUp(): void {
    const generation = this.#generation;
    this.#setUp = this.#setUp.then(() =>
      this.#trySetUp(generation).catch((error: unknown) => {
        // The connection that failed reconnects, and its `ready` schedules another set-up.
        this.#log.warn({ err: error }, 'cannot set up client-side caching; reading Redis meanwhile');
      }),
    );
  }

  /**
   * Subscribes (once per subscriber connection: a subscribed RESP2 connection can run nothing else)
   * and points the reader's tracking at the subscriber. Both connections must be ready; whichever
   * becomes ready last gets here with both.
   */
  async #trySetUp(generation: number): Promise<void> {
    if (this.#closed || generation !== this.#generation) return;
    if (this.#reader.status !== 'ready' || this.#subscriber.status !== 'ready') return;
    let subscriberId = this.#subscribedId;
    if (subscriberId === undefined) {
      subscriberId = Number(await this.#subscriber.client('ID'));
      await this.#subscriber.subscribe(INVALIDATE_CHANNEL);
      if (generation !== this.#generation) return;
      this.#subscribedId = subscriberId;
    }
    const readerId = Number(await this.#reader.client('ID'));
    // OFF first, so tracking starts afresh with the new redirect (the reader may be tracking already).
    await this.#reader.client('TRACKING', 'OFF');
    await this.#reader.client('TRACKING', 'ON', 'REDIRECT', subscriberId);
    if (this.#closed || generation !== this.#generation) return;
    this.#clientIds = { reader: readerId, subscriber: subscriberId };
    this.#cache.setTracking(true);
    this.#options.metrics.latestCacheTracking.set(1);
    this.#log.info(this.#clientIds, 'client-side caching of latest values tracking');
  }

  #onInvalidate(channel: Buffer, message: unknown): void {
    if (channel.toString() !== INVALIDATE_CHANNEL) return;
    const { latestCacheInvalidations } = this.#options.metrics;
    const keys = invalidatedKeys(message);
    if (keys === 'all') {
      this.#cache.flush();
      latestCacheInvalidations.inc({ reason: 'flush' });
      return;
    }
    this.#cache.invalidate(keys);
    latestCacheInvalidations.inc({ reason: 'key' }, keys.length);
  }

  #ping(): void {
    if (!this.#cache.tracking) return;
    for (const connection of [this.#reader, this.#subscriber])
      connection.ping().catch((error: unknown) => {
        if (this.#closed) return;
        this.#log.warn({ err: error }, 'redis heartbeat failed; reconnecting');
        this.#untrack('heartbeat failed');
        connection.disconnect(true);
      });
  }
}

/**
 * The keys of an invalidation message as ioredis hands it over (`messageBuffer`): an array of key
 * names, or null when Redis flushed a database ("everything you read may have changed"). Anything
 * else is read as "everything" too: dropping the cache is always safe.
 */
export function invalidatedKeys(message: unknown): string[] | 'all' {
  if (!Array.isArray(message)) return 'all';
  const keys: string[] = [];
  for (const key of message as unknown[]) {
    if (typeof key === 'string') keys.push(key);
    else if (Buffer.isBuffer(key)) keys.push(key.toString());
    else return 'all';
  }
  return keys;
}
