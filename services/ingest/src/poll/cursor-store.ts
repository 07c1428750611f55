import type { Redis } from 'ioredis';

/** Where a poller keeps its position in a source feed, so a restart resumes instead of starting over. */
export interface CursorStore {
  load(feed: string): Promise<string | undefined>;
  save(feed: string, cursor: string): Promise<void>;
}

/** Cursors in one Redis hash. Saved only after Kafka acknowledged the page (at-least-once). */
export class RedisCursorStore implements CursorStore {
  readonly #redis: Redis;
  readonly #key: string;

  constructor(redis: Redis, key: string) {
    this.#redis = redis;
    this.#key = key;
  }

  async load(feed: string): Promise<string | undefined> {
    return (await this.#redis.hget(this.#key, feed)) ?? undefined;
  }

  async save(feed: string, cursor: string): Promise<void> {
    await this.#redis.hset(this.#key, feed, cursor);
  }
}
