import { WindowingError, WindowingErrorCodes } from '../errors.ts';
import { SNAPSHOT_FORMAT, type EngineSnapshot } from '../snapshot.ts';
import type { Core } from './core.ts';
import { CountKey, type CountOperator } from './count-operator.ts';
import type { Deduplicator } from './dedup.ts';
import { fromPlain, toPlain } from './plain.ts';
import type { SessionOperator } from './session-operator.ts';
import type { ThrottleSnapshot } from './throttle.ts';
import type { TimeOperator } from './time-operator.ts';
import { WindowState } from './window-state.ts';

// The state is written directly in a compact, JSON-safe layout (tuples rather than objects, numbers that
// JSON cannot hold encoded by toPlain) so that a snapshot of many windows allocates little: the generic
// deep copy runs only over what the engine does not control, keys, values and accumulators.

/** [startMs, endMs, accumulators, events, pane, dirty, firings, onTime, last?] */
type WindowRecord = [number, number, unknown[], number, number, 0 | 1, number, 0 | 1, unknown?];

interface State {
  watermark: { currentMs: unknown; partitions: [number, unknown, boolean][] };
  processingTimeMs: number;
  sequence: number;
  counters: number[];
  /** Time and session windows: each key with its windows in order. */
  windowKeys?: [unknown, WindowRecord[]][];
  /** Event-time timers in firing order: [due, index of the window in windowKeys order]. */
  timers?: [number, number][];
  throttle?: ThrottleSnapshot<unknown>;
  /** Count windows: [key, events seen, values, times, sequences]. */
  countKeys?: [unknown, number, unknown[], number[], number[]][];
  dedup?: { entries: [string, number][]; lastSweepMs: unknown };
}

export type WindowedOperator<K, V> = TimeOperator<K, V> | SessionOperator<K, V>;

export interface EngineParts<K, V> {
  readonly core: Core<K, V>;
  readonly windowed: WindowedOperator<K, V> | undefined;
  readonly counted: CountOperator<K, V> | undefined;
  readonly dedup: Deduplicator | undefined;
  readonly fingerprint: string;
}

export function captureSnapshot<K, V>(parts: EngineParts<K, V>): EngineSnapshot {
  const { core, windowed, counted, dedup } = parts;
  if (core.outputs.length > 0) {
    throw new WindowingError(
      WindowingErrorCodes.undrainedOutput,
      `drain the ${core.outputs.length} pending outputs before taking a snapshot, so state and outputs agree`,
    );
  }
  const watermark = core.watermarks.snapshot();
  const state: State = {
    watermark: {
      currentMs: toPlain(watermark.currentMs),
      partitions: watermark.partitions.map(([p, maxMs, idle]) => [p, toPlain(maxMs), idle]),
    },
    processingTimeMs: core.processingTimeMs,
    sequence: core.sequence,
    counters: core.counters.toArray(),
  };
  if (windowed !== undefined) {
    const index = new Map<WindowState<K>, number>();
    const windowKeys: [unknown, WindowRecord[]][] = [];
    for (const [key, windows] of windowed.allWindows()) {
      const records = new Array<WindowRecord>(windows.length);
      for (let i = 0; i < windows.length; i++) {
        const w = windows[i] as WindowState<K>;
        index.set(w, index.size);
        records[i] = record(w);
      }
      windowKeys.push([toPlain(key), records]);
    }
    state.windowKeys = windowKeys;
    const timers: [number, number][] = [];
    for (const { timeMs, entry, token } of core.timers.entries()) {
      const i = index.get(entry);
      if (i !== undefined && entry.alive && entry.timerToken === token) timers.push([timeMs, i]);
    }
    state.timers = timers;
    if (core.throttle !== undefined) {
      const throttle = core.throttle.snapshot((w) => index.get(w));
      state.throttle = {
        keys: throttle.keys.map(([key, lastEmitMs, pending]) => [toPlain(key), lastEmitMs, pending]),
        timers: throttle.timers.map(([timeMs, key]) => [timeMs, toPlain(key)]),
      };
    }
  }
  if (counted !== undefined) {
    const countKeys: State['countKeys'] = [];
    for (const [key, ring] of counted.keys) {
      countKeys.push([
        toPlain(key),
        ring.seen,
        toPlain(ring.values) as unknown[],
        [...ring.times],
        [...ring.sequences],
      ]);
    }
    state.countKeys = countKeys;
  }
  if (dedup !== undefined) {
    const d = dedup.snapshot();
    state.dedup = { entries: d.entries, lastSweepMs: toPlain(d.lastSweepMs) };
  }
  return { format: SNAPSHOT_FORMAT, fingerprint: parts.fingerprint, state };
}

function record<K>(w: WindowState<K>): WindowRecord {
  let accs: unknown[];
  try {
    accs = toPlain(w.accs) as unknown[];
  } catch (error) {
    const where = `the accumulators of key ${JSON.stringify(w.key)}, window [${w.startMs}, ${w.endMs})`;
    throw new WindowingError(
      WindowingErrorCodes.snapshotInvalid,
      `cannot snapshot ${where}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const r: WindowRecord = [
    w.startMs,
    w.endMs,
    accs,
    w.events,
    w.pane,
    w.dirty ? 1 : 0,
    w.firings,
    w.onTime ? 1 : 0,
  ];
  if (w.last !== undefined) r.push(toPlain(w.last));
  return r;
}

export function restoreSnapshot<K, V>(parts: EngineParts<K, V>, snapshot: EngineSnapshot): void {
  if (typeof snapshot !== 'object' || snapshot === null || snapshot.format !== SNAPSHOT_FORMAT) {
    throw new WindowingError(
      WindowingErrorCodes.snapshotInvalid,
      `not a windowing snapshot of format ${SNAPSHOT_FORMAT}`,
    );
  }
  if (snapshot.fingerprint !== parts.fingerprint) {
    throw new WindowingError(
      WindowingErrorCodes.snapshotMismatch,
      `the snapshot was taken with a different configuration: ${snapshot.fingerprint} vs ${parts.fingerprint}`,
    );
  }
  try {
    apply(parts, snapshot.state as State);
  } catch (error) {
    if (error instanceof WindowingError) throw error;
    throw new WindowingError(WindowingErrorCodes.snapshotInvalid, 'the snapshot state is malformed', {
      cause: error,
    });
  }
}

const num = (value: unknown): number => {
  const n = fromPlain(value);
  if (typeof n !== 'number') throw new Error(`expected a number, got ${JSON.stringify(value)}`);
  return n;
};

function apply<K, V>(parts: EngineParts<K, V>, state: State): void {
  const { core, windowed, counted, dedup } = parts;
  core.watermarks.restore({
    currentMs: num(state.watermark.currentMs),
    partitions: state.watermark.partitions.map(([p, maxMs, idle]) => [num(p), num(maxMs), idle === true]),
  });
  core.processingTimeMs = num(state.processingTimeMs);
  core.sequence = num(state.sequence);
  core.counters.restore(state.counters.map(num));
  core.timers.clear();
  core.resetTokens();
  if (windowed !== undefined) {
    windowed.clear();
    const windows: WindowState<K>[] = [];
    for (const [plainKey, records] of need(state.windowKeys)) {
      const key = fromPlain(plainKey) as K;
      const list = new Array<WindowState<K>>(records.length);
      for (let i = 0; i < records.length; i++) {
        const r = records[i] as WindowRecord;
        const w = new WindowState<K>(key, num(r[0]), num(r[1]), fromPlain(r[2]) as unknown[]);
        w.events = num(r[3]);
        w.pane = num(r[4]);
        w.dirty = r[5] === 1;
        w.firings = num(r[6]);
        w.onTime = r[7] === 1;
        w.last = r.length > 8 ? fromPlain(r[8]) : undefined;
        list[i] = w;
        windows.push(w);
      }
      windowed.restoreKey(key, list);
    }
    for (const [dueMs, i] of need(state.timers)) core.scheduleAt(need(windows[i]), num(dueMs));
    if (windows.some((w) => w.timerToken === 0)) throw new Error('a window without a timer');
    if (core.throttle !== undefined) {
      const throttle = need(state.throttle);
      core.throttle.restore(
        {
          keys: throttle.keys.map(([key, lastEmitMs, pending]) => [
            fromPlain(key) as K,
            num(lastEmitMs),
            pending,
          ]),
          timers: throttle.timers.map(([timeMs, key]) => [num(timeMs), fromPlain(key) as K]),
        },
        windows,
      );
    }
  }
  if (counted !== undefined) {
    counted.clear();
    for (const [key, seen, values, times, sequences] of need(state.countKeys)) {
      const ring = new CountKey<V>();
      ring.seen = num(seen);
      ring.values = fromPlain(values) as V[];
      ring.times = times.map(num);
      ring.sequences = sequences.map(num);
      counted.keys.set(fromPlain(key) as K, ring);
    }
  }
  if (dedup !== undefined) {
    const d = need(state.dedup);
    dedup.restore({ entries: d.entries.map(([id, t]) => [id, num(t)]), lastSweepMs: num(d.lastSweepMs) });
  }
}

function need<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('a required part of the snapshot is missing');
  return value;
}
