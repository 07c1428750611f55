import type { Feed } from './values.ts';

/**
 * The processor's queryable state in Redis, read by the query API. Redis is a cache of committed
 * results, never the source of truth: everything here can be rebuilt by replaying the processed topics.
 *
 * Layout (`<p>` is `tl:` or `tl:<namespace>:`, `<v>` the output version):
 * - `<p>v<v>:latest:<feed>:<key>`: a hash, one field per kind of result, each a JSON string:
 *   `reading` (the latest CleanReading), `window:<job>` (the latest WindowAggregate of a job),
 *   `alert` (the latest Alert, including `cleared`);
 * - `<p>v<v>:keys:<feed>`: a sorted set of the keys with a latest value, scored by the event time of
 *   their latest update;
 * - `<p>v<v>:updates:<feed>:<key>`: the pub/sub channel where each update is published as
 *   `{ "field": "...", "value": {...} }` once the transaction that produced it has committed;
 * - `<p>jobs:<job>`: a hash of the job's output versions: field `v<n>` holds a JSON `JobVersionState`,
 *   field `serving` the version number the query API serves.
 */
export interface StateKeys {
  latest(feed: Feed, key: string, version?: number): string;
  keys(feed: Feed, version?: number): string;
  updates(feed: Feed, key: string, version?: number): string;
  /** A pattern for PSUBSCRIBE over every update of a feed (or all feeds). */
  updatesPattern(feed?: Feed, version?: number): string;
  jobs(job: string): string;
}

/** Fields of a latest-value hash. */
export const LatestField = {
  reading: 'reading',
  alert: 'alert',
  window: (job: string): string => `window:${job}`,
} as const;

/** One output version of a job, as the reprocessing command records it. */
export interface JobVersionState {
  readonly job: string;
  readonly version: number;
  readonly status: 'catching-up' | 'caught-up' | 'serving' | 'retired';
  readonly startedAtMs: number;
  readonly caughtUpAtMs?: number;
  readonly servingSinceMs?: number;
}

/** The Redis key names of one namespace ('' for the plain names `npm run up` uses). */
export function stateKeys(namespace = ''): StateKeys {
  const p = namespace === '' ? 'tl:' : `tl:${namespace}:`;
  const v = (version = 1) => `${p}v${version}:`;
  return Object.freeze({
    latest: (feed: Feed, key: string, version?: number) => `${v(version)}latest:${feed}:${key}`,
    keys: (feed: Feed, version?: number) => `${v(version)}keys:${feed}`,
    updates: (feed: Feed, key: string, version?: number) => `${v(version)}updates:${feed}:${key}`,
    updatesPattern: (feed?: Feed, version?: number) =>
      `${v(version)}updates:${feed === undefined ? '*' : `${feed}:*`}`,
    jobs: (job: string) => `${p}jobs:${job}`,
  });
}
