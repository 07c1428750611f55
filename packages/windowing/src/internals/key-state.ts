import { WindowingError, WindowingErrorCodes } from '../errors.ts';
import type { Core } from './core.ts';
import { CountKey, type CountOperator } from './count-operator.ts';
import type { Deduplicator } from './dedup.ts';
import { fromPlain, toPlain } from './plain.ts';
import type { SessionOperator } from './session-operator.ts';
import type { SparkBatches } from './spark-batches.ts';
import type { TimeOperator } from './time-operator.ts';
import { WindowState } from './window-state.ts';

// One key's state as plain data, shared by snapshots (every key) and changes (the keys that changed).
// Windows are tuples rather than objects so that a snapshot of many windows allocates little; numbers
// JSON cannot hold are encoded by toPlain.

/**
 * [startMs, endMs, accumulators, events, pane, dirty, firings, onTime, timerDueMs, timerToken, last?,
 * partial?]: `last` (null when absent) is the result to retract, `partial` Spark mode's accumulators of
 * the current micro-batch.
 */
export type WindowRecord = [
  number,
  number,
  unknown[],
  number,
  number,
  0 | 1,
  number,
  0 | 1,
  number,
  number,
  unknown?,
  unknown[]?,
];

export interface KeyStateRecord {
  /** Time windows in creation order, sessions by start. */
  windows?: WindowRecord[];
  /** [last emission (processing time), timer token, indices into `windows` of the windows waiting]. */
  throttle?: [number, number, number[]];
  /** Count windows: [events seen, values, times, sequences, running accumulators?]. */
  ring?: [number, unknown[], number[], number[], unknown[]?];
  /** Dedup ids remembered with this key, with their event times. */
  dedup?: [string, unknown][];
}

export type WindowedOperator<K, V> = TimeOperator<K, V> | SessionOperator<K, V>;

export interface EngineParts<K, V> {
  readonly core: Core<K, V>;
  readonly windowed: WindowedOperator<K, V> | undefined;
  readonly counted: CountOperator<K, V> | undefined;
  readonly dedup: Deduplicator<K> | undefined;
  readonly spark: SparkBatches | undefined;
  readonly fingerprint: string;
}

/** Every key holding any state, each once. */
export function allKeys<K, V>(parts: EngineParts<K, V>): Set<K> {
  const keys = new Set<K>();
  if (parts.windowed !== undefined) for (const key of parts.windowed.keys.keys()) keys.add(key);
  if (parts.core.throttle !== undefined) for (const key of parts.core.throttle.heldKeys()) keys.add(key);
  if (parts.counted !== undefined) for (const key of parts.counted.keys.keys()) keys.add(key);
  if (parts.dedup !== undefined) for (const key of parts.dedup.keys()) keys.add(key);
  return keys;
}

/** The key's complete state as plain data, or null when it holds none. */
export function captureKey<K, V>(parts: EngineParts<K, V>, key: K): KeyStateRecord | null {
  const { core, windowed, counted, dedup } = parts;
  const state: KeyStateRecord = {};
  let empty = true;
  if (windowed !== undefined) {
    const windows = windowed.windowsOf(key);
    if (windows.length > 0) {
      state.windows = windows.map(windowRecord);
      empty = false;
    }
    const throttle = core.throttle?.stateOf(key);
    if (throttle !== undefined) {
      const pending: number[] = [];
      for (const w of throttle.pending) {
        const i = windows.indexOf(w);
        if (i >= 0) pending.push(i);
      }
      state.throttle = [throttle.lastEmitMs, throttle.token, pending];
      empty = false;
    }
  }
  if (counted !== undefined) {
    const ring = counted.keys.get(key);
    if (ring !== undefined) {
      state.ring = [ring.seen, plain(key, ring.values) as unknown[], [...ring.times], [...ring.sequences]];
      if (ring.running !== undefined) state.ring.push(plain(key, ring.running) as unknown[]);
      empty = false;
    }
  }
  if (dedup !== undefined) {
    const ids = dedup.idsOf(key);
    if (ids.length > 0) {
      state.dedup = ids.map(([id, t]) => [id, toPlain(t)]);
      empty = false;
    }
  }
  return empty ? null : state;
}

function windowRecord<K>(w: WindowState<K>): WindowRecord {
  const r: WindowRecord = [
    w.startMs,
    w.endMs,
    plain(w.key, w.accs, w) as unknown[],
    w.events,
    w.pane,
    w.dirty ? 1 : 0,
    w.firings,
    w.onTime ? 1 : 0,
    w.timerDueMs,
    w.timerToken,
  ];
  if (w.last !== undefined || w.partial !== undefined) r.push(w.last === undefined ? null : toPlain(w.last));
  if (w.partial !== undefined) r.push(plain(w.key, w.partial, w) as unknown[]);
  return r;
}

function plain<K>(key: K, value: unknown, w?: WindowState<K>): unknown {
  try {
    return toPlain(value);
  } catch (error) {
    const where =
      w === undefined
        ? `the state of key ${JSON.stringify(key)}`
        : `the accumulators of key ${JSON.stringify(key)}, window [${w.startMs}, ${w.endMs})`;
    throw new WindowingError(
      WindowingErrorCodes.snapshotInvalid,
      `cannot capture ${where}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

export const num = (value: unknown): number => {
  const n = fromPlain(value);
  if (typeof n !== 'number') throw new Error(`expected a number, got ${JSON.stringify(value)}`);
  return n;
};

/**
 * Rebuilds every key from its state (the caller has restored the meta and cleared the operators), then the
 * timers from the tokens the windows and throttles carry, so they fire in their original order. Returns the
 * keys restored. Throws plain errors on malformed data; the caller wraps them.
 */
export function restoreKeys<K, V>(
  parts: EngineParts<K, V>,
  entries: Iterable<readonly [K, unknown]>,
  tokens: { timer: number; throttle: number },
): K[] {
  const { core, windowed, counted, dedup } = parts;
  const allWindows: WindowState<K>[] = [];
  const throttles: { key: K; lastEmitMs: number; token: number; pending: WindowState<K>[] }[] = [];
  const keys: K[] = [];
  for (const [key, raw] of entries) {
    if (raw === null || raw === undefined) continue;
    if (typeof raw !== 'object' || Array.isArray(raw))
      throw new Error(`key ${JSON.stringify(key)}: not a state`);
    const state = raw as KeyStateRecord;
    keys.push(key);
    let windows: WindowState<K>[] = [];
    if (state.windows !== undefined) {
      if (windowed === undefined) throw new Error('windows in the state of a count-window job');
      windows = state.windows.map((r) => restoreWindow(key, r));
      const n = core.aggregates.length;
      if (windows.some((w) => w.accs.length !== n || (w.partial !== undefined && w.partial.length !== n))) {
        throw new Error(`key ${JSON.stringify(key)}: accumulators do not match the aggregates`);
      }
      windowed.restoreKey(key, windows);
      for (const w of windows) {
        allWindows.push(w);
        if (w.partial !== undefined) core.batchWindows.push(w);
      }
    }
    if (state.throttle !== undefined) {
      if (core.throttle === undefined) throw new Error('a throttle in the state of an unthrottled job');
      const [lastEmitMs, token, pending] = state.throttle;
      throttles.push({
        key,
        lastEmitMs: num(lastEmitMs),
        token: num(token),
        pending: pending.map((i) => need(windows[i])),
      });
    }
    if (state.ring !== undefined) {
      if (counted === undefined) throw new Error('a ring in the state of a time or session job');
      const [seen, values, times, sequences, running] = state.ring;
      const ring = new CountKey<V>();
      ring.seen = num(seen);
      ring.values = fromPlain(values) as V[];
      ring.times = times.map(num);
      ring.sequences = sequences.map(num);
      if (!Array.isArray(ring.values) || ring.values.length !== ring.times.length) {
        throw new Error('a malformed ring');
      }
      if (counted.hasRunning !== (running !== undefined)) throw new Error('running accumulators mismatch');
      if (running !== undefined) ring.running = fromPlain(running) as unknown[];
      if (counted.keys.has(key)) throw new Error(`key ${JSON.stringify(key)} restored twice`);
      counted.keys.set(key, ring);
    }
    if (state.dedup !== undefined) {
      if (dedup === undefined) throw new Error('dedup ids in the state of a job without dedup');
      dedup.restoreKey(
        key,
        state.dedup.map(([id, t]) => [id, num(t)]),
      );
    }
  }
  core.restoreTimers(allWindows, tokens.timer);
  core.throttle?.restore(throttles, tokens.throttle);
  return keys;
}

function restoreWindow<K>(key: K, r: WindowRecord): WindowState<K> {
  if (!Array.isArray(r) || r.length < 10) throw new Error('a malformed window');
  const w = new WindowState<K>(key, num(r[0]), num(r[1]), fromPlain(r[2]) as unknown[]);
  if (!Array.isArray(w.accs)) throw new Error('malformed accumulators');
  w.events = num(r[3]);
  w.pane = num(r[4]);
  w.dirty = r[5] === 1;
  w.firings = num(r[6]);
  w.onTime = r[7] === 1;
  w.timerDueMs = num(r[8]);
  w.timerToken = num(r[9]);
  w.last = r.length > 10 && r[10] !== null ? fromPlain(r[10]) : undefined;
  if (r.length > 11) {
    w.partial = fromPlain(r[11]) as unknown[];
    if (!Array.isArray(w.partial)) throw new Error('a malformed batch partial');
  }
  return w;
}

function need<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('a required part of the state is missing');
  return value;
}
