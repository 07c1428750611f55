import { CHANGES_FORMAT, type EngineChanges, type EngineChangesMeta, type KeyChange } from '../changes.ts';
import { WindowingError, WindowingErrorCodes } from '../errors.ts';
import { SNAPSHOT_FORMAT, type EngineSnapshot } from '../snapshot.ts';
import { allKeys, captureKey, num, restoreKeys, type EngineParts } from './key-state.ts';
import { fromPlain, toPlain } from './plain.ts';

// Snapshots and changes share one layout: a meta record (everything that belongs to no key) and one record
// per key. A snapshot holds every key; changes hold the keys touched since the last takeChanges, so their
// cost follows the keys changed, not the state's size.

interface MetaRecord extends EngineChangesMeta {
  readonly watermarkMs: unknown;
  /** [partition, largest event time, idle] */
  readonly partitions: [number, unknown, boolean][];
  readonly processingTimeMs: number;
  readonly sequence: number;
  readonly counters: number[];
  /** The last timer token handed out (windows) and by the throttle. */
  readonly timerToken: number;
  readonly throttleToken: number;
  readonly dedupSweepMs: unknown;
  /** Spark mode: [watermark, largest event time of the current batch, its rows, its id]. */
  readonly spark?: unknown[];
}

interface SnapshotState {
  meta: MetaRecord;
  keys: [unknown, unknown][];
}

function refuseUndrained<K, V>(parts: EngineParts<K, V>, what: string): void {
  const pending = parts.core.outputs.length;
  if (pending > 0) {
    throw new WindowingError(
      WindowingErrorCodes.undrainedOutput,
      `drain the ${pending} pending outputs before taking ${what}, so state and outputs agree`,
    );
  }
}

function captureMeta<K, V>(parts: EngineParts<K, V>): MetaRecord {
  const { core, dedup } = parts;
  const watermark = core.watermarks.snapshot();
  return {
    format: CHANGES_FORMAT,
    fingerprint: parts.fingerprint,
    watermarkMs: toPlain(watermark.currentMs),
    partitions: watermark.partitions.map(([p, maxMs, idle]) => [p, toPlain(maxMs), idle]),
    processingTimeMs: core.processingTimeMs,
    sequence: core.sequence,
    counters: core.counters.toArray(),
    timerToken: core.lastToken,
    throttleToken: core.throttle?.lastToken ?? 0,
    dedupSweepMs: toPlain(dedup?.lastSweepMs ?? Number.NEGATIVE_INFINITY),
    ...(parts.spark === undefined ? {} : { spark: parts.spark.toArray().map(toPlain) }),
  };
}

/** Everything that changed since the last call; clears the record of changed keys. */
export function takeChanges<K, V>(parts: EngineParts<K, V>): EngineChanges<K> {
  refuseUndrained(parts, 'changes');
  const { core, windowed, counted } = parts;
  const keys: KeyChange<K>[] = [];
  // The first call starts recording: until then every key counts as changed.
  const changed = core.tracking ? core.changedKeys : allKeys(parts);
  if (core.restoredKeys !== undefined) for (const key of core.restoredKeys) changed.add(key);
  core.restoredKeys = undefined;
  core.tracking = true;
  for (const key of changed) {
    keys.push({ key, state: captureKey(parts, key) });
    windowed?.untouch(key);
    counted?.untouch(key);
  }
  core.changedKeys.clear();
  return { format: CHANGES_FORMAT, fingerprint: parts.fingerprint, meta: captureMeta(parts), keys };
}

export function captureSnapshot<K, V>(parts: EngineParts<K, V>): EngineSnapshot {
  refuseUndrained(parts, 'a snapshot');
  const keys: [unknown, unknown][] = [];
  for (const key of allKeys(parts)) keys.push([toPlain(key), captureKey(parts, key)]);
  const state: SnapshotState = { meta: captureMeta(parts), keys };
  return { format: SNAPSHOT_FORMAT, fingerprint: parts.fingerprint, state };
}

/** Restores a snapshot; every key counts as changed, so the next takeChanges() writes the whole state. */
export function restoreSnapshot<K, V>(parts: EngineParts<K, V>, snapshot: EngineSnapshot): void {
  if (typeof snapshot !== 'object' || snapshot === null || snapshot.format !== SNAPSHOT_FORMAT) {
    throw new WindowingError(
      WindowingErrorCodes.snapshotInvalid,
      `not a windowing snapshot of format ${SNAPSHOT_FORMAT}`,
    );
  }
  checkFingerprint(parts, snapshot.fingerprint, 'snapshot');
  guarded('snapshot', () => {
    const state = snapshot.state as SnapshotState;
    if (!Array.isArray(state.keys)) throw new Error('no keys');
    const entries = state.keys.map(([key, s]) => [fromPlain(key) as K, s] as const);
    restoreAll(parts, state.meta, entries);
    parts.core.tracking = false;
    parts.core.restoredKeys = new Set(entries.map(([key]) => key));
  });
}

/** Restores from the latest meta and each key's latest non-null state (a folded, compacted changelog). */
export function restoreChanges<K, V>(
  parts: EngineParts<K, V>,
  meta: EngineChangesMeta,
  keyStates: Iterable<readonly [K, unknown]>,
): void {
  if (typeof meta !== 'object' || meta === null || meta.format !== CHANGES_FORMAT) {
    throw new WindowingError(
      WindowingErrorCodes.snapshotInvalid,
      `not the meta of windowing changes of format ${CHANGES_FORMAT}`,
    );
  }
  checkFingerprint(parts, meta.fingerprint, 'changelog');
  guarded('changelog', () => {
    restoreAll(parts, meta as MetaRecord, keyStates);
    parts.core.tracking = true;
  });
}

function checkFingerprint<K, V>(parts: EngineParts<K, V>, fingerprint: string, what: string): void {
  if (fingerprint !== parts.fingerprint) {
    throw new WindowingError(
      WindowingErrorCodes.snapshotMismatch,
      `the ${what} was written with a different configuration: ${fingerprint} vs ${parts.fingerprint}`,
    );
  }
}

function guarded(what: string, restore: () => void): void {
  try {
    restore();
  } catch (error) {
    if (error instanceof WindowingError) throw error;
    throw new WindowingError(WindowingErrorCodes.snapshotInvalid, `the ${what} state is malformed`, {
      cause: error,
    });
  }
}

function restoreAll<K, V>(
  parts: EngineParts<K, V>,
  meta: MetaRecord,
  entries: Iterable<readonly [K, unknown]>,
): void {
  const { core, windowed, counted, dedup } = parts;
  core.watermarks.restore({
    currentMs: num(meta.watermarkMs),
    partitions: meta.partitions.map(([p, maxMs, idle]) => [num(p), num(maxMs), idle === true]),
  });
  core.processingTimeMs = num(meta.processingTimeMs);
  core.sequence = num(meta.sequence);
  core.counters.restore(meta.counters.map(num));
  core.changedKeys.clear();
  core.restoredKeys = undefined;
  core.outputs = [];
  core.batchWindows = [];
  if (parts.spark !== undefined) {
    if (!Array.isArray(meta.spark)) throw new Error('the meta has no spark batch state');
    parts.spark.restore(meta.spark.map(num));
  }
  windowed?.clear();
  counted?.clear();
  dedup?.clear(num(meta.dedupSweepMs));
  restoreKeys(parts, entries, { timer: num(meta.timerToken), throttle: num(meta.throttleToken) });
}
