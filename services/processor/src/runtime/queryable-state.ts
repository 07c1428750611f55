import { stateKeys, type StateKeys } from '@tideline/contracts';
import type { Redis } from 'ioredis';
import type { LatestUpdate } from '../jobs/job-task.ts';

/**
 * Writes committed latest values to Redis (layout: contracts' `stateKeys`) and publishes each on its
 * update channel. Called only after the transaction that produced them committed, so Redis never
 * shows a result that a crash could take back. Redis is a cache: a failed write is counted and the
 * next update of the key repairs it; the client must not queue commands while disconnected.
 */
export class QueryableState {
  private readonly redis: Redis;
  private readonly keys: StateKeys;
  private readonly onFailure: (error: unknown) => void;

  constructor(redis: Redis, namespace: string, onFailure: (error: unknown) => void) {
    this.redis = redis;
    this.keys = stateKeys(namespace);
    this.onFailure = onFailure;
  }

  apply(version: number, updates: readonly LatestUpdate[]): void {
    if (updates.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const u of updates) {
      pipeline.hset(this.keys.latest(u.feed, u.key, version), u.field, u.value);
      pipeline.zadd(this.keys.keys(u.feed, version), 'GT', u.eventTimeMs, u.key);
      pipeline.publish(
        this.keys.updates(u.feed, u.key, version),
        `{"field":${JSON.stringify(u.field)},"value":${u.value}}`,
      );
    }
    pipeline.exec().then(
      (results) => {
        const failed = results?.find(([error]) => error !== null);
        if (failed) this.onFailure(failed[0]);
      },
      (error: unknown) => this.onFailure(error),
    );
  }
}
