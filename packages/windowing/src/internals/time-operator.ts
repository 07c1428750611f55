import type { TimeWindows } from '../time-windows.ts';
import type { WindowBounds } from '../window-bounds.ts';
import type { Core, WindowOperator } from './core.ts';
import { WindowState } from './window-state.ts';

/** Beyond this many open windows, a key indexes them by start in a Map; below, a scan is cheaper. */
const INDEX_FROM = 16;

/**
 * A key's open windows, as a list in creation order threaded through the windows themselves. Most keys hold
 * a handful (one or two tumbling windows, size / advance hopping ones), for which a list costs two pointers
 * per window where an array or Map per key costs a few hundred bytes; a long grace period can hold many,
 * and then an index by start keeps lookups O(1).
 */
class TimeKey<K> {
  head: WindowState<K> | undefined = undefined;
  tail: WindowState<K> | undefined = undefined;
  size = 0;
  private index: Map<number, WindowState<K>> | undefined = undefined;
  /** The window used last: consecutive events of a key mostly hit the same tumbling window. */
  last: WindowState<K> | undefined = undefined;
  /** Already in the core's changed keys: spares the hot path a Set lookup per event. */
  touched = false;

  find(startMs: number): WindowState<K> | undefined {
    if (this.index !== undefined) return this.index.get(startMs);
    // Newest first: in-order events mostly hit recent windows.
    for (let w = this.tail; w !== undefined; w = w.prev) if (w.startMs === startMs) return w;
    return undefined;
  }

  add(w: WindowState<K>): void {
    w.prev = this.tail;
    w.next = undefined;
    if (this.tail === undefined) this.head = w;
    else this.tail.next = w;
    this.tail = w;
    this.size++;
    if (this.index !== undefined) this.index.set(w.startMs, w);
    else if (this.size > INDEX_FROM) {
      this.index = new Map();
      for (let x = this.head; x !== undefined; x = x.next) this.index.set(x.startMs, x);
    }
  }

  remove(w: WindowState<K>): void {
    if (w.prev === undefined) this.head = w.next;
    else w.prev.next = w.next;
    if (w.next === undefined) this.tail = w.prev;
    else w.next.prev = w.prev;
    w.prev = undefined;
    w.next = undefined;
    this.size--;
    this.index?.delete(w.startMs);
    if (this.last === w) this.last = undefined;
  }

  toArray(): WindowState<K>[] {
    const windows: WindowState<K>[] = [];
    for (let w = this.head; w !== undefined; w = w.next) windows.push(w);
    return windows;
  }
}

/**
 * Tumbling and hopping windows. Windows are created on their first event, found per key by start, and
 * live until the watermark passes end + grace. An event is dropped from a window (and reported late) only
 * when that window is past end + grace, whether or not the window ever existed: Spark's
 * `window.end <= watermark` rule when the grace is zero.
 */
export class TimeOperator<K, V> implements WindowOperator<K, V> {
  private readonly core: Core<K, V>;
  private readonly sizeMs: number;
  private readonly advanceMs: number;
  private readonly offsetMs: number;
  private readonly graceMs: number;
  readonly keys = new Map<K, TimeKey<K>>();
  private windows = 0;

  constructor(core: Core<K, V>, spec: TimeWindows) {
    this.core = core;
    this.sizeMs = spec.sizeMs;
    this.advanceMs = spec.advanceMs;
    this.offsetMs = spec.offsetMs;
    this.graceMs = spec.graceMs;
  }

  get keyCount(): number {
    return this.keys.size;
  }

  get windowCount(): number {
    return this.windows;
  }

  process(
    key: K,
    value: V,
    t: number,
    sequence: number,
    partition: number,
    eventId: string | undefined,
  ): void {
    const core = this.core;
    const watermarkMs = core.watermarks.currentMs;
    const advanceMs = this.advanceMs;
    let r = (t - this.offsetMs) % advanceMs;
    if (r < 0) r += advanceMs;
    let start = t - r;
    // Hopping: step back to the earliest window that still holds t, then walk forward.
    const earliest = t - this.sizeMs;
    while (start - advanceMs > earliest) start -= advanceMs;
    let missed: WindowBounds[] | undefined;
    let lateUpdate = false;
    for (; start <= t; start += advanceMs) {
      const endMs = start + this.sizeMs;
      if (endMs + this.graceMs <= watermarkMs) {
        (missed ??= []).push({ startMs: start, endMs });
        continue;
      }
      const w = this.window(key, start, endMs, watermarkMs);
      if (core.spark) core.addToBatch(w, value, t, sequence);
      else core.add(w, value, t, sequence);
      if (w.onTime) lateUpdate = true;
      core.changed(w);
    }
    if (lateUpdate) core.counters.lateAccepted++;
    if (missed !== undefined) core.late(key, value, t, partition, eventId, missed);
  }

  private window(key: K, startMs: number, endMs: number, watermarkMs: number): WindowState<K> {
    let state = this.keys.get(key);
    if (state === undefined) {
      state = new TimeKey<K>();
      this.keys.set(key, state);
      state.touched = this.core.touch(key);
    } else {
      if (!state.touched) state.touched = this.core.touch(key);
      const last = state.last;
      if (last !== undefined && last.startMs === startMs) return last;
      const found = state.find(startMs);
      if (found !== undefined) {
        state.last = found;
        return found;
      }
    }
    const w = new WindowState<K>(key, startMs, endMs, this.core.newAccumulators());
    // A window first seen after the watermark passed its end (within grace) starts out late.
    w.onTime = endMs <= watermarkMs;
    state.add(w);
    state.last = w;
    this.windows++;
    this.core.schedule(w);
    return w;
  }

  remove(w: WindowState<K>): void {
    const state = this.keys.get(w.key);
    if (state === undefined) return;
    state.remove(w);
    this.windows--;
    if (state.size === 0) this.keys.delete(w.key);
  }

  /** The key's open windows in creation order (empty when it has none). */
  windowsOf(key: K): WindowState<K>[] {
    return this.keys.get(key)?.toArray() ?? [];
  }

  /** Its changes were taken: the next change must record the key again. */
  untouch(key: K): void {
    const state = this.keys.get(key);
    if (state !== undefined) state.touched = false;
  }

  restoreKey(key: K, windows: WindowState<K>[]): void {
    if (this.keys.has(key)) throw new Error(`key ${JSON.stringify(key)} restored twice`);
    const state = new TimeKey<K>();
    for (const w of windows) state.add(w);
    this.keys.set(key, state);
    this.windows += windows.length;
  }

  clear(): void {
    this.keys.clear();
    this.windows = 0;
  }
}
