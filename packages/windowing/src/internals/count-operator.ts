import type { Aggregate } from '../aggregate.ts';
import type { CountWindows } from '../count-windows.ts';
import { FiringTiming, OutputKind } from '../output.ts';
import type { Core, WindowOperator } from './core.ts';
import type { WindowState } from './window-state.ts';

/** A key's last `sizeEvents` events, as a ring indexed by the event's per-key index modulo the size. */
export class CountKey<V> {
  values: V[] = [];
  times: number[] = [];
  sequences: number[] = [];
  /** Events the key has seen. */
  seen = 0;
  /** The accumulators of running aggregates over every event of the key (null where not running). */
  running: unknown[] | undefined = undefined;
  /** Already in the core's changed keys. */
  touched = false;
}

/**
 * Count windows. Each result is recomputed from the ring, oldest event first, rather than maintained with
 * subtractions, so sums are the same left-to-right sums an oracle would take, bit for bit. Count windows
 * never close: a key's ring lives as long as the engine.
 *
 * Aggregates that declare themselves `running` (e.g. `Aggregates.running(Aggregates.ema(...))`) are not
 * recomputed from the ring: the key keeps one accumulator for each, fed every event the key has seen, so an
 * EMA is the true exponential average of the key's whole history rather than of its last k events.
 */
export class CountOperator<K, V> implements WindowOperator<K, V> {
  private readonly core: Core<K, V>;
  private readonly sizeEvents: number;
  private readonly advanceEvents: number;
  readonly keys = new Map<K, CountKey<V>>();
  /** For each aggregate, whether it runs over the key's whole history. */
  readonly runningFlags: readonly boolean[];
  readonly hasRunning: boolean;

  constructor(core: Core<K, V>, spec: CountWindows) {
    this.core = core;
    this.sizeEvents = spec.sizeEvents;
    this.advanceEvents = spec.advanceEvents;
    this.runningFlags = core.aggregates.map((a) => a.running === true);
    this.hasRunning = this.runningFlags.includes(true);
  }

  /** Fresh running accumulators (null for windowed aggregates). */
  newRunning(): unknown[] {
    const aggregates = this.core.aggregates;
    return this.runningFlags.map((running, i) => (running ? (aggregates[i] as Aggregate<V>).create() : null));
  }

  get keyCount(): number {
    return this.keys.size;
  }

  get windowCount(): number {
    return this.keys.size;
  }

  process(key: K, value: V, t: number, sequence: number): void {
    let state = this.keys.get(key);
    if (state === undefined) {
      state = new CountKey<V>();
      if (this.hasRunning) state.running = this.newRunning();
      this.keys.set(key, state);
    }
    if (!state.touched) state.touched = this.core.touch(key);
    const slot = state.seen % this.sizeEvents;
    state.values[slot] = value;
    state.times[slot] = t;
    state.sequences[slot] = sequence;
    state.seen++;
    const running = state.running;
    if (running !== undefined) {
      const aggregates = this.core.aggregates;
      for (let a = 0; a < aggregates.length; a++) {
        if (this.runningFlags[a] === true) {
          running[a] = (aggregates[a] as Aggregate<V>).add(running[a], value, t, sequence);
        }
      }
    }
    if (state.seen % this.advanceEvents === 0) this.fire(key, state);
  }

  private fire(key: K, state: CountKey<V>): void {
    const core = this.core;
    const aggregates = core.aggregates;
    const accs = core.newAccumulators();
    const n = Math.min(state.seen, this.sizeEvents);
    const firstIndex = state.seen - n;
    let minMs = Number.POSITIVE_INFINITY;
    let maxMs = Number.NEGATIVE_INFINITY;
    for (let index = firstIndex; index < state.seen; index++) {
      const slot = index % this.sizeEvents;
      const t = state.times[slot] as number;
      if (t < minMs) minMs = t;
      if (t > maxMs) maxMs = t;
      for (let a = 0; a < aggregates.length; a++) {
        if (this.runningFlags[a] === true) continue;
        accs[a] = (aggregates[a] as Aggregate<V>).add(
          accs[a],
          state.values[slot] as V,
          t,
          state.sequences[slot] as number,
        );
      }
    }
    const running = state.running;
    if (running !== undefined) {
      for (let a = 0; a < aggregates.length; a++) if (this.runningFlags[a] === true) accs[a] = running[a];
    }
    core.outputs.push({
      kind: OutputKind.result,
      key,
      window: { startMs: minMs, endMs: maxMs + 1, firstIndex, lastIndex: state.seen - 1 },
      value: core.resultOf(accs),
      eventCount: n,
      firing: 0,
      timing: FiringTiming.onTime,
      final: true,
      watermarkMs: core.watermarks.currentMs,
    });
    core.counters.resultsEmitted++;
  }

  remove(_w: WindowState<K>): void {
    // Count windows have no timers, so the core never removes one.
  }

  untouch(key: K): void {
    const state = this.keys.get(key);
    if (state !== undefined) state.touched = false;
  }

  clear(): void {
    this.keys.clear();
  }
}
