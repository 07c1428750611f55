import { stateKeys, type JobVersionState } from '@tideline/contracts';
import type { Redis } from 'ioredis';

/**
 * The output versions of each job and the one the query API serves, in Redis (contracts' layout:
 * `<p>jobs:<job>`, a field `v<n>` per version and `serving`). A reprocessing registers its version as
 * catching up, marks it caught up, and a cut-over switches `serving` in one HSET.
 */
export class JobRegistry {
  private readonly redis: Redis;
  private readonly namespace: string;

  constructor(redis: Redis, namespace: string) {
    this.redis = redis;
    this.namespace = namespace;
  }

  async versions(job: string): Promise<{ serving: number; versions: JobVersionState[] }> {
    const all = await this.redis.hgetall(this.key(job));
    const versions = Object.entries(all)
      .filter(([field]) => /^v\d+$/.test(field))
      .map(([, value]) => JSON.parse(value) as JobVersionState)
      .sort((a, b) => a.version - b.version);
    return { serving: Number(all['serving'] ?? 1), versions };
  }

  async register(job: string, version: number, nowMs: number): Promise<void> {
    const state: JobVersionState = { job, version, status: 'catching-up', startedAtMs: nowMs };
    await this.redis.hsetnx(this.key(job), 'serving', '1');
    await this.redis.hset(this.key(job), `v${version}`, JSON.stringify(state));
  }

  async caughtUp(job: string, version: number, nowMs: number): Promise<void> {
    await this.update(job, version, (s) =>
      s.status === 'catching-up' ? { ...s, status: 'caught-up', caughtUpAtMs: nowMs } : s,
    );
  }

  /** Serves `version` from now on; the version served before is marked retired. */
  async cutOver(job: string, version: number, nowMs: number): Promise<{ previous: number }> {
    const { serving: previous, versions } = await this.versions(job);
    if (!versions.some((v) => v.version === version)) throw new Error(`${job} has no version ${version}`);
    const multi = this.redis.multi().hset(this.key(job), 'serving', String(version));
    for (const v of versions) {
      if (v.version === version)
        multi.hset(
          this.key(job),
          `v${v.version}`,
          JSON.stringify({ ...v, status: 'serving', servingSinceMs: nowMs }),
        );
      else if (v.version === previous)
        multi.hset(this.key(job), `v${v.version}`, JSON.stringify({ ...v, status: 'retired' }));
    }
    await multi.exec();
    return { previous };
  }

  private async update(
    job: string,
    version: number,
    change: (s: JobVersionState) => JobVersionState,
  ): Promise<void> {
    const value = await this.redis.hget(this.key(job), `v${version}`);
    if (value === null) return;
    await this.redis.hset(
      this.key(job),
      `v${version}`,
      JSON.stringify(change(JSON.parse(value) as JobVersionState)),
    );
  }

  private key(job: string): string {
    return stateKeys(this.namespace).jobs(job);
  }
}
