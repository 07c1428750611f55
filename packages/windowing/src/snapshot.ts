/** The version of the snapshot layout; a restore refuses any other. */
export const SNAPSHOT_FORMAT = 'tideline.windowing.snapshot/2';

/**
 * The whole state of an engine as plain, JSON-safe data: open windows and their accumulators, watermarks,
 * processing time, timers, throttles, dedup ids and counters. `JSON.parse(JSON.stringify(snapshot))` restores
 * to the same engine. `fingerprint` describes the configuration that shaped the state; `state` is internal
 * (the changes meta and every key's state, the same records `takeChanges()` gives).
 */
export interface EngineSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly fingerprint: string;
  readonly state: unknown;
}
