/** The version of the changes layout (meta and key states); a restore refuses any other. */
export const CHANGES_FORMAT = 'tideline.windowing.changes/1';

/**
 * Everything in an engine's state that belongs to no key: per-partition watermarks and idleness, processing
 * time, the arrival sequence, counters, timer sequence numbers, the dedup sweep position. Plain, JSON-safe
 * data; it carries the format and the configuration's fingerprint so a restore can check them.
 */
export interface EngineChangesMeta {
  readonly format: typeof CHANGES_FORMAT;
  readonly fingerprint: string;
  readonly [field: string]: unknown;
}

/**
 * The complete current state of one key as plain, JSON-safe data (its windows with accumulators, flags and
 * timers, its throttle, its count-window ring and running accumulators, its dedup ids with event times), or
 * `null` when the key holds no state any more: a compacted changelog deletes it.
 */
export interface KeyChange<K> {
  readonly key: K;
  readonly state: unknown;
}

/**
 * What changed since the previous `takeChanges()`: the whole meta (small) and the state of each key that
 * changed, in the order the keys first changed. Folding successive changes into a map (latest state per
 * key, delete on null) gives exactly the state of a full snapshot at that point.
 */
export interface EngineChanges<K> {
  readonly format: typeof CHANGES_FORMAT;
  readonly fingerprint: string;
  readonly meta: EngineChangesMeta;
  readonly keys: KeyChange<K>[];
}
